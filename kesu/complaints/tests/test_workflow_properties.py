"""The workflow table is the specification: ``services.transition`` must do exactly what it says.

A hypothesis state machine plays random (action, actor) moves on a real complaint, and a model
built ONLY from ``workflow.TRANSITIONS`` predicts each outcome: the target status, or
NotFound / Forbidden / IllegalTransition with nothing changed. The table's guards are part of
it (who closes at a severity, a lukewarm rating, the escalation ladder), and the timeline is
checked for the seeds' rules whatever the moves: no crisis closed without the GM, no 一般 closed
without a manager's decision, no rung of the ladder skipped.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from kesu import flows
from kesu.complaints import workflow
from kesu.complaints.choices import LUKEWARM, TERMINAL_STATES, EventKind, Rung, Satisfaction, Severity, Status
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.tests.factories import make_complaint
from kesu.core.errors import (
    DomainError,
    Forbidden,
    IllegalTransition,
    InvalidInput,
    NotFound,
    StaleVersion,
)
from kesu.demo.builder import PATH_TO, DemoOrg
from kesu.organizations.choices import Role

ACTORS = ("agent1", "manager1", "dept1", "gm1", "crc1", "region1", "admin")
ACTIONS = tuple(t.action for t in workflow.TRANSITIONS)
CLOSING = tuple(Satisfaction)  # every rating: a lukewarm one is a manager's decision
SEVERITIES = (Severity.NORMAL, Severity.MAJOR, Severity.CRISIS)
# Who takes each step when a test walks a complaint to a status (any allowed role would do).
WALKER = {
    "start_investigation": "agent1", "propose_plan": "dept1", "customer_agrees": "agent1",
    "start_implementation": "dept1", "finish_implementation": "dept1", "close": "agent1",
    "refuse": "manager1", "escalate": "manager1", "reopen": "agent1", "request_close": "agent1",
}  # fmt: skip
RUNGS = [rung.value for rung in Rung]  # the ladder, lowest first
LEVEL = {rung: index for index, rung in enumerate(RUNGS)}  # a role's own rung (-1: below)
_MANAGERS = (Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN)


@dataclass
class Model:
    status: str
    escalated: bool
    severity: str
    rung: str


def predict(
    m: Model, action: str, role: str, satisfaction: str = Satisfaction.SATISFIED, reason: bool = False
) -> type[DomainError] | tuple[Status, str]:
    """The outcome the table declares: an error, or (target status, escalation rung after)."""
    admin = role == Role.ADMIN
    if role == Role.CRC_AGENT and not m.escalated:
        return NotFound
    step = workflow.BY_ACTION.get(action)
    if step is None:
        return InvalidInput
    if not (admin or role in step.roles):
        return Forbidden
    if m.status not in step.sources:
        return IllegalTransition
    closers = dict(step.by_severity).get(Severity(m.severity))
    if closers is not None and not admin and role not in closers:
        return Forbidden
    own, at, rung = (-1 if admin else LEVEL.get(role, -1)), LEVEL.get(m.rung, -1), m.rung
    if step.ladder in (workflow.CLIMB, workflow.HAND_BACK) and m.rung and not admin and own < at:
        return Forbidden
    if step.ladder == workflow.CLIMB:
        climb = (3 if at != 3 else None) if m.severity == Severity.CRISIS else max(at, own) + 1
        if climb is None or climb >= len(RUNGS):
            return IllegalTransition
        rung = RUNGS[climb]
    if step.ladder == workflow.HAND_BACK:
        rung = ""
    target = step.target
    if step.lukewarm_deciders and satisfaction in LUKEWARM:
        if admin or role in step.lukewarm_deciders:
            if not reason:
                return InvalidInput
        else:
            assert step.lukewarm_target is not None
            target = step.lukewarm_target
    return target, rung


def check_the_seeds_rules(complaint_id: int) -> None:
    """Whatever happened: a crisis closed only by the GM (a major case by a manager), a lukewarm
    rating closed only by a manager's recorded decision, no rung of the ladder skipped."""
    c = Complaint.objects.get(pk=complaint_id)
    entries = TimelineEntry.objects.filter(complaint_id=complaint_id).select_related("actor").order_by("pk")
    rating, reached = "", -1
    for e in entries:
        role = e.actor.role if e.actor else ""
        if "satisfaction" in e.changes:
            rating = e.changes["satisfaction"][1]
        if e.kind == EventKind.TRANSITION and e.to_status == Status.CLOSED:
            if c.severity == Severity.CRISIS:
                assert role in (Role.GENERAL_MANAGER, Role.ADMIN), "a crisis closed without the GM"
            if c.severity == Severity.MAJOR:
                assert role in _MANAGERS, "a major complaint closed without a manager"
            if rating in LUKEWARM:
                assert role in _MANAGERS and e.changes.get("decision") == [None, "close"], (
                    "a lukewarm rating closed without a manager's decision"
                )
        if e.kind == EventKind.TRANSITION and e.action == "return_to_dealer":
            reached = -1
        if e.kind == EventKind.ESCALATION and "rung" in e.changes:
            new = RUNGS.index(e.changes["rung"][1])
            if c.severity == Severity.CRISIS:
                assert new == len(RUNGS) - 1, "a crisis goes straight to the carmaker"
            else:
                own = -1 if role == Role.ADMIN else LEVEL.get(role, -1)
                assert new == max(reached, own) + 1, "a rung of the ladder was skipped"
            reached = new


