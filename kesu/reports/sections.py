"""The monthly review pack's sections: this app's own (the statistics, departments, serious
cases, penalties, guard overrides, call audits) and how the pack finds every app's.

Each app lists its providers in its AppConfig (``review_pack_sections``: dotted paths to
``(*, organization_ids: list[int], month: date) -> Section``; a provider may also return a list
of sections, or None when it has nothing for that month), as apps name their work-item pages in
``work_item_urls`` for kesu/worklist/links.py. ``organization_ids`` are the dealers the pack
covers, already checked against the requester's scope.
"""

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kesu.calls.models import CallAudit
from kesu.complaints.choices import Severity, Status
from kesu.complaints.models import Complaint
from kesu.core.months import add_months, month_bounds
from kesu.core.redact import mask_identifiers
from kesu.language.models import GuardOverride
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization
from kesu.resolutions.choices import NoticeKind
from kesu.resolutions.models import PenaltyNotice

from . import services
from .models import ComplaintFact
from .selectors import Chart, Section

Provider = Callable[..., Section | list[Section] | Mapping[str, Any] | None]
SERIOUS = (Severity.SERIOUS, Severity.MAJOR, Severity.CRISIS)
MAX_CASES = 100  # serious cases listed in the pack (a region's month can hold hundreds)
CAUSES_PER_DEPARTMENT = 3
MAX_PLANS_READ = 20000


def providers() -> list[Provider]:
    """Every installed app's section providers, in the order of INSTALLED_APPS and their lists."""
    found = []
    for config in apps.get_app_configs():
        for path in getattr(config, "review_pack_sections", ()):
            found.append(import_string(path))
    return found


