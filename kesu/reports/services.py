"""The dashboard's figures and the monthly pack's jobs: scope and month checked here, counted
from the fact rows (facts.py) so no path reads the whole complaint table."""

import re
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints.choices import Category, Channel, Satisfaction, Severity
from kesu.core.errors import Forbidden, InvalidInput, NotFound, invalid
from kesu.core.months import add_months
from kesu.core.pg import custom_plans
from kesu.insights.choices import FaultArea
from kesu.insights.models import QualitySignal
from kesu.organizations.choices import DEALER_ROLES, OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import scope_for
from kesu.organizations.tree import dealer_ids_under
from kesu.resolutions.choices import OptionState, Remedy
from kesu.resolutions.models import OptionLine

from . import facts
from .choices import ACTIVE_JOB_STATES, Clock237, Dimension, JobStatus
from .models import ComplaintFact, ReportJob

IMPROVEMENT_URL = "/improvements/new/"  # the improvements app's form (issue 14, part 3)
PARETO_TOP = 10
SIGNALS_TOP = 10
BACKLOG_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-3", 0, 3),
    ("4-7", 4, 7),
    ("8-15", 8, 15),
    ("16-30", 16, 30),
    ("31+", 31, None),
)
_MONTH = re.compile(r"(\d{4})-(\d{2})")


# --- month and reach -----------------------------------------------------------------------------


def parse_month(value: str | None, *, field: str = "month") -> date:
    """``"2026-11"`` → 2026-11-01; malformed, unknown or future months are a 422 naming the field."""
    found = _MONTH.fullmatch((value or "").strip())
    if found is None or not 1 <= int(found[2]) <= 12 or int(found[1]) < 2000:
        raise invalid(field, _("A month as YYYY-MM, e.g. 2026-11."))
    month = date(int(found[1]), int(found[2]), 1)
    if month > facts.month_of(timezone.now()):
        raise invalid(field, _("That month has not begun yet."))
    return month


@dataclass(frozen=True)
class Reach:
    """The complaints a figure counts: the organisation asked for, inside the user's scope.
    ``dealers``: every complaint of these; ``escalated``: only the escalated ones of these
    (CRC, PR); ``everything``: no limit (an administrator without an organisation)."""

    organization: Organization | None
    everything: bool = False
    dealers: frozenset[int] = frozenset()
    escalated: frozenset[int] = frozenset()

    @property
    def dealer_ids(self) -> list[int]:
        return sorted(self.dealers | self.escalated)

    def condition(self) -> Q:
        if self.everything:
            return Q()
        condition = Q(dealer_id__in=sorted(self.dealers)) if self.dealers else Q(pk__in=[])
        if self.escalated:
            condition |= Q(dealer_id__in=sorted(self.escalated), escalated=True)
        return condition


def _default_organization(user: User) -> Organization | None:
    org = user.organization
    if org is not None and user.role in DEALER_ROLES:
        return org.dealer
    return org


def reach_for(*, user: User, org_id: int | None, full: bool = False) -> Reach:
    """The reach of ``org_id`` (default: the user's own organisation) for this user; an unknown
    organisation, a department, or one any of whose dealers the user may not see is a 404 that
    says nothing about it. ``full``: the user must see every complaint of it (not only the
    escalated ones), as the monthly pack counts them all."""
    scope = scope_for(user)
    if org_id is None:
        org = _default_organization(user)
    else:
        org = Organization.objects.filter(pk=org_id).exclude(kind=OrgKind.DEPARTMENT).first()
        if org is None:
            raise NotFound(_("No such organisation."), fields={"org": _("No such organisation.")})
    if scope.everything:
        if org is None:
            return Reach(organization=None, everything=True)
        return Reach(organization=org, dealers=dealer_ids_under(org))
    under = dealer_ids_under(org) if org is not None else frozenset()
    visible = scope.dealer_ids if full else scope.dealer_ids | scope.escalated_dealer_ids
    if org is None or not under or not under <= visible:
        raise NotFound(_("No such organisation."), fields={"org": _("No such organisation.")})
    return Reach(
        organization=org,
        dealers=under & scope.dealer_ids,
        escalated=(under & scope.escalated_dealer_ids) - scope.dealer_ids,
    )


