"""Complaint rules: a new complaint, edits with optimistic locking, the workflow's moves.

A leaf: these functions know only the complaint, its customer and the organisations. What a
user action does across apps (clocks, analysis, the guard, notifications) is composed in
``kesu.flows``, which pages, the API and tasks call. Every change writes a timeline entry in
the same transaction.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.core.errors import (
    Forbidden,
    IllegalTransition,
    InvalidInput,
    not_one_of,
    one_of,
    raise_if,
    required_message,
    stale_version,
)
from kesu.core.pg import insert_with_children
from kesu.core.search import document_tokens
from kesu.core.validators import too_long
from kesu.customers.models import Customer, Vehicle
from kesu.customers.selectors import get_customer
from kesu.organizations.choices import OrgKind, Role
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability

from . import events, workflow
from .choices import (
    MANUFACTURER_RUNGS,
    Category,
    Channel,
    Demand,
    Emotion,
    EventKind,
    Nature,
    Satisfaction,
    Severity,
    Status,
)
from .inputs import ComplaintDraft
from .models import Complaint, TimelineEntry
from .numbering import next_number
from .selectors import get_complaint

MAX_TEXT = 20_000
CLOCK_SKEW = timedelta(minutes=5)


EDITABLE_FIELDS = (
    "channel",
    "verbatim",
    "facts",
    "emotion",
    "category",
    "nature",
    "severity",
    "demands",
    "department_id",
    "assignee_id",
    "vehicle_id",
)
_CHOICES: dict[str, Any] = {
    "channel": Channel,
    "emotion": Emotion,
    "category": Category,
    "nature": Nature,
    "severity": Severity,
}
_OPTIONAL_CHOICES = {"emotion", "category", "nature"}


# --- validation ---------------------------------------------------------------------------------


def _check_choice(errors: dict[str, str], name: str, value: str) -> None:
    choices = _CHOICES[name]
    if value == "" and name in _OPTIONAL_CHOICES:
        return
    if value not in choices.values:
        errors[name] = not_one_of(value, choices.values)


# before this a date is a typo (year 1, 1900), and the complaint number would carry it
EARLIEST_RECEIVED = datetime(2000, 1, 1, tzinfo=UTC)


def _check_text(errors: dict[str, str], name: str, value: str | None, *, required: bool) -> None:
    if value is None:  # e.g. JSON null in a PATCH: there is no "no text", only empty text
        errors[name] = _("Give text (an empty string to clear it), not null.")
    elif required and not value.strip():
        errors[name] = (
            _("Record the customer's own words.") if name == "verbatim" else _("This field is required.")
        )
    elif len(value) > MAX_TEXT:
        errors[name] = too_long(MAX_TEXT)


def _check_demands(errors: dict[str, str], demands: Any) -> None:
    if not isinstance(demands, list) or any(d not in Demand.values for d in demands):
        errors["demands"] = _("Demands must be a list of: %(allowed)s.") % {
            "allowed": ", ".join(Demand.values)
        }


def _check_department(errors: dict[str, str], department_id: int | None, dealer_id: int) -> None:
    if department_id is None:
        return
    ok = Organization.objects.filter(pk=department_id, kind=OrgKind.DEPARTMENT, parent_id=dealer_id).exists()
    if not ok:
        errors["department_id"] = _("Choose a department of this complaint's dealer.")


def _check_assignee(errors: dict[str, str], assignee_id: int | None, dealer_id: int) -> None:
    if assignee_id is None:
        return
    user = User.objects.select_related("organization").filter(pk=assignee_id, is_active=True).first()
    org = user.organization if user else None
    dealer = org.dealer if org else None
    if dealer is None or dealer.pk != dealer_id:
        errors["assignee_id"] = _("Choose a person who works for this complaint's dealer.")


def _check_vehicle(errors: dict[str, str], vehicle_id: int | None, customer_id: int) -> Vehicle | None:
    """The customer's vehicle ``vehicle_id`` (None if not given); an error if it is not theirs."""
    if vehicle_id is None:
        return None
    vehicle = Vehicle.objects.filter(pk=vehicle_id, customer_id=customer_id).first()
    if vehicle is None:
        errors["vehicle_id"] = _("This vehicle does not belong to the customer.")
    return vehicle


