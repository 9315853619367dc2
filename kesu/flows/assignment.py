"""Who owns a complaint: the person it is given to hears of it (the bell, and the channels they
chose); reassigning and transferring to a department, each with its reason on the timeline."""

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.complaints import ownership
from kesu.complaints.models import Complaint
from kesu.notifications.choices import Kind
from kesu.notifications.outbox import notify
from kesu.organizations.choices import DEALER_ROLES
from kesu.organizations.models import User


def tell_assignee(complaint: Complaint, *, actor: User, reason: str = "") -> None:
    """Notify the complaint's assignee, unless they assigned it to themselves. Once per
    complaint, assignee and version, so a retried request does not notify twice."""
    if complaint.assignee_id is None or complaint.assignee_id == actor.pk:
        return
    assignee = User.objects.filter(pk=complaint.assignee_id, is_active=True).first()
    if assignee is None:
        return
    title = _("%(number)s assigned to you by %(actor)s") % {"number": complaint.number, "actor": actor}
    body = complaint.verbatim[:300]
    if reason:
        body = _("Why: %(reason)s") % {"reason": reason[:300]} + "\n" + body
    notify(
        recipients=[assignee],
        kind=Kind.ASSIGNED,
        title=title,
        body=body,
        key=f"assigned:{complaint.pk}:{assignee.pk}:v{complaint.version}",
        complaint_id=complaint.pk,
    )


@transaction.atomic
def reassign(
    *,
    actor: User,
    complaint_id: int,
    assignee_id: int | None,
    reason: str,
    expected_version: int | None = None,
) -> Complaint:
    """Give the complaint to another person of its dealer with a reason: saved, on the timeline
    (from whom, to whom, why) and the new assignee told — all in one transaction, or nothing."""
    done = ownership.reassign(
        actor=actor,
        complaint_id=complaint_id,
        assignee_id=assignee_id,
        reason=reason,
        expected_version=expected_version,
    )
    tell_assignee(done.complaint, actor=actor, reason=done.reason)
    return done.complaint


@transaction.atomic
def transfer(
    *,
    actor: User,
    complaint_id: int,
    department_id: int | None,
    reason: str,
    expected_version: int | None = None,
) -> Complaint:
    """Make another department responsible with a reason: saved, on the timeline (which
    department, who, why) and the department's people told."""
    done = ownership.transfer(
        actor=actor,
        complaint_id=complaint_id,
        department_id=department_id,
        reason=reason,
        expected_version=expected_version,
    )
    complaint = done.complaint
    members = User.objects.filter(
        organization=done.department, is_active=True, role__in=DEALER_ROLES
    ).exclude(pk=actor.pk)
    title = _("%(number)s transferred to %(department)s by %(actor)s") % {
        "number": complaint.number,
        "department": done.department.name,
        "actor": actor,
    }
    notify(
        recipients=list(members),
        kind=Kind.ASSIGNED,
        title=title,
        body=_("Why: %(reason)s") % {"reason": done.reason[:300]} + "\n" + complaint.verbatim[:300],
        key=f"transferred:{complaint.pk}:{done.department.pk}:v{complaint.version}",
        complaint_id=complaint.pk,
    )
    return complaint
