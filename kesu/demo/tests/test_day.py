"""The demo holds a realistic day for agent1 at D1 (kesu/demo/day.py): every kind of work on 我的一天,
made through the apps' services so the lists, the work items and the timelines agree; running the
demo again adds nothing."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from kesu.appointments import services as appointment_services
from kesu.appointments.models import Appointment
from kesu.calls.models import Call
from kesu.care import services as care_services
from kesu.care.choices import CareKind
from kesu.complaints.models import TimelineEntry
from kesu.customers.models import Customer
from kesu.demo.day import PEOPLE
from kesu.followups.choices import FollowUpKind
from kesu.followups.models import FollowUp
from kesu.organizations.models import User
from kesu.worklist.models import WorkItem
from kesu.worklist.services import day_of


def _by_today(moment: object) -> bool:
    """Due today — or, on a day the dealer is closed, on its last working day."""
    return timezone.localtime(moment).date() <= timezone.localdate()  # type: ignore[arg-type]


def test_agent1_has_a_day_of_every_kind(db, settings):
    call_command("demo", complaints=12, verbosity=0, stdout=StringIO())
    agent = User.objects.get(username="agent1")
    day = day_of(user=agent)
    for kind in ("follow_up", "care_call", "confirmation", "callback", "overdue_complaint"):
        assert day.counts[kind] > 0, kind
    # the follow-ups of the day's story are due today, each kind of call once at least
    mine = FollowUp.objects.filter(customer__mobile__in=[p.mobile for p in PEOPLE.values()], state="open")
    due_today = {f.kind for f in mine if _by_today(f.due_at)}
    assert due_today >= {
        FollowUpKind.REVISIT,
        FollowUpKind.SERVICE_3D,
        FollowUpKind.DELIVERY_3D,
        FollowUpKind.DELIVERY_7D,
    }
    # a revisit of a closed complaint; the earlier delivery's 3-day call done on its day
    revisit = mine.get(kind=FollowUpKind.REVISIT)
    assert revisit.complaint is not None and revisit.complaint.status == "closed"
    assert FollowUp.objects.get(customer__name="郑海涛", kind=FollowUpKind.DELIVERY_3D).state == "done"
    # care: maintenance and 年检 open today; the opted-out owner is skipped by the SMS
    care = care_services.day_list(actor=agent)
    kinds = {(i.customer.name, i.kind) for i in care}
    assert ("钱志强", CareKind.MAINTENANCE) in kinds and ("林美玲", CareKind.INSPECTION) in kinds
    targets = care_services.sms_targets(actor=agent, kind=CareKind.MAINTENANCE, day=timezone.localdate())
    assert "何永康" in {i.customer.name for i in targets.skipped}
    assert {"钱志强", "冯晓燕"} <= {i.customer.name for i in targets.send}
    assert not Customer.objects.get(mobile=PEOPLE["opted_out"].mobile).consent_sms
    # messages left for agent1; the one about the overdue complaint is on its timeline
    chase = Call.objects.get(number=PEOPLE["overdue"].mobile, for_user=agent)
    assert chase.complaint is not None and chase.complaint.due_at is not None
    assert chase.complaint.due_at < timezone.now()
    assert TimelineEntry.objects.filter(complaint=chase.complaint, kind="call").exists()
    assert any(e.kind == "overdue_complaint" and e.ref_id == chase.complaint_id for e in day.entries)
    # confirmations of the next open day's bookings (due the day before); a slot has one place left
    booked = Appointment.objects.filter(customer__mobile=PEOPLE["booking1"].mobile).get()
    item = WorkItem.objects.get(ref_model="appointments.appointment", ref_id=booked.pk)
    assert item.assignee == agent and item.state == "open" and item.due_at < booked.slot_start
    slot_day = timezone.localtime(booked.slot_start).date()
    slots = appointment_services.slots_of_day(dealer_id=booked.dealer_id, day=slot_day)
    assert any(s.free == 1 and s.start > timezone.now() for s in slots)

    counts = {
        model: model.objects.count()
        for model in (Customer, FollowUp, WorkItem, Appointment, Call, TimelineEntry)
    }
    call_command("demo", verbosity=0, stdout=StringIO())
    assert {model: model.objects.count() for model in counts} == counts