def collect(
    *, organization_ids: list[int], month: date, progress: Callable[[int], None] | None = None
) -> list[Section]:
    """Every provider's sections for these dealers and month, sorted by their ``order``."""
    sections: list[Section] = []
    every = providers()
    for done, provider in enumerate(every, start=1):
        result = provider(organization_ids=organization_ids, month=month)
        if isinstance(result, Section):
            sections.append(result)
        elif isinstance(result, Mapping):  # an app that does not import reports: a plain dict
            sections.append(_from_mapping(result, default_key=provider.__name__))
        elif result:
            sections.extend(result)
        if progress is not None:
            progress(done * 100 // max(1, len(every)))
    return sorted(sections, key=lambda section: section.order)  # stable: ties keep their order


def _from_mapping(found: Mapping[str, Any], *, default_key: str) -> Section:
    """A section given as ``{"title", "columns", "rows"[, "key", "note", "order"]}``."""
    return Section(
        key=str(found.get("key") or default_key),
        title=str(found["title"]),
        columns=list(found["columns"]),
        rows=[list(row) for row in found.get("rows", [])],
        note=str(found.get("note", "")),
        order=int(found.get("order", 100)),
    )


def _reach(organization_ids: list[int]) -> services.Reach:
    return services.Reach(organization=None, dealers=frozenset(organization_ids))


def _facts(organization_ids: list[int]) -> Any:
    return ComplaintFact.objects.filter(dealer_id__in=organization_ids)


# --- the statistics ------------------------------------------------------------------------------


def statistics(*, organization_ids: list[int], month: date) -> list[Section]:
    """The month's volume against last month and the same month last year, overall and by each
    dimension the dashboard shows."""
    rows = _facts(organization_ids)
    last, last_year = add_months(month, -1), add_months(month, -12)
    months = [month, last, last_year]
    totals = dict(rows.filter(month__in=months).values_list("month").annotate(n=Count("pk")).order_by())
    period = [_("This month"), _("Last month"), _("Same month last year")]
    summary = Section(
        key="summary",
        title=_("Complaints this month"),
        columns=[_("Period"), _("Month"), _("Complaints")],
        rows=[[name, f"{m:%Y-%m}", totals.get(m, 0)] for name, m in zip(period, months, strict=True)],
        chart=Chart(labels=[f"{m:%Y-%m}" for m in months], values=[totals.get(m, 0) for m in months]),
        order=10,
    )
    found = [summary]
    titles = {
        "category": _("By category"),
        "fault_area": _("By fault area"),
        "dealer": _("By dealer"),
        "department": _("By department"),
        "channel": _("By channel"),
        "model": _("By model"),
        "severity": _("By severity"),
    }
    for dimension in services.Dimension:
        counts = services.by_month(rows, services.COLUMN[dimension], months)
        labels = services.labels_for(dimension, list(counts))
        table: list[list[Any]] = sorted(
            (
                [labels[key], per.get(month, 0), per.get(last, 0), per.get(last_year, 0)]
                for key, per in counts.items()
            ),
            key=lambda row: (-int(row[1]), -int(row[2]), str(row[0])),
        )
        found.append(
            Section(
                key=f"by_{dimension.value}",
                title=titles[dimension.value],
                columns=[services.dimension_title(dimension), period[0], period[1], period[2]],
                rows=table,
                chart=Chart(
                    labels=[str(row[0]) for row in table[:12]], values=[row[1] for row in table[:12]]
                ),
                order=11,
            )
        )
    satisfaction = services.by_month(rows, "satisfaction", [month])
    labels = services.labels_for("satisfaction", list(satisfaction))
    found.append(
        Section(
            key="satisfaction",
            title=_("Satisfaction"),
            columns=[_("Satisfaction"), _("Complaints")],
            rows=[[labels[key], per.get(month, 0)] for key, per in satisfaction.items() if key],
            order=12,
        )
    )
    now = timezone.now()
    backlog = services.backlog(reach=_reach(organization_ids), rows=rows, now=now)
    found.append(
        Section(
            key="backlog",
            title=_("Open complaints by age"),
            columns=[_("Age"), _("Complaints")],
            rows=[[item["label"], item["count"]] for item in backlog],
            chart=Chart(
                labels=[item["label"] for item in backlog], values=[item["count"] for item in backlog]
            ),
            order=13,
        )
    )
    return found


def compliance(*, organization_ids: list[int], month: date) -> Section:
    """2-3-7: how many of the month's complaints met each of the four first-cycle clocks."""
    rows = _facts(organization_ids)
    last, last_year = add_months(month, -1), add_months(month, -12)
    found = services.compliance_counts(rows, [month, last, last_year], timezone.now())
    table = []
    for clock in services.Clock237:
        prefix = services.CLOCK_PREFIX[clock.value]
        this = found.get(month, {})
        met, missed = this.get(f"{prefix}_met", 0), this.get(f"{prefix}_missed", 0)
        pending = this.get(f"{prefix}_all", 0) - met - missed
        rates = [
            services.rate(
                found.get(m, {}).get(f"{prefix}_met", 0), found.get(m, {}).get(f"{prefix}_missed", 0)
            )
            for m in (month, last, last_year)
        ]
        table.append([str(clock.label), met, missed, pending, *rates])
    return Section(
        key="compliance",
        title=_("2-3-7 compliance"),
        columns=[
            _("Rule"),
            _("Met"),
            _("Missed"),
            _("Not yet due"),
            _("Rate this month"),
            _("Rate last month"),
            _("Rate same month last year"),
        ],
        rows=table,
        chart=Chart(
            labels=[row[0] for row in table], values=[round((row[4] or 0) * 100, 1) for row in table]
        ),
        order=20,
    )


def recurring_problems(*, organization_ids: list[int], month: date) -> Section:
    items = services.pareto(reach=_reach(organization_ids), rows=_facts(organization_ids), month=month)
    return Section(
        key="pareto",
        title=_("Top recurring problems"),
        columns=[_("Problem"), _("Complaints"), _("Cumulative share")],
        rows=[[item["label"], item["count"], item["cumulative_share"]] for item in items],
        chart=Chart(
            labels=[item["label"] for item in items], values=[item["count"] for item in items], kind="pareto"
        ),
        order=21,
    )


# --- cases -----------------------------------------------------------------------------------------


def _month_complaints(organization_ids: list[int], month: date) -> Any:
    start, end = month_bounds(month)
    return Complaint.objects.filter(
        dealer_id__in=organization_ids, received_at__gte=start, received_at__lt=end
    )


def departments(*, organization_ids: list[int], month: date) -> Section:
    """Each department's complaints of the month, closed ones among them, their most frequent
    causes and their latest countermeasures (a region's month is thousands of complaints: the
    pack summarises; the queue lists them)."""
    mine = _month_complaints(organization_ids, month).filter(department__isnull=False)
    counts = (
        mine.values_list("department_id", "department__parent__name", "department__name")
        .annotate(n=Count("pk"), closed=Count("pk", filter=Q(status=Status.CLOSED)))
        .order_by("department__parent__name", "department__name")
    )
    causes: dict[int, list[str]] = {}
    for department, cause, _n in (
        mine.exclude(root_cause="")
        .values_list("department_id", "root_cause")
        .annotate(n=Count("pk"))
        .order_by("department_id", "-n", "root_cause")
    ):
        causes.setdefault(department, [])
        if len(causes[department]) < CAUSES_PER_DEPARTMENT:
            causes[department].append(f"{cause[:60]}（{_n}）")
    plans: dict[int, list[str]] = {}
    for department, plan in (
        mine.exclude(plan="")
        .order_by("department_id", "-received_at")
        .values_list("department_id", "plan")[:MAX_PLANS_READ]
    ):
        found = plans.setdefault(department, [])
        if len(found) < CAUSES_PER_DEPARTMENT and plan[:60] not in found:
            found.append(plan[:60])
    table = [
        [dealer, name, count, closed, "；".join(causes.get(pk, [])), "；".join(plans.get(pk, []))]
        for pk, dealer, name, count, closed in counts
    ]
    return Section(
        key="departments",
        title=_("Departments: complaints, causes and countermeasures"),
        columns=[
            _("Dealer"),
            _("Department"),
            _("Complaints"),
            _("Closed"),
            _("Most frequent causes"),
            _("Latest countermeasures"),
        ],
        rows=table,
        order=30,
    )


def serious_cases(*, organization_ids: list[int], month: date) -> Section:
    severities, statuses = dict(Severity.choices), dict(Status.choices)
    serious = _month_complaints(organization_ids, month).filter(severity__in=SERIOUS)
    total = serious.count()
    rows = serious.values_list(
        "number", "dealer__name", "received_at", "severity", "status", "verbatim", "plan"
    ).order_by("received_at")[:MAX_CASES]
    return Section(
        key="serious",
        title=_("Serious cases"),
        note=_("The first %(shown)s of %(total)s; the queue lists them all.")
        % {"shown": MAX_CASES, "total": total}
        if total > MAX_CASES
        else "",
        columns=[
            _("Number"),
            _("Dealer"),
            _("Received"),
            _("Severity"),
            _("Status"),
            _("Customer's words"),
            _("Countermeasure"),
        ],
        rows=[
            [
                number,
                dealer,
                timezone.localtime(received).replace(tzinfo=None),
                str(severities.get(severity, severity)),
                str(statuses.get(status, status)),
                # a file printed for the review and kept: nobody there needs the phones, plates
                # or VINs a customer quoted (built by the worker, for whoever asked, issue 16)
                mask_identifiers(verbatim[:200]),
                plan,
            ]
            for number, dealer, received, severity, status, verbatim, plan in rows
        ],
        order=31,
    )


def compensation(*, organization_ids: list[int], month: date) -> Section:
    items = services.compensation(reach=_reach(organization_ids), rows=_facts(organization_ids), month=month)
    return Section(
        key="compensation",
        title=_("Compensation by remedy"),
        columns=[_("Remedy"), _("Complaints"), _("Amount (CNY)")],
        rows=[[item["label"], item["complaints"], Decimal(item["amount"])] for item in items],
        order=32,
    )


def penalty_notices(*, organization_ids: list[int], month: date) -> Section | None:
    start, end = month_bounds(month)
    kinds = dict(NoticeKind.choices)
    rows = (
        PenaltyNotice.objects.filter(
            dealer_id__in=organization_ids, proposed_at__gte=start, proposed_at__lt=end
        )
        .values_list("complaint__number", "person__username", "department__name", "kind", "amount", "state")
        .order_by("proposed_at")
    )
    table = [[n, p, d or "", str(kinds.get(k, k)), a, s] for n, p, d, k, a, s in rows]
    if not table:
        return None
    return Section(
        key="penalties",
        title=_("Penalty notices"),
        columns=[_("Complaint"), _("Person"), _("Department"), _("Kind"), _("Amount (CNY)"), _("State")],
        rows=table,
        order=40,
    )


def guard_overrides(*, organization_ids: list[int], month: date) -> Section | None:
    start, end = month_bounds(month)
    units = list(
        Organization.objects.filter(
            Q(pk__in=organization_ids) | Q(parent_id__in=organization_ids, kind=OrgKind.DEPARTMENT)
        ).values_list("pk", flat=True)
    )
    rows = (
        GuardOverride.objects.filter(organization_id__in=units, at__gte=start, at__lt=end)
        .values_list("user__username")
        .annotate(n=Count("pk"))
        .order_by("-n", "user__username")
    )
    table = [[user, count] for user, count in rows]
    if not table:
        return None
    return Section(
        key="guard_overrides",
        title=_("Guard overrides"),
        columns=[_("Agent"), _("Overrides")],
        rows=table,
        order=41,
    )


def call_audits(*, organization_ids: list[int], month: date) -> Section | None:
    start, end = month_bounds(month)
    score = (
        F("greeting") + F("identity") + F("script_followed") + F("satisfaction_asked") + F("closing_courtesy")
    )
    rows = (
        CallAudit.objects.filter(
            dealer_id__in=organization_ids, call_at__gte=start, call_at__lt=end, scored_at__isnull=False
        )
        .values_list("agent__username")
        .annotate(n=Count("pk"), average=Avg(score))
        .order_by("agent__username")
    )
    table = [[agent, count, round(float(average or 0), 2)] for agent, count, average in rows]
    if not table:
        return None
    return Section(
        key="call_audits",
        title=_("Call audits"),
        columns=[_("Agent"), _("Calls audited"), _("Average score (of 10)")],
        rows=table,
        order=42,
    )
