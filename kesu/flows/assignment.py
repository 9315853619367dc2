"""The person a complaint is given to hears of it (the bell, and the channels they chose)."""

from django.utils.translation import gettext as _

from kesu.complaints.models import Complaint
from kesu.notifications.choices import Kind
from kesu.notifications.outbox import notify
from kesu.organizations.models import User


def tell_assignee(complaint: Complaint, *, actor: User) -> None:
    """Notify the complaint's assignee, unless they assigned it to themselves. Once per
    complaint, assignee and version, so a retried request does not notify twice."""
    if complaint.assignee_id is None or complaint.assignee_id == actor.pk:
        return
    assignee = User.objects.filter(pk=complaint.assignee_id, is_active=True).first()
    if assignee is None:
        return
    title = _("%(number)s assigned to you by %(actor)s") % {"number": complaint.number, "actor": actor}
    notify(
        recipients=[assignee],
        kind=Kind.ASSIGNED,
        title=title,
        body=complaint.verbatim[:300],
        key=f"assigned:{complaint.pk}:{assignee.pk}:v{complaint.version}",
        complaint_id=complaint.pk,
    )