def facts_in(reach: Reach) -> "QuerySet[ComplaintFact]":
    """The fact rows the reach counts, after catching up with the newest changes."""
    facts.catch_up()
    return ComplaintFact.objects.filter(reach.condition())


# --- links ---------------------------------------------------------------------------------------


def queue_link(reach: Reach, month: date | None, **filters: Any) -> str:
    """The queue with the filters that list the complaints behind a figure."""
    params: dict[str, Any] = {"status": filters.pop("status", "any")}
    if month is not None:
        params["month"] = f"{month:%Y-%m}"
    if reach.organization is not None:
        key = "dealer" if reach.organization.kind == OrgKind.DEALER else "org"
        params[key] = reach.organization.pk
    params.update({key: value for key, value in filters.items() if value not in ("", None)})
    return f"{reverse('complaints:queue')}?{urlencode(params)}"


def improvement_link(reach: Reach, month: date, source: str, **filters: Any) -> str:
    """ "创建整改" from a chart: the improvements app's form, told where the action comes from."""
    params: dict[str, Any] = {"source": source, "month": f"{month:%Y-%m}"}
    if reach.organization is not None:
        params["org"] = reach.organization.pk
    params.update({key: value for key, value in filters.items() if value not in ("", None)})
    return f"{IMPROVEMENT_URL}?{urlencode(params)}"


# --- the dashboard -------------------------------------------------------------------------------

COLUMN = {
    Dimension.CATEGORY: "category",
    Dimension.FAULT_AREA: "fault_area",
    Dimension.DEALER: "dealer_id",
    Dimension.DEPARTMENT: "department_id",
    Dimension.CHANNEL: "channel",
    Dimension.MODEL: "model_name",
    Dimension.SEVERITY: "severity",
}
CLOCK_PREFIX = {"first_reply": "reply", "resolution": "close", "revisit": "revisit", "decision": "decision"}
_QUEUE_PARAM = {
    Dimension.CATEGORY: "category",
    Dimension.FAULT_AREA: "fault_area",
    Dimension.DEALER: "dealer",
    Dimension.DEPARTMENT: "department",
    Dimension.CHANNEL: "channel",
    Dimension.MODEL: "model",
    Dimension.SEVERITY: "severity",
}


def dimension_title(dimension: str) -> str:
    return str(Dimension(dimension).label)