# --- intake -------------------------------------------------------------------------------------


def draft_errors(draft: ComplaintDraft, *, dealer_id: int | None, customer_id: int | None) -> dict[str, str]:
    """Everything wrong with a draft, by field (customer-dependent checks need the ids)."""
    errors: dict[str, str] = {}
    for name in ("channel", "emotion", "category", "nature", "severity"):
        _check_choice(errors, name, getattr(draft, name))
    _check_text(errors, "verbatim", draft.verbatim, required=True)
    _check_text(errors, "facts", draft.facts, required=False)
    _check_demands(errors, draft.demands)
    if dealer_id is not None:
        _check_department(errors, draft.department_id, dealer_id)
        _check_assignee(errors, draft.assignee_id, dealer_id)
    if customer_id is not None:
        _check_vehicle(errors, draft.vehicle_id, customer_id)
    received_at = draft.received_at
    if received_at is not None and timezone.is_naive(received_at):
        errors["received_at"] = _("Give the time with its time zone.")
    elif received_at is not None and received_at > timezone.now() + CLOCK_SKEW:
        errors["received_at"] = _("The complaint cannot be received in the future.")
    elif received_at is not None and received_at < EARLIEST_RECEIVED:
        errors["received_at"] = _("Give a time after 2000-01-01.")
    return errors


def _customer_and_vehicle(
    actor: User, customer_id: int, vehicle_id: int | None
) -> tuple[Customer, Vehicle | None]:
    """The customer in the actor's scope (else NotFound) and their vehicle ``vehicle_id`` (None
    if not given or not theirs). The usual case, a vehicle of that customer, is one query."""
    if vehicle_id is not None:
        vehicle = (
            Vehicle.objects.visible_to(actor)
            .select_related("customer")
            .filter(pk=vehicle_id, customer_id=customer_id)
            .first()
        )
        if vehicle is not None:
            return vehicle.customer, vehicle
    return get_customer(actor=actor, customer_id=customer_id), None


def build_complaint(*, actor: User, draft: ComplaintDraft) -> Complaint:
    """The new complaint, validated and numbered but not yet written: the intake flow plans its
    clocks and analysis first, so the row and its children are written once, together."""
    if not has_capability(actor, Capability.CREATE_COMPLAINT):
        raise Forbidden(_("Your role cannot register complaints."))
    customer, vehicle = _customer_and_vehicle(actor, draft.customer_id, draft.vehicle_id)
    now = timezone.now()
    received_at = draft.received_at or now
    errors = draft_errors(draft, dealer_id=customer.dealer_id, customer_id=None)
    if draft.vehicle_id is not None and vehicle is None:
        _check_vehicle(errors, draft.vehicle_id, customer.pk)
    raise_if(errors)
    complaint = Complaint(
        number=next_number(timezone.localtime(received_at)),
        dealer_id=customer.dealer_id,
        channel=draft.channel,
        received_at=received_at,
        received_by=actor,
        customer=customer,
        vehicle=vehicle,
        verbatim=draft.verbatim.strip(),
        facts=draft.facts.strip(),
        emotion=draft.emotion,
        category=draft.category,
        nature=draft.nature,
        severity=draft.severity,
        demands=sorted(set(draft.demands)),
        department_id=draft.department_id,
        assignee_id=draft.assignee_id,
        escalated_at=received_at if actor.role == Role.CRC_AGENT else None,
        search_tokens=document_tokens(draft.verbatim, draft.facts),
    )
    return complaint