def _moves(complaint_id: int):  # type: ignore[no-untyped-def]
    """Timeline entries of the workflow itself (clock events such as "first reply" aside)."""
    return TimelineEntry.objects.filter(
        complaint_id=complaint_id, kind__in=[EventKind.CREATED, EventKind.TRANSITION]
    )


def inputs_for(step: workflow.Transition, satisfaction: str = Satisfaction.SATISFIED) -> dict:
    """Every input the table says the action requires, with a valid value."""
    values: dict[str, Any] = {
        workflow.NOTE: "已向客户说明处理进展。",
        workflow.REASON: "客户要求超出经销商权限。",
        workflow.PROMISED_PLAN_AT: timezone.now() + timedelta(hours=24),
        workflow.ROOT_CAUSE: "制动卡钳导向销润滑不足。",
        workflow.PLAN: "免费更换导向销并清洁润滑。",
        workflow.SATISFACTION: satisfaction,
    }
    return {name: values[name] for name in step.requires}


def snapshot(complaint_id: int) -> tuple:
    row = Complaint.objects.values_list(
        "status", "version", "updated_at", "closed_at", "escalated_at", "satisfaction"
    ).get(pk=complaint_id)
    return (*row, _moves(complaint_id).count())


def walk_to(demo: DemoOrg, status: str) -> Complaint:
    complaint = make_complaint(demo)
    for action in PATH_TO[status]:
        complaint = flows.transition(
            actor=demo.users[WALKER[action]],
            complaint_id=complaint.pk,
            action=action,
            inputs=inputs_for(workflow.BY_ACTION[action]),
        )
    assert complaint.status == status
    return complaint


# --- the state machine --------------------------------------------------------------------------


