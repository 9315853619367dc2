"""The complaint workflow as ONE table: every action, where it may start, where it leads, who may
take it and what it needs. ``services.transition`` enforces it; pages and the API only show it.

Four steps (seed 000): receive → cause & plan → explain & carry out → follow up & prevent.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kesu.organizations.choices import Role

from .choices import OPEN_STATES, Status

# Inputs an action may require; each maps to a form/API field of the same name.
NOTE = "note"  # what was done or said
REASON = "reason"  # why (refusal, escalation, reopening)
PROMISED_PLAN_AT = "promised_plan_at"  # the time the customer was told to expect a plan
ROOT_CAUSE = "root_cause"
PLAN = "plan"
SATISFACTION = "satisfaction"
# Optional on any action: send a customer-facing text despite the forbidden-phrase guard (logged).
GUARD_OVERRIDE_REASON = "guard_override_reason"

_DESK = frozenset({Role.AGENT, Role.SERVICE_MANAGER, Role.GENERAL_MANAGER})
_HANDLERS = _DESK | {Role.DEPARTMENT_STAFF}
_MANAGERS = frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER})
_MANUFACTURER = frozenset({Role.REGION_MANAGER, Role.CRC_AGENT})


@dataclass(frozen=True)
class Transition:
    action: str
    label: Promise
    sources: frozenset[Status]
    target: Status
    roles: frozenset[Role]
    requires: tuple[str, ...] = ()
    style: str = "primary"  # how the button looks: primary / secondary / danger
    # Inputs that reach the customer (the plan is explained to them; a refusal's reason is told
    # to them): the forbidden-phrase guard checks these.
    said: tuple[str, ...] = ()


_T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    _T(
        "start_investigation",
        _("Accept and investigate"),
        frozenset({Status.RECEIVED, Status.REOPENED}),
        Status.INVESTIGATING,
        _HANDLERS,
        (PROMISED_PLAN_AT, NOTE),
    ),
    _T(
        "propose_plan",
        _("Propose countermeasure"),
        frozenset({Status.INVESTIGATING}),
        Status.PLAN_PROPOSED,
        _HANDLERS,
        (ROOT_CAUSE, PLAN),
        said=(PLAN,),
    ),
    _T(
        "customer_agrees",
        _("Customer agrees"),
        frozenset({Status.PLAN_PROPOSED}),
        Status.AGREED,
        _DESK,
        (NOTE,),
    ),
    _T(
        "customer_rejects",
        _("Customer rejects plan"),
        frozenset({Status.PLAN_PROPOSED}),
        Status.INVESTIGATING,
        _DESK,
        (NOTE,),
        "secondary",
    ),
    _T(
        "start_implementation",
        _("Start implementation"),
        frozenset({Status.AGREED}),
        Status.IMPLEMENTING,
        _HANDLERS,
        (),
    ),
    _T(
        "finish_implementation",
        _("Implementation done"),
        frozenset({Status.IMPLEMENTING}),
        Status.FOLLOW_UP,
        _HANDLERS,
        (NOTE,),
    ),
    _T(
        "close",
        _("Close"),
        frozenset({Status.FOLLOW_UP}),
        Status.CLOSED,
        _DESK,
        (SATISFACTION, NOTE),
    ),
    _T(
        "refuse",
        _("Refuse"),
        frozenset({Status.RECEIVED, Status.INVESTIGATING}),
        Status.REFUSED,
        _MANAGERS,
        (REASON,),
        "danger",
        said=(REASON,),
    ),
    _T(
        "escalate",
        _("Escalate to manufacturer"),
        OPEN_STATES - {Status.ESCALATED},
        Status.ESCALATED,
        _DESK | {Role.REGION_MANAGER},
        (REASON,),
        "danger",
    ),
    _T(
        "return_to_dealer",
        _("Return to dealer with instructions"),
        frozenset({Status.ESCALATED}),
        Status.INVESTIGATING,
        _MANUFACTURER | _MANAGERS,
        (NOTE,),
        "secondary",
    ),
    _T(
        "reopen",
        _("Reopen"),
        frozenset({Status.CLOSED, Status.REFUSED}),
        Status.REOPENED,
        _DESK | {Role.CRC_AGENT},
        (REASON,),
        "secondary",
    ),
)
BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def role_may(transition: Transition, role: str, *, is_admin: bool) -> bool:
    return is_admin or role in transition.roles


def available(status: str, role: str, *, is_admin: bool) -> list[Transition]:
    """The actions a person with this role may take on a complaint in this status."""
    return [t for t in TRANSITIONS if status in t.sources and role_may(t, role, is_admin=is_admin)]
