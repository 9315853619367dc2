"""What pages, the API and the monthly review read: actions and cases in the user's scope."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.core.errors import invalid, one_of
from kesu.core.search import like_patterns_for
from kesu.organizations.models import User

from .choices import ActionStatus
from .models import Case, ImprovementAction


@dataclass(frozen=True)
class ActionFilters:
    status: str = ""  # one status, "" for all
    overdue: bool = False
    owner_id: int | None = None
    organization_id: int | None = None
    complaint_id: int | None = None


def checked_filters(
    *,
    status: str = "",
    overdue: bool = False,
    owner_id: int | None = None,
    organization_id: int | None = None,
    complaint_id: int | None = None,
) -> ActionFilters:
    if status and status not in ActionStatus.values:
        raise invalid("status", one_of(ActionStatus.values, or_empty=True))
    return ActionFilters(status, overdue, owner_id, organization_id, complaint_id)


def actions_for(*, actor: User, filters: ActionFilters) -> QuerySet[ImprovementAction]:
    """The actions the actor sees, most pressing first (overdue and urgent at the top)."""
    actions = ImprovementAction.objects.visible_to(actor).select_related("owner", "organization")
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.overdue:
        actions = actions.overdue(timezone.localdate())
    if filters.owner_id is not None:
        actions = actions.filter(owner_id=filters.owner_id)
    if filters.organization_id is not None:
        actions = actions.filter(organization_id=filters.organization_id)
    if filters.complaint_id is not None:
        actions = actions.filter(complaints__id=filters.complaint_id)
    return actions.order_by("deadline", "pk")


def cases_for(*, actor: User, q: str = "", drafts: bool = False) -> QuerySet[Case]:
    """Published cases in scope (with ``drafts``: unpublished ones too, for those who publish),
    searched with the queue's Chinese search: the same bigram tokens (core.search), so a
    two-character word such as 刹车 is found."""
    cases = Case.objects.visible_to(actor)
    if not drafts:
        cases = cases.published()
    if len(q) > 100:
        raise invalid("q", _("At most 100 characters."))
    for pattern in like_patterns_for(q):
        if len(pattern) == 1:  # one character: inside any token
            cases = cases.filter(search_tokens__contains=pattern)
            continue
        cases = cases.filter(
            Q(search_tokens=pattern)
            | Q(search_tokens__startswith=f"{pattern} ")
            | Q(search_tokens__endswith=f" {pattern}")
            | Q(search_tokens__contains=f" {pattern} ")
        )
    return cases.select_related("organization").defer("search_tokens").order_by("-published_at", "-pk")