class WorkflowMachine(RuleBasedStateMachine):
    demo: DemoOrg  # set by the test before running

    @initialize(severity=st.sampled_from(SEVERITIES))
    def register(self, severity: str) -> None:
        complaint = make_complaint(self.demo, severity=severity)
        complaint.refresh_from_db()
        self.pk = complaint.pk
        self.status = Status(complaint.status)
        self.version = complaint.version
        self.escalated = complaint.escalated_at is not None  # a crisis: the carmaker told at once
        self.severity = severity
        self.rung = ""
        self.entries = _moves(self.pk).count()
        assert self.status == Status.RECEIVED and self.entries == 1

    # The model: only the table and the scope rule "CRC sees a complaint once escalated".
    def expected(
        self, action: str, username: str, satisfaction: str = Satisfaction.SATISFIED, reason: bool = False
    ) -> type[DomainError] | tuple[Status, str]:
        model = Model(self.status, self.escalated, self.severity, self.rung)
        return predict(model, action, self.demo.users[username].role, satisfaction, reason)

    def legal_moves(self) -> list[tuple[str, str]]:
        return [
            (action, who)
            for action in ACTIONS
            for who in ACTORS
            if isinstance(self.expected(action, who), tuple)
        ]

    def play(self, action: str, username: str, satisfaction: str, with_note: bool) -> None:
        step = workflow.BY_ACTION.get(action)
        inputs = inputs_for(step, satisfaction) if step else {}
        if with_note:
            inputs.setdefault(workflow.NOTE, "顺带备注")
            inputs.setdefault(workflow.REASON, "经理决定")
        expected_outcome = self.expected(action, username, satisfaction, workflow.REASON in inputs)
        expected = expected_outcome[0] if isinstance(expected_outcome, tuple) else expected_outcome
        before = snapshot(self.pk)
        actor = self.demo.users[username]
        if isinstance(expected_outcome, tuple):
            result = flows.transition(
                actor=actor, complaint_id=self.pk, action=action, inputs=inputs,
                expected_version=self.version if with_note else None,
            )  # fmt: skip
            assert result.status == expected
            entries = list(_moves(self.pk).order_by("pk"))
            assert len(entries) == self.entries + 1, "exactly one timeline entry per transition"
            last = entries[-1]
            assert last.kind == EventKind.TRANSITION
            assert last.action == action
            assert last.from_status == self.status
            assert last.to_status == expected
            assert last.actor_id == actor.pk
            assert result.version == self.version + 1
            self.status = expected
            self.version += 1
            self.entries += 1
            self.rung = expected_outcome[1]
            self.escalated = self.escalated or self.rung in (Rung.REGION, Rung.CRC)
            event(f"reached {expected.value}")
        else:
            with pytest.raises(DomainError) as info:
                flows.transition(actor=actor, complaint_id=self.pk, action=action, inputs=inputs)
            assert type(info.value) is expected, (self.status, self.rung, action, username, info.value)
            assert (
                info.value.status
                == {NotFound: 404, Forbidden: 403, IllegalTransition: 409, InvalidInput: 422}[expected]
            )
            assert snapshot(self.pk) == before, "a refused action changes nothing"

    @rule(
        action=st.sampled_from((*ACTIONS, "fly_to_the_moon")),
        username=st.sampled_from(ACTORS),
        satisfaction=st.sampled_from(CLOSING),
        with_note=st.booleans(),
    )
    def any_move(self, action: str, username: str, satisfaction: str, with_note: bool) -> None:
        self.play(action, username, satisfaction, with_note)

    @rule(data=st.data(), satisfaction=st.sampled_from(CLOSING), with_note=st.booleans())
    def legal_move(self, data: st.DataObject, satisfaction: str, with_note: bool) -> None:
        moves = self.legal_moves()
        assert moves, f"no way out of {self.status}"  # the table has no dead ends
        action, username = data.draw(st.sampled_from(moves))
        self.play(action, username, satisfaction, with_note)

    @invariant()
    def database_agrees_with_the_model(self) -> None:
        if not hasattr(self, "pk"):
            return
        c = Complaint.objects.get(pk=self.pk)
        assert c.status == self.status
        assert c.version == self.version
        assert _moves(self.pk).count() == self.entries
        assert (c.escalated_at is not None) == self.escalated
        assert c.escalation_rung == self.rung
        assert (c.closed_at is not None) == (self.status in TERMINAL_STATES)
        # something is always due but for a refusal: handling, or the revisit call after closing
        assert (c.due_at is None) == (self.status == Status.REFUSED)
        if self.status in (Status.CLOSED, Status.AWAITING_DECISION):
            assert c.satisfaction in CLOSING
        check_the_seeds_rules(self.pk)
        statuses = list(
            TimelineEntry.objects.filter(complaint_id=self.pk, kind=EventKind.TRANSITION)
            .order_by("pk")
            .values_list("from_status", "to_status")
        )
        # The timeline is a connected path from "received" to the current status.
        current: str = Status.RECEIVED
        for from_status, to_status in statuses:
            assert from_status == current
            current = to_status
        assert current == self.status


def test_random_walks_follow_the_workflow_table(demo: DemoOrg) -> None:
    WorkflowMachine.demo = demo
    run_state_machine_as_test(
        WorkflowMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )


# --- every (status, action, actor) once ---------------------------------------------------------


class _Rollback(Exception):
    pass


