"""The complaint workflow as ONE table: every action, where it may start, where it leads, who may
take it and what it needs. ``services.transition`` enforces it; pages and the API only show it.

Four steps (seed 000): receive → cause & plan → explain & carry out → follow up & prevent.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kesu.organizations.choices import Role

from .choices import LADDER, LUKEWARM, OPEN_STATES, Rung, Severity, Status

# Inputs an action may require; each maps to a form/API field of the same name.
NOTE = "note"  # what was done or said
REASON = "reason"  # why (refusal, escalation, reopening)
PROMISED_PLAN_AT = "promised_plan_at"  # the time the customer was told to expect a plan
ROOT_CAUSE = "root_cause"
PLAN = "plan"
SATISFACTION = "satisfaction"
# Optional on any action: send a customer-facing text despite the forbidden-phrase guard (logged).
GUARD_OVERRIDE_REASON = "guard_override_reason"
# What each input is called on the forms (and in an error's message, which names the field).
INPUT_LABELS = {
    NOTE: _("Note"),
    REASON: _("Reason"),
    PROMISED_PLAN_AT: _("Plan promised to the customer by"),
    ROOT_CAUSE: _("Root cause"),
    PLAN: _("Countermeasure"),
    SATISFACTION: _("Satisfaction"),
    GUARD_OVERRIDE_REASON: _("Send anyway — reason (logged for the monthly review)"),
}

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
    # --- guards (the seeds' process rules), enforced by services.prepare_transition -------------
    # Who may take it at a severity, besides being in ``roles`` (admins always may).
    by_severity: tuple[tuple[Severity, frozenset[Role]], ...] = ()
    # A lukewarm rating (一般 / 不满意) is a manager's decision: from anyone else the action leads
    # to ``lukewarm_target`` (and the managers are asked); from a manager it needs a REASON.
    lukewarm_deciders: frozenset[Role] = frozenset()
    lukewarm_target: Status | None = None
    # The escalation ladder: CLIMB goes one rung above the actor (a crisis straight to the CRC);
    # HAND_BACK only by the rung escalated to, or someone above it.
    ladder: str = ""
    # The manager's decision this action asks for or takes (recorded on the timeline).
    decision: str = ""


CLIMB = "climb"
HAND_BACK = "hand_back"
_CLOSERS = (
    (Severity.MAJOR, _MANAGERS),  # 重大: the service manager or above
    (Severity.CRISIS, frozenset({Role.GENERAL_MANAGER})),  # 危机: the general manager
)

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
        by_severity=_CLOSERS,
        lukewarm_deciders=_MANAGERS,
        lukewarm_target=Status.AWAITING_DECISION,
    ),
    _T(
        "request_close",
        _("Ask a manager to close"),
        frozenset({Status.FOLLOW_UP}),
        Status.AWAITING_DECISION,
        _DESK,
        (SATISFACTION, NOTE),
        "secondary",
        decision="requested",
    ),
    _T(
        "decide_close",
        _("Close (manager's decision)"),
        frozenset({Status.AWAITING_DECISION}),
        Status.CLOSED,
        _MANAGERS,
        (REASON,),
        by_severity=_CLOSERS,
        decision="close",
    ),
    _T(
        "keep_working",
        _("Keep working on it"),
        frozenset({Status.AWAITING_DECISION}),
        Status.INVESTIGATING,
        _MANAGERS,
        (REASON,),
        "secondary",
        decision="keep_working",
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
        _("Escalate up the ladder"),
        OPEN_STATES,
        Status.ESCALATED,
        _DESK | {Role.REGION_MANAGER},
        (REASON,),
        "danger",
        ladder=CLIMB,
    ),
    _T(
        "return_to_dealer",
        _("Return to dealer with instructions"),
        frozenset({Status.ESCALATED}),
        Status.INVESTIGATING,
        _MANUFACTURER | _MANAGERS,
        (NOTE,),
        "secondary",
        ladder=HAND_BACK,
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
    """The actions a person with this role may take on a complaint in this status (before the
    guards, which also need the complaint: see ``refusal``)."""
    return [t for t in TRANSITIONS if status in t.sources and role_may(t, role, is_admin=is_admin)]


# --- the guards, read from the table ------------------------------------------------------------


def level(role: str) -> int:
    """The actor's own rung: -1 below the ladder (agent, department), else its index in LADDER."""
    return LADDER.index(Rung(role)) if role in Rung.values else -1


def rung_label(rung: str) -> str:
    return str(Rung(rung).label) if rung in Rung.values else ""


def next_rung(transition: Transition, *, severity: str, rung: str, role: str, is_admin: bool) -> Rung | None:
    """Where CLIMB leads: a crisis straight to the CRC; else one rung above both the actor and the
    rung it stands at. None at the top of the ladder."""
    if transition.ladder != CLIMB:
        return None
    if severity == Severity.CRISIS:
        return Rung.CRC if rung != Rung.CRC else None
    base = max(level(rung) if rung else -1, -1 if is_admin else level(role))
    return LADDER[base + 1] if base + 1 < len(LADDER) else None


def closers(transition: Transition, severity: str) -> frozenset[Role] | None:
    """The roles that may take ``transition`` at this severity (None: no severity rule)."""
    return dict(transition.by_severity).get(Severity(severity)) if severity in Severity.values else None


@dataclass(frozen=True)
class Refusal:
    """Why a guard refuses an action the table otherwise allows: ``rule`` names the guard (the
    API's error code), ``forbidden`` says 403 (who) rather than 409 (not now)."""

    rule: str
    message: str
    forbidden: bool = True


def refusal(transition: Transition, *, severity: str, rung: str, role: str, is_admin: bool) -> Refusal | None:
    """The guard that refuses this actor the action on a complaint of this severity and rung."""
    allowed = closers(transition, severity)
    if allowed is not None and not is_admin and role not in allowed:
        names = "、".join(str(Role(r).label) for r in LADDER if r in allowed)
        return Refusal(
            "severity_closer",
            _("A %(severity)s complaint is closed by the %(roles)s: use “Ask a manager to close”.")
            % {"severity": Severity(severity).label, "roles": names},
        )
    if transition.ladder == CLIMB:
        if rung and not is_admin and level(role) < level(rung):
            return Refusal(
                "escalation_ladder",
                _("It is escalated to the %(rung)s: only they or someone above can take it further.")
                % {"rung": rung_label(rung)},
            )
        if next_rung(transition, severity=severity, rung=rung, role=role, is_admin=is_admin) is None:
            return Refusal(
                "escalation_ladder",
                str(_("It is at the top of the escalation ladder already.")),
                forbidden=False,
            )
    if transition.ladder == HAND_BACK and rung and not is_admin and level(role) < level(rung):
        return Refusal(
            "escalation_hand_back",
            _("Only the %(rung)s it was escalated to, or someone above, can hand it back.")
            % {"rung": rung_label(rung)},
        )
    return None


def is_lukewarm_decision(transition: Transition, satisfaction: object) -> bool:
    """Whether this action's rating needs a manager's decision."""
    return bool(transition.lukewarm_deciders) and satisfaction in LUKEWARM