def labels_for(dimension: str, keys: list[Any]) -> dict[Any, str]:
    choices: dict[str, Any] = {
        Dimension.CATEGORY: Category,
        Dimension.FAULT_AREA: FaultArea,
        Dimension.CHANNEL: Channel,
        Dimension.SEVERITY: Severity,
        "satisfaction": Satisfaction,
    }
    if dimension in choices:
        names = dict(choices[dimension].choices)
        return {key: str(names.get(key, key)) if key else _("Not given") for key in keys}
    if dimension in (Dimension.DEALER, Dimension.DEPARTMENT):
        found = dict(Organization.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return {key: found.get(key, _("Not given")) for key in keys}
    return {key: str(key) if key else _("Not given") for key in keys}


def by_month(rows: QuerySet[ComplaintFact], column: str, months: list[date]) -> dict[Any, dict[date, int]]:
    counts: dict[Any, dict[date, int]] = {}
    for month, key, count in (
        rows.filter(month__in=months).values_list("month", column).annotate(n=Count("*")).order_by()
    ):
        counts.setdefault(key, {})[month] = count
    return counts


def compliance_counts(
    rows: QuerySet[ComplaintFact], months: list[date], now: datetime
) -> dict[date, dict[str, Any]]:
    aggregates: dict[str, Any] = {}
    for clock in Clock237:
        prefix = CLOCK_PREFIX[clock.value]
        due, done = f"{prefix}_due", f"{prefix}_done"
        aggregates[f"{prefix}_met"] = Count(
            "pk", filter=Q(**{f"{done}__isnull": False, f"{done}__lte": F(due)})
        )
        aggregates[f"{prefix}_missed"] = Count(
            "pk",
            filter=Q(**{f"{done}__gt": F(due)}) | Q(**{f"{done}__isnull": True, f"{due}__lt": now}),
        )
        aggregates[f"{prefix}_all"] = Count("pk", filter=Q(**{f"{due}__isnull": False}))
    found: dict[date, dict[str, Any]] = {}
    for row in rows.filter(month__in=months).values("month").annotate(**aggregates).order_by():
        found[row["month"]] = dict(row)
    return found


def rate(met: int, missed: int) -> float | None:
    return round(met / (met + missed), 4) if met + missed else None


def planned_for_their_values() -> AbstractContextManager[None]:
    """On PostgreSQL, plan each statement for its own dealers and months: after five runs
    psycopg prepares a statement and PostgreSQL may switch to a generic plan that no longer sees
    which index fits (a dealer-month went from 30 ms to a second in bench/reports_bench.py)."""
    return custom_plans() if connection.vendor == "postgresql" else nullcontext()


def dashboard(*, user: User, month: date, org_id: int | None = None) -> dict[str, Any]:
    """Every chart's figures for one organisation and month, this month against last month and
    the same month last year; each figure carries the queue link that lists its complaints and,
    where an action can answer it, the link that creates one."""
    with planned_for_their_values():
        return _dashboard(user=user, month=month, org_id=org_id)


def _dashboard(*, user: User, month: date, org_id: int | None) -> dict[str, Any]:
    reach = reach_for(user=user, org_id=org_id)
    rows = facts_in(reach)
    now = timezone.now()
    last, last_year = add_months(month, -1), add_months(month, -12)
    months = [month, last, last_year]
    # the 13 months by name (not a range): the index is searched on month and dealer together,
    # and COUNT(*) needs nothing but the index (an index-only scan once the table is vacuumed)
    trend_rows = dict(
        rows.filter(month__in=[add_months(last_year, step) for step in range(13)])
        .values_list("month")
        .annotate(n=Count("*"))
        .order_by()
    )
    trend = [
        {
            "month": f"{m:%Y-%m}",
            "count": trend_rows.get(m, 0),
            "queue": queue_link(reach, m),
        }
        for m in (add_months(last_year, step) for step in range(13))
    ]
    volume: dict[str, list[dict[str, Any]]] = {}
    for dimension in Dimension:
        counts = by_month(rows, COLUMN[dimension], months)
        labels = labels_for(dimension, list(counts))
        items = []
        for key, per_month in counts.items():
            item = {
                "key": key if key is not None else "",
                "label": labels[key],
                "this": per_month.get(month, 0),
                "last": per_month.get(last, 0),
                "last_year": per_month.get(last_year, 0),
                "queue": queue_link(reach, month, **{_QUEUE_PARAM[dimension]: key}),
            }
            if dimension in (Dimension.CATEGORY, Dimension.FAULT_AREA):
                item["improve"] = improvement_link(
                    reach, month, f"volume_{dimension.value}", **{dimension.value: key}
                )
            items.append(item)
        items.sort(key=lambda item: (-int(item["this"]), -int(item["last"]), str(item["label"])))
        volume[dimension.value] = items
    satisfaction_counts = by_month(rows, "satisfaction", months)
    satisfaction_labels = labels_for("satisfaction", list(satisfaction_counts))
    satisfaction = [
        {
            "key": key,
            "label": satisfaction_labels[key],
            "this": per_month.get(month, 0),
            "last": per_month.get(last, 0),
            "last_year": per_month.get(last_year, 0),
            "queue": queue_link(reach, month),
        }
        for key, per_month in sorted(
            satisfaction_counts.items(),
            key=lambda kv: Satisfaction.values.index(kv[0]) if kv[0] in Satisfaction.values else 99,
        )
        if key
    ]
    compliance_rows = compliance_counts(rows, months, now)
    compliance = []
    for clock in Clock237:
        prefix = CLOCK_PREFIX[clock.value]
        per = {m: compliance_rows.get(m, {}) for m in months}
        this = per[month]
        met, missed, every = (
            this.get(f"{prefix}_met", 0),
            this.get(f"{prefix}_missed", 0),
            this.get(f"{prefix}_all", 0),
        )
        compliance.append(
            {
                "key": clock.value,
                "label": str(clock.label),
                "met": met,
                "missed": missed,
                "pending": every - met - missed,
                "rate": rate(met, missed),
                "last_rate": rate(per[last].get(f"{prefix}_met", 0), per[last].get(f"{prefix}_missed", 0)),
                "last_year_rate": rate(
                    per[last_year].get(f"{prefix}_met", 0), per[last_year].get(f"{prefix}_missed", 0)
                ),
                "queue": queue_link(reach, month),
            }
        )
    totals = {
        "this": trend_rows.get(month, 0),
        "last": trend_rows.get(last, 0),
        "last_year": trend_rows.get(last_year, 0),
    }
    return {
        "month": f"{month:%Y-%m}",
        "org": _org_out(reach),
        "periods": {"this": f"{month:%Y-%m}", "last": f"{last:%Y-%m}", "last_year": f"{last_year:%Y-%m}"},
        "totals": totals,
        "trend": trend,
        "volume": volume,
        "compliance": compliance,
        "satisfaction": satisfaction,
        "compensation": compensation(reach=reach, rows=rows, month=month),
        "pareto": pareto(reach=reach, rows=rows, month=month),
        "backlog": backlog(reach=reach, rows=rows, now=now),
        "quality_signals": quality_signals(user=user, reach=reach, month=month),
        "queue": queue_link(reach, month),
    }


def _org_out(reach: Reach) -> dict[str, Any] | None:
    org = reach.organization
    return None if org is None else {"id": org.pk, "name": org.name, "kind": org.kind}


def pareto(*, reach: Reach, rows: "QuerySet[ComplaintFact]", month: date) -> list[dict[str, Any]]:
    """The top recurring problems (category × fault area) of the month, largest first, with the
    running share of the month's complaints they add up to."""
    mine = rows.filter(month=month)
    total = mine.count()
    groups = list(
        mine.values_list("category", "fault_area")
        .annotate(n=Count("pk"))
        .order_by("-n", "category", "fault_area")[:PARETO_TOP]
    )
    categories, areas = dict(Category.choices), dict(FaultArea.choices)
    running = 0
    found = []
    for category, fault_area, count in groups:
        running += count
        label = " · ".join(
            str(part) for part in (categories.get(category, ""), areas.get(fault_area, "")) if part
        ) or _("Not given")
        found.append(
            {
                "category": category,
                "fault_area": fault_area,
                "label": label,
                "count": count,
                "cumulative_share": round(running / total, 4) if total else 0.0,
                "queue": queue_link(reach, month, category=category, fault_area=fault_area),
                "improve": improvement_link(reach, month, "pareto", category=category, fault_area=fault_area),
            }
        )
    return found


def backlog(*, reach: Reach, rows: "QuerySet[ComplaintFact]", now: datetime) -> list[dict[str, Any]]:
    """Open complaints today by age in days since received."""
    aggregates = {}
    for key, low, high in BACKLOG_BUCKETS:
        condition = Q(received_at__lte=now - timedelta(days=low))
        if high is not None:
            condition &= Q(received_at__gt=now - timedelta(days=high + 1))
        aggregates[key] = Count("received_at", filter=condition)  # in the partial index
    counts = rows.filter(is_open=True).aggregate(**aggregates)
    found = []
    for key, low, high in BACKLOG_BUCKETS:
        received_to = timezone.localtime(now - timedelta(days=low))
        received_from = timezone.localtime(now - timedelta(days=high + 1)) if high is not None else None
        found.append(
            {
                "key": key,
                "label": _("%(days)s days") % {"days": key},
                "count": counts[key] or 0,
                "queue": queue_link(
                    reach,
                    None,
                    status="open",
                    received_to=received_to.isoformat(timespec="seconds"),
                    received_from=received_from.isoformat(timespec="seconds") if received_from else "",
                ),
            }
        )
    return found


def compensation(*, reach: Reach, rows: "QuerySet[ComplaintFact]", month: date) -> list[dict[str, Any]]:
    """What the customers agreed to, by remedy, for the month's complaints (money as strings)."""
    lines = OptionLine.objects.filter(
        option__state=OptionState.AGREED,
        option__complaint_id__in=rows.filter(month=month).values("pk"),
    )
    names = dict(Remedy.choices)
    found = []
    for remedy, count, amount in (
        lines.values_list("remedy")
        .annotate(n=Count("option__complaint_id", distinct=True), total=Sum("amount"))
        .order_by("-total")
    ):
        found.append(
            {
                "key": remedy,
                "label": str(names.get(remedy, remedy)),
                "complaints": count,
                "amount": str((amount or Decimal(0)).quantize(Decimal("0.01"))),
            }
        )
    return found


def quality_signals(*, user: User, reach: Reach, month: date) -> list[dict[str, Any]]:
    """Open quality signals (the same model and fault area at several dealers) the user handles."""
    signals = QualitySignal.objects.visible_to(user).filter(status="open").order_by("-complaint_count", "-pk")
    areas = dict(FaultArea.choices)
    return [
        {
            "id": signal.pk,
            "model": signal.model_name,
            "fault_area": signal.fault_area,
            "label": f"{signal.model_name} · {areas.get(signal.fault_area, signal.fault_area)}",
            "complaints": signal.complaint_count,
            "dealers": signal.dealer_count,
            "queue": queue_link(reach, None, model=signal.model_name, fault_area=signal.fault_area),
            "improve": improvement_link(
                reach, month, "quality_signal", fault_area=signal.fault_area, model=signal.model_name
            ),
        }
        for signal in signals[:SIGNALS_TOP]
    ]


# --- the monthly pack's jobs ---------------------------------------------------------------------


def request_pack(*, user: User, month: date, org_id: int | None) -> tuple[ReportJob, bool]:
    """A pack for the organisation and month: the one already queued or running, else a new job
    (returned with True: the caller enqueues it). Two requests at once make one job (the partial
    unique constraint decides)."""
    reach = reach_for(user=user, org_id=org_id, full=True)
    if not has_capability(user, Capability.EXPORT):
        raise Forbidden(_("Your role does not make review packs."))
    org = reach.organization
    if org is None:
        raise InvalidInput(_("Choose an organisation."), fields={"org": _("Choose an organisation.")})
    active = ReportJob.objects.filter(organization=org, month=month, status__in=ACTIVE_JOB_STATES)
    existing = active.first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return ReportJob.objects.create(organization=org, month=month, requested_by=user), True
    except IntegrityError:
        return active.get(), False


def jobs_visible_to(user: User) -> "QuerySet[ReportJob]":
    """Packs of organisations whose every complaint the user sees (and their own requests)."""
    scope = scope_for(user)
    jobs = ReportJob.objects.select_related("organization", "requested_by")
    if scope.everything:
        return jobs
    mine = Q(requested_by=user)
    ids = [
        org.pk
        for org in Organization.objects.filter(pk__in=jobs.values("organization_id"))
        if (under := dealer_ids_under(org)) and under <= scope.dealer_ids
    ]
    return jobs.filter(mine | Q(organization_id__in=ids))


def get_job(*, user: User, job_id: int) -> ReportJob:
    job = jobs_visible_to(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("No such job."))
    return job


def job_status(job: ReportJob) -> str:
    return JobStatus(job.status).value