@pytest.mark.parametrize("status", list(PATH_TO))
def test_every_action_by_every_actor_in_every_status(demo: DemoOrg, status: str) -> None:
    """Exhaustive over the table: for each status, every action by every demo actor."""
    complaint = walk_to(demo, status)
    model = Model(status, complaint.escalated_at is not None, complaint.severity, complaint.escalation_rung)
    for action in ACTIONS:
        step = workflow.BY_ACTION[action]
        for username in ACTORS:
            user = demo.users[username]
            before = snapshot(complaint.pk)
            predicted = predict(model, action, user.role)
            outcome: Any = predicted[0] if isinstance(predicted, tuple) else predicted
            if isinstance(outcome, type):
                with pytest.raises(outcome):
                    flows.transition(
                        actor=user, complaint_id=complaint.pk, action=action,
                        inputs=inputs_for(step),
                    )  # fmt: skip
                assert snapshot(complaint.pk) == before
                continue
            # Legal: try it inside a savepoint we roll back, so the next pair starts from `status`.
            with pytest.raises(_Rollback), transaction.atomic():
                moved = flows.transition(
                    actor=user, complaint_id=complaint.pk, action=action, inputs=inputs_for(step)
                )
                assert moved.status == outcome
                assert moved.version == before[1] + 1
                assert _moves(complaint.pk).count() == before[-1] + 1
                raise _Rollback
            assert snapshot(complaint.pk) == before


# --- required inputs ----------------------------------------------------------------------------

_NEEDS_INPUT = [t for t in workflow.TRANSITIONS if t.requires]


def _actor_for(step: workflow.Transition) -> str:
    # walk_to escalates as the service manager: the GM rung is the one to hand it back
    return {"return_to_dealer": "gm1"}.get(step.action) or WALKER.get(step.action, "manager1")


@pytest.mark.parametrize("step", _NEEDS_INPUT, ids=lambda t: t.action)
@pytest.mark.parametrize("blank", [{}, "whitespace", "none"])
def test_missing_required_inputs_are_all_named_and_nothing_changes(
    demo: DemoOrg, step: workflow.Transition, blank: Any
) -> None:
    source = sorted(step.sources)[0]
    complaint = walk_to(demo, source)
    inputs: dict[str, str | None]
    if blank == "whitespace":
        inputs = {name: "   " for name in step.requires}
    elif blank == "none":
        inputs = {name: None for name in step.requires}
    else:
        inputs = {}
    before = snapshot(complaint.pk)
    with pytest.raises(InvalidInput) as info:
        flows.transition(
            actor=demo.users[_actor_for(step)], complaint_id=complaint.pk, action=step.action,
            inputs=inputs,
        )  # fmt: skip
    assert set(info.value.fields) == set(step.requires)
    assert info.value.status == 422
    assert snapshot(complaint.pk) == before


@pytest.mark.parametrize("step", [t for t in _NEEDS_INPUT if len(t.requires) > 1],
                         ids=lambda t: t.action)  # fmt: skip
def test_each_single_missing_input_is_named(demo: DemoOrg, step: workflow.Transition) -> None:
    complaint = walk_to(demo, sorted(step.sources)[0])
    before = snapshot(complaint.pk)
    for missing in step.requires:
        inputs = inputs_for(step)
        del inputs[missing]
        with pytest.raises(InvalidInput) as info:
            flows.transition(
                actor=demo.users[_actor_for(step)], complaint_id=complaint.pk,
                action=step.action, inputs=inputs,
            )  # fmt: skip
        assert set(info.value.fields) == {missing}
        assert snapshot(complaint.pk) == before


def test_close_with_a_dissatisfied_customer_asks_a_manager(demo: DemoOrg) -> None:
    complaint = walk_to(demo, Status.FOLLOW_UP)
    before = snapshot(complaint.pk)
    with pytest.raises(InvalidInput) as info:
        flows.transition(
            actor=demo.users["agent1"], complaint_id=complaint.pk, action="close",
            inputs=inputs_for(workflow.BY_ACTION["close"], "ecstatic"),
        )  # fmt: skip
    assert set(info.value.fields) == {workflow.SATISFACTION}
    assert snapshot(complaint.pk) == before
    asked = flows.transition(
        actor=demo.users["agent1"], complaint_id=complaint.pk, action="close",
        inputs=inputs_for(workflow.BY_ACTION["close"], Satisfaction.DISSATISFIED),
    )  # fmt: skip
    assert asked.status == Status.AWAITING_DECISION and asked.satisfaction == Satisfaction.DISSATISFIED
    assert asked.closed_at is None