def write_new_complaint(complaint: Complaint, *, actor: User, children: list[Any]) -> None:
    """Write a built complaint with its first timeline entry and ``children`` (rows whose
    ``complaint`` points at it: clocks, the suggestion) in one statement where the database
    allows it."""
    rows = [events.created_entry(complaint, actor), *children]
    insert_with_children(complaint, [("complaint", row) for row in rows])


# --- edits --------------------------------------------------------------------------------------


def _display(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def bump_version(complaint: Complaint, expected_version: int | None, **values: Any) -> None:
    """Write ``values`` only if nobody saved since ``expected_version`` was read (else 409)."""
    queryset = Complaint.objects.filter(pk=complaint.pk)
    if expected_version is not None:
        queryset = queryset.filter(version=expected_version)
    updated = queryset.update(version=F("version") + 1, updated_at=timezone.now(), **values)
    if not updated:
        raise stale_version()
    complaint.refresh_from_db()


@dataclass
class Edit:
    """A saved edit: the complaint as it is now and what changed (field → [before, after])."""

    complaint: Complaint
    diff: dict[str, list[Any]]


@transaction.atomic
def update_complaint(
    *,
    actor: User,
    complaint_id: int,
    expected_version: int,
    changes: dict[str, Any],
    note: str = "",
) -> Edit:
    """Edit fields. Refused with 409 when ``expected_version`` is stale — never merged silently."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not has_capability(actor, Capability.EDIT_COMPLAINT):  # after scope: 404 reveals nothing
        raise Forbidden(_("Your role cannot edit complaints."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(
            _("These fields cannot be edited here."),
            fields={name: _("Not editable.") for name in sorted(unknown)},
        )
    errors: dict[str, str] = {}
    for name, value in changes.items():
        if name in _CHOICES:
            _check_choice(errors, name, value)
        elif name in ("verbatim", "facts"):
            _check_text(errors, name, value, required=name == "verbatim")
    if "demands" in changes:
        _check_demands(errors, changes["demands"])
        changes["demands"] = sorted(set(changes["demands"])) if "demands" not in errors else []
    _check_department(errors, changes.get("department_id"), complaint.dealer_id)
    _check_assignee(errors, changes.get("assignee_id"), complaint.dealer_id)
    _check_vehicle(errors, changes.get("vehicle_id"), complaint.customer_id)
    raise_if(errors)
    diff = {
        name: [_display(getattr(complaint, name)), _display(value)]
        for name, value in changes.items()
        if getattr(complaint, name) != value
    }
    if complaint.version != expected_version:
        raise stale_version()
    if not diff:
        return Edit(complaint, {})
    values = {name: value for name, value in changes.items() if name in diff}
    if "verbatim" in diff or "facts" in diff:
        values["search_tokens"] = document_tokens(
            values.get("verbatim", complaint.verbatim), values.get("facts", complaint.facts)
        )
    bump_version(complaint, expected_version, **values)
    events.record_edit(complaint, actor, diff, note)
    return Edit(complaint, diff)


def record_crisis_escalation(complaint: Complaint, *, roles: str) -> None:
    """A crisis climbed the whole ladder at once: the manufacturer now sees the complaint, and
    the timeline says who was told."""
    Complaint.objects.filter(pk=complaint.pk, escalated_at__isnull=True).update(escalated_at=timezone.now())
    TimelineEntry.objects.create(
        complaint_id=complaint.pk,
        kind=EventKind.ESCALATION,
        note=_("Crisis: %(roles)s notified at once.") % {"roles": roles},
        changes={"role": [None, Role.PR], "crisis": [None, True]},
    )


# --- workflow -----------------------------------------------------------------------------------


# Free texts of an action (a note, a reason, a plan): long enough for a whole phone call's notes.
TRANSITION_TEXTS = frozenset(
    {
        workflow.NOTE,
        workflow.REASON,
        workflow.ROOT_CAUSE,
        workflow.PLAN,
        workflow.GUARD_OVERRIDE_REASON,
    }
)
MAX_TRANSITION_TEXT = 5000
PROMISE_SLACK = timedelta(minutes=10)  # an agent typing after the call
PROMISE_HORIZON = timedelta(days=366)


def _promise_problem(promised: object) -> str | None:
    """Why a promised plan time cannot be what the customer was told, or None."""
    if not isinstance(promised, datetime):
        return _("Give a date and time, e.g. 2026-05-01T15:00+08:00.")
    if timezone.is_naive(promised):
        return _("Give the time with its time zone.")
    now = timezone.now()
    if promised < now - PROMISE_SLACK:
        return _("The time promised to the customer must be in the future.")
    if promised > now + PROMISE_HORIZON:
        return _("The time promised to the customer must be within a year.")
    return None


def _clean_inputs(transition: workflow.Transition, inputs: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name in transition.requires:
        value = inputs.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            errors[name] = required_message(workflow.INPUT_LABELS.get(name, name))
        else:
            cleaned[name] = value
    satisfaction = cleaned.get(workflow.SATISFACTION)
    if satisfaction is not None and satisfaction not in Satisfaction.values:
        errors[workflow.SATISFACTION] = one_of(Satisfaction.values)
    for name, value in inputs.items():
        if name in TRANSITION_TEXTS and isinstance(value, str) and len(value) > MAX_TRANSITION_TEXT:
            errors[name] = too_long(MAX_TRANSITION_TEXT)
    promised = cleaned.get(workflow.PROMISED_PLAN_AT)
    if promised is not None:
        problem = _promise_problem(promised)
        if problem:
            errors[workflow.PROMISED_PLAN_AT] = problem
    raise_if(errors)
    # A note is welcome on any action even when not required.
    if "note" not in cleaned and isinstance(inputs.get("note"), str):
        cleaned["note"] = inputs["note"].strip()
    return cleaned


def _effects(
    transition: workflow.Transition,
    inputs: dict[str, Any],
    now: datetime,
    target: Status | None = None,
    rung: str | None = None,
    escalated_at: datetime | None = None,
) -> dict[str, Any]:
    """The fields an action sets besides the status (``target``: where it leads, if a guard
    diverted it; ``rung``: the escalation rung it reaches)."""
    target = target or transition.target
    values: dict[str, Any] = {}
    for name in (
        workflow.ROOT_CAUSE,
        workflow.PLAN,
        workflow.SATISFACTION,
        workflow.PROMISED_PLAN_AT,
    ):
        if name in inputs:
            values[name] = inputs[name]
    if transition.action == "refuse":
        values["refusal_reason"] = inputs[workflow.REASON]
    if target in (Status.CLOSED, Status.REFUSED):
        values["closed_at"] = now
    if transition.action == "reopen":
        values["closed_at"] = None
    if transition.ladder == workflow.CLIMB and rung:
        values["escalation_rung"] = rung
        if rung in MANUFACTURER_RUNGS and escalated_at is None:  # the manufacturer sees it from now
            values["escalated_at"] = now
    if transition.ladder == workflow.HAND_BACK:
        values["escalation_rung"] = ""
    return values


@dataclass
class PendingTransition:
    """An action checked against the table, the actor and the inputs, not yet applied: the flow
    guards what it says to the customer in between."""

    complaint: Complaint
    step: workflow.Transition
    inputs: dict[str, Any]
    # where it leads: the table's target, or where a guard diverts it (a lukewarm rating)
    target: Status | None = None
    rung: str | None = None  # the escalation rung it reaches
    decision: str = ""  # a manager's decision it records: "requested", "close", "keep_working"

    @property
    def diverted(self) -> bool:
        return self.target is not None and self.target != self.step.target

    @property
    def effect_action(self) -> str:
        """The action whose side effects (clocks) apply: none when a guard diverted it."""
        return "" if self.diverted else self.step.action


def _guard(actor: User, complaint: Complaint, step: workflow.Transition) -> None:
    """The table's guards (severity, ladder): 403 who, 409 not now; the error's code names the rule."""
    refused = workflow.refusal(
        step,
        severity=complaint.severity,
        rung=complaint.escalation_rung,
        role=actor.role,
        is_admin=actor.is_kesu_admin,
    )
    if refused is not None:
        error = Forbidden if refused.forbidden else IllegalTransition
        raise error(refused.message, code=refused.rule)


def _decision(actor: User, step: workflow.Transition, inputs: dict[str, Any]) -> tuple[Status | None, str]:
    """A lukewarm rating: from someone who may not decide, the action leads to the table's
    ``lukewarm_target`` (a manager is asked); from a manager it needs the reason (422)."""
    if step.decision:
        return None, step.decision
    if not workflow.is_lukewarm_decision(step, inputs.get(workflow.SATISFACTION)):
        return None, ""
    if not actor.is_kesu_admin and actor.role not in step.lukewarm_deciders:
        return step.lukewarm_target, "requested"
    if not inputs.get(workflow.REASON):
        message = _("A “%(rating)s” rating is closed only by a manager's decision: give the reason.") % {
            "rating": Satisfaction(inputs[workflow.SATISFACTION]).label
        }
        raise InvalidInput(message, fields={workflow.REASON: message}, code="lukewarm_decision")
    return None, "close"


def prepare_transition(
    *, actor: User, complaint_id: int, action: str, inputs: dict[str, Any]
) -> PendingTransition:
    """Lock the complaint and check the action: 404 out of scope, 422 unknown action or bad
    inputs, 403 role, 409 not possible in this status."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    step = workflow.BY_ACTION.get(action)
    if step is None:
        raise InvalidInput(
            _("Unknown action."),
            fields={"action": one_of(workflow.BY_ACTION)},
        )
    if not workflow.role_may(step, actor.role, is_admin=actor.is_kesu_admin):
        raise Forbidden(_("Your role may not “%(action)s”.") % {"action": step.label})
    if complaint.status not in step.sources:
        raise IllegalTransition(
            _("“%(action)s” is not possible while the complaint is “%(status)s”.")
            % {"action": step.label, "status": complaint.get_status_display()}
        )
    _guard(actor, complaint, step)
    cleaned = _clean_inputs(step, inputs)
    if step.lukewarm_deciders and isinstance(inputs.get(workflow.REASON), str):
        cleaned.setdefault(workflow.REASON, inputs[workflow.REASON].strip())  # the decision's reason
    target, decision = _decision(actor, step, cleaned)
    rung = workflow.next_rung(
        step,
        severity=complaint.severity,
        rung=complaint.escalation_rung,
        role=actor.role,
        is_admin=actor.is_kesu_admin,
    )
    return PendingTransition(complaint, step, cleaned, target or step.target, rung, decision)


def apply_transition(
    *, actor: User, pending: PendingTransition, at: datetime, expected_version: int | None = None
) -> Complaint:
    """Move the complaint along the workflow table — the only way its status ever changes.
    409 when ``expected_version`` is stale."""
    complaint, step = pending.complaint, pending.step
    if expected_version is not None and complaint.version != expected_version:
        raise stale_version()
    target = pending.target or step.target
    values = _effects(step, pending.inputs, at, target, pending.rung, complaint.escalated_at)
    from_status = complaint.status
    changes = {name: [_display(getattr(complaint, name)), _display(value)] for name, value in values.items()}
    if pending.decision:  # a manager's decision, asked or taken: the timeline says which
        changes["decision"] = [None, pending.decision]
    bump_version(complaint, None, status=target, **values)
    texts = (pending.inputs.get(workflow.NOTE), pending.inputs.get(workflow.REASON))
    note = "\n".join(text for text in texts if text)
    events.record_transition(
        complaint, actor, action=step.action, from_status=from_status, note=note, changes=changes
    )
    return complaint
