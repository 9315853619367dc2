"""What other apps and the entry points read of follow-ups."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.core.errors import NotFound
from kesu.organizations.models import User

from .choices import FollowUpState, LukewarmAction
from .models import FollowUp, FollowUpPolicy, FollowUpQuerySet


def get_followup(*, actor: User, followup_id: int, for_update: bool = False) -> FollowUp:
    """The follow-up if ``actor`` may see it; NotFound (404, revealing nothing) otherwise."""
    queryset = FollowUp.objects.visible_to(actor)
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    followup = queryset.filter(pk=followup_id).first()
    if followup is None:
        raise NotFound(_("No such follow-up."))
    return followup


def followup_list(
    *,
    actor: User,
    mine: str = "",
    due: str = "",
    state: str = FollowUpState.OPEN,
    kind: str = "",
    fallback: str = "",
    now: datetime | None = None,
) -> FollowUpQuerySet:
    """``mine``: "mine" (assigned to me), "desk" (nobody's yet), "" (both, for a desk person; all
    visible otherwise). ``due``: "today" (due by the end of today), "overdue", "" (any)."""
    now = now or timezone.now()
    queryset = FollowUp.objects.visible_to(actor).select_related("customer", "vehicle", "complaint")
    if state:
        queryset = queryset.filter(state=state)
    if kind:
        queryset = queryset.filter(kind=kind)
    if fallback:
        queryset = queryset.filter(fallback=fallback)
    if mine == "mine":
        queryset = queryset.filter(assignee=actor)
    elif mine == "desk":
        queryset = queryset.filter(assignee__isnull=True)
    elif not actor.is_kesu_admin and actor.role in ("agent", "service_manager", "general_manager"):
        queryset = queryset.filter(Q(assignee=actor) | Q(assignee__isnull=True))
    if due == "today":
        end = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        queryset = queryset.filter(due_at__lt=end)
    elif due == "overdue":
        queryset = queryset.filter(due_at__lt=now)
    return queryset.order_by("due_at", "pk")


def lukewarm_action(dealer_id: int) -> str:
    """What a lukewarm revisit does at this dealer (default: reopen the complaint)."""
    chosen = FollowUpPolicy.objects.filter(dealer_id=dealer_id).values_list("on_lukewarm_revisit", flat=True)
    return chosen.first() or LukewarmAction.REOPEN