@pytest.mark.parametrize("promised", ["tomorrow", "naive", "yesterday", "in two years"])
def test_promised_plan_time_must_be_a_coming_aware_datetime(demo: DemoOrg, promised: str) -> None:
    complaint = make_complaint(demo)
    values: dict[str, Any] = {
        "tomorrow": "明天下午",
        "naive": timezone.now().replace(tzinfo=None),
        "yesterday": timezone.now() - timedelta(days=1),
        "in two years": timezone.now() + timedelta(days=730),
    }
    value = values[promised]
    before = snapshot(complaint.pk)
    with pytest.raises(InvalidInput) as info:
        flows.transition(
            actor=demo.users["agent1"], complaint_id=complaint.pk, action="start_investigation",
            inputs={"promised_plan_at": value, "note": "已致歉"},
        )  # fmt: skip
    assert set(info.value.fields) == {workflow.PROMISED_PLAN_AT}
    assert snapshot(complaint.pk) == before


def test_transition_records_its_inputs(demo: DemoOrg) -> None:
    complaint = walk_to(demo, Status.PLAN_PROPOSED)
    complaint.refresh_from_db()
    assert complaint.promised_plan_at is not None and timezone.is_aware(complaint.promised_plan_at)
    assert complaint.root_cause and complaint.plan
    refused = walk_to(demo, Status.REFUSED)
    assert refused.refusal_reason == inputs_for(workflow.BY_ACTION["refuse"])["reason"]
    entry = _moves(refused.pk).order_by("pk").last()
    assert entry.note == refused.refusal_reason


# --- optimistic locking -------------------------------------------------------------------------


def test_stale_expected_version_is_refused_and_changes_nothing(demo: DemoOrg) -> None:
    complaint = make_complaint(demo)
    step = workflow.BY_ACTION["start_investigation"]
    flows.update_complaint(
        actor=demo.users["agent1"], complaint_id=complaint.pk, expected_version=complaint.version,
        changes={"facts": "客户第二次来电"},
    )  # fmt: skip
    before = snapshot(complaint.pk)
    assert before[1] == complaint.version + 1
    for stale in (complaint.version, before[1] + 1, 0):
        with pytest.raises(StaleVersion) as info:
            flows.transition(
                actor=demo.users["agent1"], complaint_id=complaint.pk, action=step.action,
                inputs=inputs_for(step), expected_version=stale,
            )  # fmt: skip
        assert info.value.status == 409
        assert snapshot(complaint.pk) == before
    moved = flows.transition(
        actor=demo.users["agent1"], complaint_id=complaint.pk, action=step.action,
        inputs=inputs_for(step), expected_version=before[1],
    )  # fmt: skip
    assert moved.status == Status.INVESTIGATING and moved.version == before[1] + 1


# --- the timeline is append-only ----------------------------------------------------------------


def test_timeline_entries_cannot_be_changed_or_deleted(demo: DemoOrg) -> None:
    complaint = walk_to(demo, Status.INVESTIGATING)
    entries = TimelineEntry.objects.filter(complaint=complaint)
    count = entries.count()
    entry = entries.first()
    assert entry is not None
    original = (entry.note, entry.kind, entry.to_status)

    entry.note = "篡改"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.save(update_fields=["note"])
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        TimelineEntry.objects.filter(pk=entry.pk).update(note="篡改")
    with pytest.raises(TypeError):
        TimelineEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(TypeError):
        TimelineEntry.objects.all().update(note="篡改")
    with pytest.raises(TypeError):
        TimelineEntry.objects.all().delete()
    with pytest.raises(TypeError):
        complaint.timeline.update(note="篡改")
    with pytest.raises(TypeError):
        complaint.timeline.all().delete()
    with pytest.raises(TypeError), transaction.atomic():  # bulk_update opens its own atomic
        TimelineEntry.objects.bulk_update([entry], ["note"])

    fresh = TimelineEntry.objects.get(pk=entry.pk)
    assert (fresh.note, fresh.kind, fresh.to_status) == original
    assert TimelineEntry.objects.filter(complaint=complaint).count() == count


def test_an_overlong_note_is_refused_naming_the_field(demo: DemoOrg) -> None:
    complaint = make_complaint(demo)
    before = snapshot(complaint.pk)
    with pytest.raises(InvalidInput) as info:
        flows.transition(
            actor=demo.users["agent1"], complaint_id=complaint.pk, action="start_investigation",
            inputs={"promised_plan_at": timezone.now() + timedelta(days=1), "note": "已致歉" * 2000},
        )  # fmt: skip
    assert set(info.value.fields) == {workflow.NOTE}
    assert snapshot(complaint.pk) == before
