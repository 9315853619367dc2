"""Improvement actions (整改): opened from a complaint, a chart or a quality signal; moved only
along the table; completed with evidence; judged a month later from the complaints themselves;
overdue ones told to the owner and their manager exactly once; scoped; bad input named."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint
from kesu.core.errors import Forbidden, IllegalTransition, InvalidInput, NotFound, StaleVersion
from kesu.improvements import review, services
from kesu.improvements.choices import TRANSITIONS, ActionStatus, Effectiveness
from kesu.improvements.models import ImprovementAction
from kesu.improvements.months import shift_month
from kesu.notifications.models import Notification

BRAKES = "刹车有异响，修了三次还没有修好"


def an_action(demo: Any, complaint: Complaint | None = None, **extra: Any) -> ImprovementAction:
    data = services.ActionInput(
        title="刹车异响返修：技师培训",
        owner_id=demo.users["agent1"].pk,
        deadline=timezone.localdate() + timedelta(days=7),
        priority="urgent_important",
        complaint_ids=[complaint.pk] if complaint else [],
        **extra,
    )
    return services.create_action(actor=demo.users["manager1"], data=data)


def received(complaint: Complaint, moment: datetime) -> None:
    Complaint.objects.filter(pk=complaint.pk).update(received_at=moment)


def test_an_action_runs_its_lifecycle_to_its_effectiveness_check(demo):
    first = make_complaint(demo, 1, verbatim=BRAKES, category="repair_quality")
    action = an_action(demo, first)
    assert (action.category, action.organization_id) == ("repair_quality", first.dealer_id)
    assert list(action.complaints.all()) == [first]
    agent = demo.users["agent1"]  # the owner moves their own action
    action = services.transition(actor=agent, action_id=action.pk, move="start", version=action.version)
    assert action.status == ActionStatus.IN_PROGRESS
    action = services.record_evidence(
        actor=agent, action_id=action.pk, version=action.version, text="全员培训签到表"
    )
    action = services.transition(actor=agent, action_id=action.pk, move="complete", version=action.version)
    assert action.status == ActionStatus.DONE and action.evidence_text == "全员培训签到表"
    done = action.completed_at
    assert done is not None
    # two of that kind in the month before, one after; one of another kind after, another dealer's
    received(first, done - timedelta(days=20))
    received(make_complaint(demo, 1, verbatim=BRAKES, category="repair_quality"), done - timedelta(days=3))
    received(make_complaint(demo, 1, verbatim=BRAKES, category="repair_quality"), done + timedelta(days=10))
    received(make_complaint(demo, 1, verbatim="接待太差", category="reception"), done + timedelta(days=5))
    received(make_complaint(demo, 2, verbatim=BRAKES, category="repair_quality"), done + timedelta(days=5))
    assert services.check_effectiveness(now=done + timedelta(days=20)) == 0  # not a month yet
    assert services.check_effectiveness(now=done + timedelta(days=32)) == 1
    action.refresh_from_db()
    assert (action.count_before, action.count_after) == (2, 1)
    assert action.effectiveness == Effectiveness.REDUCED
    assert services.check_effectiveness(now=done + timedelta(days=60)) == 0  # judged once


def test_no_complaint_of_that_kind_after_completion_is_effective_and_more_is_recurred():
    assert services.judge(3, 0) == Effectiveness.EFFECTIVE
    assert services.judge(3, 1) == Effectiveness.REDUCED
    assert services.judge(1, 2) == Effectiveness.RECURRED
    assert services.judge(0, 0) == Effectiveness.EFFECTIVE


def test_completing_needs_evidence_and_reopening_a_reason(demo):
    action = an_action(demo)
    manager = demo.users["manager1"]
    with pytest.raises(InvalidInput) as error:
        services.transition(actor=manager, action_id=action.pk, move="complete", version=action.version)
    assert "evidence_text" in error.value.fields
    action = services.transition(
        actor=manager,
        action_id=action.pk,
        move="complete",
        version=action.version,
        evidence_text="已更换供应商",
    )
    with pytest.raises(InvalidInput) as error:
        services.transition(actor=manager, action_id=action.pk, move="reopen", version=action.version)
    assert "reason" in error.value.fields
    with pytest.raises(Forbidden):  # the owner may not reopen: a manager decides
        services.transition(
            actor=demo.users["agent1"], action_id=action.pk, move="reopen", version=action.version, reason="x"
        )
    with pytest.raises(IllegalTransition):
        services.transition(actor=manager, action_id=action.pk, move="start", version=action.version)
    with pytest.raises(StaleVersion):
        services.transition(actor=manager, action_id=action.pk, move="reopen", version=1, reason="复发")


def test_an_overdue_action_tells_the_owner_and_their_manager_exactly_once(demo):
    action = an_action(demo)
    today = action.deadline + timedelta(days=1)
    assert services.notify_overdue(today=action.deadline) == 0  # due today is not overdue
    assert services.notify_overdue(today=today) == 1
    assert services.notify_overdue(today=today) == 0
    assert services.notify_overdue(today=today + timedelta(days=3)) == 0
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"agent1", "manager1"}  # the agent's manager is the dealer's service manager
    assert Notification.objects.count() == 2
    # a new deadline that passes too is a new overdue event
    ImprovementAction.objects.filter(pk=action.pk).update(deadline=today + timedelta(days=5))
    assert services.notify_overdue(today=today + timedelta(days=6)) == 1
    assert Notification.objects.count() == 4
    # done actions are never overdue
    action.refresh_from_db()
    services.transition(
        actor=demo.users["manager1"],
        action_id=action.pk,
        move="complete",
        version=action.version,
        evidence_text="ok",
    )
    ImprovementAction.objects.filter(pk=action.pk).update(deadline=today + timedelta(days=6))
    assert services.notify_overdue(today=today + timedelta(days=30)) == 0


def test_the_overdue_task_is_queued_by_the_tick():
    from kesu.improvements.tasks import check_improvement_effectiveness, notify_overdue_improvements
    from kesu.ops.management.commands.tick import PERIODIC

    assert notify_overdue_improvements in PERIODIC and check_improvement_effectiveness in PERIODIC


def test_scope_a_dealers_actions_are_seen_by_it_its_region_and_the_carmaker(demo):
    action = an_action(demo)
    for username in ("agent1", "manager1", "gm1", "region1", "crc1", "quality1", "admin"):
        assert services.get_action(actor=demo.users[username], action_id=action.pk) == action
    for username in ("agent2", "manager2", "gm3", "region2"):
        with pytest.raises(NotFound):
            services.get_action(actor=demo.users[username], action_id=action.pk)


def test_bad_input_names_the_field(demo):
    manager = demo.users["manager1"]
    data = services.ActionInput(
        title=" ", owner_id=demo.users["agent1"].pk, deadline=date(2000, 1, 1), priority="x"
    )
    with pytest.raises(InvalidInput) as error:
        services.create_action(actor=manager, data=data)
    assert {"title", "deadline", "priority"} <= set(error.value.fields)
    good: dict[str, Any] = {"title": "整改", "deadline": timezone.localdate(), "priority": "routine"}
    with pytest.raises(InvalidInput) as error:  # the owner must work where the action is
        services.create_action(
            actor=manager, data=services.ActionInput(owner_id=demo.users["agent2"].pk, **good)
        )
    assert "owner_id" in error.value.fields
    theirs = make_complaint(demo, 2)
    with pytest.raises(NotFound):
        services.create_action(
            actor=manager,
            data=services.ActionInput(owner_id=demo.users["agent1"].pk, complaint_ids=[theirs.pk], **good),
        )
    with pytest.raises(Forbidden):  # an agent does not open actions
        services.create_action(
            actor=demo.users["agent1"], data=services.ActionInput(owner_id=demo.users["agent1"].pk, **good)
        )
    assert not ImprovementAction.objects.exists()


@given(day=st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)), months=st.integers(-24, 24))
def test_shifting_by_months_keeps_the_day_or_the_months_last(day, months):
    shifted = shift_month(day, months)
    assert (shifted.year * 12 + shifted.month) - (day.year * 12 + day.month) == months
    assert shifted.day == day.day or (shifted.day < day.day and (shifted + timedelta(days=1)).day == 1)


# --- the transition table, as a state machine -------------------------------------------------


@pytest.mark.django_db
def test_the_transition_table_holds_under_any_sequence_of_moves(demo):
    class Machine(RuleBasedStateMachine):
        @initialize()
        def open_one(self) -> None:
            ImprovementAction.objects.all().delete()
            self.action = an_action(demo)
            self.status: str = ActionStatus.OPEN

        @rule(
            move=st.sampled_from(sorted(TRANSITIONS)), who=st.sampled_from(["manager1", "agent1", "agent2"])
        )
        def take(self, move: str, who: str) -> None:
            rule_ = TRANSITIONS[move]
            user = demo.users[who]
            version = ImprovementAction.objects.get(pk=self.action.pk).version
            try:
                after = services.transition(
                    actor=user,
                    action_id=self.action.pk,
                    move=move,
                    version=version,
                    reason="原因",
                    evidence_text="证据",
                )
            except NotFound:
                assert who == "agent2"
            except Forbidden:
                assert who == "agent1" and rule_.managers_only
            except IllegalTransition:
                assert self.status not in rule_.sources
            else:
                assert self.status in rule_.sources and who != "agent2"
                assert after.status == rule_.target and after.version == version + 1
                self.status = rule_.target

        @invariant()
        def stored(self) -> None:
            if hasattr(self, "action"):
                action = ImprovementAction.objects.get(pk=self.action.pk)
                assert action.status == self.status
                assert (action.completed_at is not None) == (action.status == ActionStatus.DONE)

    Machine.TestCase.settings = settings(
        max_examples=25, stateful_step_count=8, deadline=None, suppress_health_check=list(HealthCheck)
    )
    Machine.TestCase().runTest()


# --- the monthly review pack's sections --------------------------------------------------------


def test_the_review_sections_list_last_months_actions_first_then_this_months(demo):
    this_month = timezone.localdate().replace(day=1)
    last = an_action(demo)
    ImprovementAction.objects.filter(pk=last.pk).update(
        created_at=timezone.now() - timedelta(days=40), deadline=shift_month(this_month, -1).replace(day=20)
    )
    ImprovementAction.objects.filter(pk=last.pk).update(
        status="done",
        completed_at=timezone.now() - timedelta(days=35),
        effectiveness="effective",
        count_before=3,
        count_after=0,
    )
    current = an_action(demo, make_complaint(demo, 1))
    other = services.create_action(
        actor=demo.users["manager2"],
        data=services.ActionInput(
            title="别家", owner_id=demo.users["agent2"].pk, deadline=timezone.localdate(), priority="routine"
        ),
    )
    ids = [demo.dealers["D1"].pk]
    previous = review.last_month_actions(organization_ids=ids, month=this_month)
    assert previous["title"].startswith("上月") or "Last month" in previous["title"]
    [row] = previous["rows"]
    assert len(row) == len(previous["columns"])
    assert row[0] == last.title and isinstance(row[4], date)
    assert row[9:] == [3, 0]  # numbers as numbers
    now = review.this_month_actions(organization_ids=ids, month=this_month)
    titles = [r[0] for r in now["rows"]]
    assert current.title in titles and other.title not in titles
    assert now["rows"][titles.index(current.title)][-1] == 1  # complaints it answers, a number
    # a region's pack: the region alone stands for its dealers too (D1 and D2 in 华南区)
    region = review.this_month_actions(organization_ids=[demo.regions["R-S"].pk], month=this_month)
    assert {current.title, other.title} <= {r[0] for r in region["rows"]}
    north = review.this_month_actions(organization_ids=[demo.regions["R-N"].pk], month=this_month)
    assert north["rows"] == []


def test_the_sections_are_declared_for_the_pack():
    from django.apps import apps
    from django.utils.module_loading import import_string

    paths = apps.get_app_config("improvements").review_pack_sections  # type: ignore[attr-defined]
    assert [import_string(p) for p in paths] == [review.last_month_actions, review.this_month_actions]
