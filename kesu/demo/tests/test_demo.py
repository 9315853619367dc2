"""`python -m kesu demo` builds a usable installation: every role, every workflow state."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.organizations.models import User
from kesu.sla.choices import ClockKind, ClockState
from kesu.sla.models import Clock


def test_demo_has_every_role_and_state(db, settings):
    settings.KESU_DEMO_PASSWORD = "demo-pass"
    call_command("demo", complaints=24, verbosity=0)
    for name in [
        "agent1",
        "manager1",
        "dept1",
        "gm1",
        "agent2",
        "manager2",
        "region1",
        "crc1",
        "pr1",
        "admin",
    ]:
        assert authenticate(username=name, password="demo-pass") is not None, name
    assert set(Complaint.objects.values_list("status", flat=True)) == set(Status.values)
    closed = Complaint.objects.filter(status="closed").first()
    assert closed is not None and closed.satisfaction and closed.closed_at
    steps = list(TimelineEntry.objects.filter(complaint=closed).values_list("to_status", flat=True))
    moves = [step for step in steps if step]  # besides them: first reply, revisit, breaches…
    assert moves[0] == "received" and moves[-1] == "closed"
    # The history happened at its own times: the first reply's clock stopped when the timeline
    # says the investigation started, and most first replies were in time.
    started = TimelineEntry.objects.get(complaint=closed, action="start_investigation").at
    first_reply = Clock.objects.get(complaint=closed, kind=ClockKind.FIRST_REPLY)
    assert first_reply.stopped_at == started and closed.received_at < started < closed.closed_at
    answered = Clock.objects.filter(kind=ClockKind.FIRST_REPLY, stopped_at__isnull=False)
    assert answered.filter(state=ClockState.MET).count() > answered.count() / 2
    # The seed cases come first: the brake failure of the five-car customer is a crisis.
    assert Complaint.objects.filter(severity="crisis", verbatim__contains="刹车").exists()
    # Improvement actions: some overdue (told), some done and judged; two published cases.
    from kesu.improvements.models import Case, ImprovementAction

    actions = ImprovementAction.objects.all()
    assert actions.filter(overdue_notified_for__isnull=False).count() >= 2
    assert actions.filter(status="done").exclude(effectiveness="pending").count() == 2
    assert Case.objects.filter(published_at__isnull=False).count() == 2
    # Running it again adds nothing.
    call_command("demo", verbosity=0)
    assert Complaint.objects.count() == 24 and User.objects.filter(username="agent1").count() == 1


@pytest.mark.django_db(transaction=True)  # the worker closes connections, as in production
def test_worker_runs_a_queued_task():
    from kesu.complaints.tasks import reindex_complaints
    from kesu.complaints.tests.factories import make_complaint
    from kesu.demo.builder import build_organizations

    demo = build_organizations("x")
    complaint = make_complaint(demo, 1, verbatim="变速箱顿挫")
    Complaint.objects.filter(pk=complaint.pk).update(search_tokens="")
    result = reindex_complaints.enqueue([complaint.pk])
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value == 1
    complaint.refresh_from_db()
    assert "顿挫" in complaint.search_tokens
