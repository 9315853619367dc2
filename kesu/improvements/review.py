"""The improvement actions' sections of the monthly review pack (客户抱怨检讨会议 / DCRC 月会).

Seed 003: 每月会议时应先对上月的整改项的完成情况做一个回顾 — last month's actions come first, with
their status and the effectiveness check, then this month's. The pack (kesu/reports) finds these
callables through ``ImprovementsConfig.review_pack_sections`` and writes one sheet per section;
cells are numbers as numbers and dates as dates."""

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization
from kesu.organizations.tree import dealer_ids_under

from .choices import PRIORITY_RANK, ActionStatus, Effectiveness, Priority
from .models import ImprovementAction
from .months import month_bounds, shift_month


def _with_dealers_under(organization_ids: list[int]) -> set[int]:
    """The organisations given and the dealers under each: a region's pack lists the region's own
    actions and its dealers', whether the caller passes the region alone or with its dealers."""
    found = set(organization_ids)
    for org in Organization.objects.filter(pk__in=organization_ids).exclude(kind=OrgKind.DEALER):
        found |= dealer_ids_under(org)
    return found


def _of_month(organization_ids: list[int], month: date) -> QuerySet[ImprovementAction]:
    """Actions opened in ``month`` or due in it (an action carried over is reviewed when due)."""
    start, end = month_bounds(month)
    first = month.replace(day=1)
    following = shift_month(first, 1)
    return (
        ImprovementAction.objects.filter(organization_id__in=_with_dealers_under(organization_ids))
        .filter(Q(created_at__gte=start, created_at__lt=end) | Q(deadline__gte=first, deadline__lt=following))
        .select_related("owner", "organization")
        .annotate(complaint_count=Count("complaints", distinct=True))
    )


def _local_date(moment: Any) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def _sorted(actions: QuerySet[ImprovementAction]) -> list[ImprovementAction]:
    return sorted(actions, key=lambda a: (PRIORITY_RANK.get(a.priority, 9), a.deadline, a.pk))


def last_month_actions(*, organization_ids: list[int], month: date) -> dict[str, Any]:
    """Last month's actions (the month before ``month``): done or not, on time or late, and
    whether that kind of complaint came back after them."""
    previous = shift_month(month.replace(day=1), -1)
    today = timezone.localdate()
    rows = []
    for a in _sorted(_of_month(organization_ids, previous)):
        done_on = _local_date(a.completed_at)
        late = (done_on or today) > a.deadline and a.status != ActionStatus.CANCELLED
        rows.append(
            [
                a.title,
                a.organization.name,
                str(a.owner),
                Priority(a.priority).label,
                a.deadline,
                ActionStatus(a.status).label,
                done_on,
                _("yes") if late else _("no"),
                Effectiveness(a.effectiveness).label,
                a.count_before,
                a.count_after,
            ]
        )
    return {
        "key": "actions_last_month",
        "order": 1,  # seed 003: the meeting reviews last month's actions first
        "title": _("Last month's improvement actions (%(month)s)") % {"month": previous.strftime("%Y-%m")},
        "columns": [
            *_leading_columns(),
            _("Completed on"),
            _("Late"),
            _("Effectiveness"),
            _("Same complaints, month before"),
            _("Same complaints, month after"),
        ],
        "rows": rows,
    }


def _leading_columns() -> list[str]:
    """The columns both months' sections open with (translated when the pack is made)."""
    return [_("Action"), _("Organisation"), _("Owner"), _("Priority"), _("Deadline"), _("Status")]


def this_month_actions(*, organization_ids: list[int], month: date) -> dict[str, Any]:
    """This month's actions: what is to be done, by whom, by when, answering how many complaints."""
    rows = [
        [
            a.title,
            a.organization.name,
            str(a.owner),
            Priority(a.priority).label,
            a.deadline,
            ActionStatus(a.status).label,
            a.get_source_display(),
            getattr(a, "complaint_count", 0),
        ]
        for a in _sorted(_of_month(organization_ids, month))
    ]
    return {
        "key": "actions_this_month",
        "order": 25,  # after the statistics, before the cases
        "title": _("This month's improvement actions (%(month)s)") % {"month": month.strftime("%Y-%m")},
        "columns": [
            *_leading_columns(),
            _("Source"),
            _("Complaints"),
        ],
        "rows": rows,
    }
