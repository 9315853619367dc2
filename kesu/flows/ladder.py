"""Who hears of a guarded move: the next rung of the escalation ladder, or the manager asked to
decide a close (a lukewarm rating, or a severity above the agent's authority).

The rules themselves are in the workflow table (``complaints.workflow``) and are checked by
``complaints.services.prepare_transition``; this module only tells people, through the outbox,
and writes the timeline entry that names them — inside the transition's transaction.
"""

from django.utils.translation import gettext as _

from kesu.complaints import events, workflow
from kesu.complaints.choices import LADDER, EventKind, Satisfaction, Severity
from kesu.complaints.models import Complaint
from kesu.complaints.services import PendingTransition
from kesu.notifications.choices import Kind
from kesu.notifications.outbox import notify
from kesu.organizations.choices import Role
from kesu.organizations.models import User
from kesu.organizations.selectors import RoleHolders


def _names(users: list[User]) -> str:
    return "、".join(str(user) for user in users)


def after_move(complaint: Complaint, *, pending: PendingTransition, actor: User, before_rung: str) -> None:
    """Called by the transition flow after the move is applied."""
    if pending.step.ladder == workflow.CLIMB and pending.rung:
        _tell_rung(complaint, pending=pending, actor=actor, before_rung=before_rung)
    if pending.decision == "requested":
        _ask_for_decision(complaint, pending=pending, actor=actor)


def _tell_rung(complaint: Complaint, *, pending: PendingTransition, actor: User, before_rung: str) -> None:
    """One timeline entry per rung, naming who was told; the holders of the rung notified."""
    rung = str(pending.rung)
    people = [u for u in RoleHolders().holding(complaint.dealer_id, rung) if u.pk != actor.pk]
    label = workflow.rung_label(rung)
    reason = str(pending.inputs.get(workflow.REASON, ""))
    if people:
        note = _("Escalated to the %(rung)s: %(names)s notified.") % {"rung": label, "names": _names(people)}
    else:
        note = _("Escalated to the %(rung)s: nobody holds this role, nobody was notified.") % {"rung": label}
    events.record(
        complaint,
        actor,
        EventKind.ESCALATION,
        note=note,
        # (no "crisis" key: that marks the crisis alert, see complaints.selectors.crisis_alerted)
        changes={"rung": [before_rung or None, rung], "notified": [None, [str(u) for u in people]]},
    )
    title = _("%(number)s escalated to you (%(rung)s) by %(actor)s") % {
        "number": complaint.number,
        "rung": label,
        "actor": actor,
    }
    notify(
        recipients=people,
        kind=Kind.ESCALATION,
        title=title,
        body="\n".join(part for part in (reason, complaint.verbatim[:300]) if part),
        key=f"ladder:{complaint.pk}:{rung}:v{complaint.version}",
        complaint_id=complaint.pk,
        organization=complaint.dealer,
    )


def deciders(complaint: Complaint) -> list[User]:
    """Who may decide the close of this complaint: the lowest rung of the ladder whose role the
    table allows ("decide_close" at the complaint's severity) and someone holds."""
    decide = workflow.BY_ACTION["decide_close"]
    allowed = workflow.closers(decide, complaint.severity) or decide.roles
    holders = RoleHolders()
    for rung in LADDER:
        if rung in allowed:
            people = holders.holding(complaint.dealer_id, rung)
            if people:
                return people
    return []


def _ask_for_decision(complaint: Complaint, *, pending: PendingTransition, actor: User) -> None:
    people = deciders(complaint)
    rating = pending.inputs.get(workflow.SATISFACTION) or complaint.satisfaction
    why = _("the customer rated it “%(rating)s”") % {
        "rating": Satisfaction(rating).label if rating in Satisfaction.values else rating
    }
    closers = workflow.closers(workflow.BY_ACTION["close"], complaint.severity)
    if closers is not None and actor.role not in closers:
        why = _("a %(severity)s complaint is closed by the %(roles)s") % {
            "severity": Severity(complaint.severity).label,
            "roles": "、".join(str(Role(r).label) for r in LADDER if r in closers),
        }
    events.record(
        complaint,
        actor,
        EventKind.ESCALATION,
        note=_("A manager's decision is needed (%(why)s): %(names)s notified.")
        % {"why": why, "names": _names(people) or "—"},
        changes={"decision": [None, "requested"], "notified": [None, [str(u) for u in people]]},
    )
    notify(
        recipients=people,
        kind=Kind.ESCALATION,
        title=_("%(number)s: close or keep working? Your decision is needed (%(why)s)")
        % {"number": complaint.number, "why": why},
        body=str(pending.inputs.get(workflow.NOTE, "")),
        key=f"decision:{complaint.pk}:v{complaint.version}",
        complaint_id=complaint.pk,
    )
