"""Listing and searching complaints: the filters shared by the work queue and the API.

THE one way from a queue's parameters to complaints — for the page, ``GET /api/v1/complaints``
and the export (``GET /api/v1/complaints/export``): build a :class:`ComplaintFilters` (the API's
``ListFilters`` fields map onto it one to one: ``ComplaintFilters(**filters.model_dump())``;
the page uses :func:`filters_from_query`) and call :func:`queue_for(user, filters)
<queue_for>` — scoped (``Complaint.objects.visible_to``), filtered, searched (``q``), ``view``
applied and ordered (``ordering``); an unknown ``view`` or ``ordering`` raises a 400 naming the
field.

The search box (``q``) matches, always inside the user's scope (see :func:`_identifier_matches`):
the complaint number (whole, or a fragment of 5+ characters), the customer's name (its beginning,
2+ characters), a plate fragment (3+ characters), exactly four digits as the end of the
customer's phone, a VIN fragment (6+ characters — "车架号后六位"), a whole 11-digit phone, and
the words of the complaint (:func:`text_search`). A role that reads names, plates and VINs masked
(no ``SEE_IDENTITIES``) matches those only whole.
"""

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Case, F, IntegerField, OrderBy, Q, Value, When
from django.db.models.functions import Right
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kesu.core import months
from kesu.core.caches import ProcessCache
from kesu.core.errors import DomainError
from kesu.core.fields import VECTOR_COLUMN
from kesu.core.pg import common_elements, custom_plans
from kesu.core.search import like_patterns_for, normalize_text, tsquery_for
from kesu.core.validators import normalize_mobile, normalize_plate, normalize_vin, normalized_or_empty
from kesu.customers.models import Customer, Vehicle
from kesu.insights.choices import FaultArea
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import scope_for
from kesu.organizations.tree import dealer_ids_under

from .choices import OPEN_STATES, Category, Channel, Severity, Status
from .models import Complaint, ComplaintQuerySet


@dataclass
class ComplaintFilters:
    status: list[str] | None = None
    category: str = ""
    severity: str = ""
    dealer: int | None = None
    assignee: int | None = None
    department: int | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    # the dashboard's drill-downs (kesu/reports): fault area (the suggestion's, as recurrence
    # uses it), channel, vehicle model and the month received ("YYYY-MM", Asia/Shanghai)
    fault_area: str = ""
    channel: str = ""
    model: str = ""
    month: str = ""
    org: int | None = None  # a region or manufacturer: its dealers' complaints (in scope)
    q: str = ""
    # with ``status``: closed complaints whose revisit call is overdue come too (the desk's work)
    with_overdue_revisits: bool = False
    # mine | due_today | overdue | department | all ("" = all); see VIEWS
    view: str = ""
    # "-received_at", "customer,-due_at": see SORTS; "" = the queue order (most overdue first)
    ordering: str = ""


class BadParameter(DomainError):
    """A queue parameter the list cannot take (unknown view or sort field): 400 naming it."""

    code = "bad_parameter"


def bad_parameter(field: str, message: str) -> BadParameter:
    return BadParameter(message, fields={field: message})


# --- search by identifiers ----------------------------------------------------------------------

# Ids resolved from one identifier kind, at most (a 2-character name at a carmaker's scope);
# a search matching more customers or vehicles than this is not a search for one caller.
IDENTIFIER_CAP = 2000
NUMBER_FRAGMENT_MIN = 5
PLATE_FRAGMENT_MIN = 3
VIN_FRAGMENT_MIN = 6
NAME_MIN = 2
_PHONE_TAIL = re.compile(r"\d{4}")
_NUMBER_CHARS = re.compile(r"[A-Z0-9-]+")
_PLATE_CHARS = re.compile(r"[\u4e00-\u9fffA-Z0-9]+")
_VIN_CHARS = re.compile(r"[A-HJ-NPR-Z0-9]+")
_NAME_CHARS = re.compile(r"[^\d\s]+")


def _compact_term(term: str) -> str:
    """What the box holds, as identifiers are stored: half width, upper case, no spaces or dots."""
    return re.sub(r"[\s·•.]", "", normalize_text(term)).upper()


def _identifier_matches(user: User | None, term: str) -> Q:
    """Number, name, plate, VIN or phone typed in the search box, as a condition on complaints.

    Customers and vehicles are resolved to id lists first, among the dealers of the user's
    scope, by small indexed lookups (``customers`` migration 0004: name prefix,
    ``right(mobile, 4)``, pg_trgm on plate and VIN); PostgreSQL then ORs the lists with the
    number and text indexes in one bitmap scan instead of filtering complaints row by row. The
    complaints themselves are scoped by the caller (:func:`queue_for`), so nothing found here
    can show a complaint outside the scope; scoping the lookups as well keeps the lists short.
    """
    compact = _compact_term(term)
    condition = Q(number=compact)
    tail = bool(_PHONE_TAIL.fullmatch(compact))
    if not tail and len(compact) >= NUMBER_FRAGMENT_MIN and _NUMBER_CHARS.fullmatch(compact):
        condition |= Q(number__contains=compact)
    customers: Q | None = None
    mobile = normalized_or_empty(normalize_mobile, term)
    if mobile:
        customers = Q(mobile=mobile)
    elif tail:
        customers = Q(mobile_tail=compact)
    # a role that sees identities masked matches a name, plate or VIN only whole (a fragment one
    # character longer per request would recover what the mask hides, issue 16)
    whole_only = user is not None and not has_capability(user, Capability.SEE_IDENTITIES)
    name = normalize_text(term).strip()
    if len(name) >= NAME_MIN and _NAME_CHARS.fullmatch(name) and not name.isascii():
        by_name = Q(name=name) if whole_only else Q(name__startswith=name)
        customers = by_name if customers is None else customers | by_name
    if customers is not None:
        found = _scoped(Customer.objects.all(), user, dealer="dealer_id").annotate(
            mobile_tail=Right("mobile", 4)
        )
        ids = list(found.filter(customers).values_list("pk", flat=True)[:IDENTIFIER_CAP])
        if ids:
            condition |= Q(customer_id__in=ids)
    vehicles: Q | None = None
    plate, vin = normalized_or_empty(normalize_plate, term), normalized_or_empty(normalize_vin, term)
    if plate or vin:
        vehicles = Q(plate=plate) if plate else Q(vin=vin)
    elif not whole_only:
        if len(compact) >= PLATE_FRAGMENT_MIN and _PLATE_CHARS.fullmatch(compact) and not tail:
            vehicles = Q(plate__contains=compact)
        if len(compact) >= VIN_FRAGMENT_MIN and _VIN_CHARS.fullmatch(compact):
            vehicles = Q(vin__contains=compact) if vehicles is None else vehicles | Q(vin__contains=compact)
    if vehicles is not None:
        found_vehicles = _scoped(Vehicle.objects.all(), user, dealer="customer__dealer_id").filter(vehicles)
        ids = list(found_vehicles.values_list("pk", flat=True)[:IDENTIFIER_CAP])
        if ids:
            condition |= Q(vehicle_id__in=ids)
    return condition


def _scoped(queryset: Any, user: User | None, *, dealer: str) -> Any:
    """Customers or vehicles of the dealers whose complaints the user may see, by ``dealer``
    (the customer's dealer field). Coarser than their ``visible_to`` for the carmaker (all its
    dealers, escalated or not): the complaints are scoped exactly afterwards, and testing
    "has an escalated complaint" per candidate customer cost more than the whole search."""
    scope = scope_for(user) if user is not None else None
    if scope is None or scope.everything:
        return queryset
    return queryset.filter(**{f"{dealer}__in": scope.dealer_ids | scope.escalated_dealer_ids})


def _token_match(pattern: str) -> Q:
    """CJK bigram chains and single characters match anywhere; an ASCII word only whole, as the
    PostgreSQL index does."""
    if not pattern.isascii():
        return Q(search_tokens__contains=pattern)
    return (
        Q(search_tokens=pattern)
        | Q(search_tokens__startswith=f"{pattern} ")
        | Q(search_tokens__endswith=f" {pattern}")
        | Q(search_tokens__contains=f" {pattern} ")
    )


def text_search(
    queryset: ComplaintQuerySet,
    term: str,
    *,
    walk: bool = False,
    user: User | None = None,
    indexed: bool = False,
) -> ComplaintQuerySet:
    """Complaints matching ``term`` by number, customer, vehicle (see :func:`_identifier_matches`,
    looked up within ``user``'s scope) or whose text contains it.

    ``walk``: match without the text index, so that PostgreSQL walks the queue order and stops at
    the page (see :func:`walks_for_page`); the same complaints match either way. ``indexed``:
    always the text index, even for a frequent word (the list is sorted by another column, so
    walking the queue order would not stop early)."""
    term = term.strip()[:100]
    if not term:
        return queryset
    condition = _identifier_matches(user, term)
    if connection.vendor == "postgresql":
        tsquery = tsquery_for(term)
        if tsquery:
            # The GIN index finds documents holding every bigram; LIKE on those few rows keeps
            # only the ones where the bigrams are adjacent, i.e. the exact substring. A single
            # token (one bigram, one ASCII word) needs no LIKE: holding it is containing it.
            frequent = walk or (not indexed and word_frequency(term) >= FREQUENT_WORD)
            text = (
                Q(search_tokens__contains_text_scan=tsquery)
                if frequent
                else Q(search_tokens__contains_text=tsquery)
            )
            for pattern in like_patterns_for(term):
                if " " in pattern:
                    text &= Q(search_tokens__contains=pattern)
            condition |= text
    else:  # SQLite: a scan, but over the same normalised tokens, so both databases agree
        patterns = like_patterns_for(term)
        if patterns:
            text = Q()
            for pattern in patterns:
                text &= _token_match(pattern)
            condition |= text
    return queryset.filter(condition)


# A word in at least this share of all complaints is searched by walking the queue order (see
# ContainsTextScan): 25 matches turn up within a few hundred rows, the capped count within some
# thousands.
FREQUENT_WORD = 0.08
# Between this share and FREQUENT_WORD the page is found by walking the queue order (25 matches
# within ~2,500 rows), and the count by the text index, stopping at the cap: sorting every match
# only to show the first 25 costs more the larger the table grows.
WALKED_PAGE_WORD = 0.01
WALK_ROW_BUDGET = 10_000  # a deeper page than the walk would find within this many rows: the index
FREQUENCY_TTL_SECONDS = 600
TOKEN_FREQUENCIES: ProcessCache[None, dict[str, float]] = ProcessCache(
    "complaints.token_frequencies", ttl=FREQUENCY_TTL_SECONDS
)


def _token_frequencies() -> dict[str, float]:
    """PostgreSQL's statistics of the search vector: the ~1,000 commonest tokens and the share
    of complaints holding each (refreshed by ANALYZE; read once per process every 10 minutes)."""
    return TOKEN_FREQUENCIES.get_or_set(None, lambda: common_elements(Complaint, VECTOR_COLUMN))


def word_frequency(term: str) -> float:
    """Estimated share of complaints containing every bigram of ``term`` (0 when unknown or rare)."""
    tokens = [t for t in tsquery_for(term).split(" & ") if t and not t.endswith(":*")]
    if not tokens:
        return 0.0
    frequencies = _token_frequencies()
    return min(frequencies.get(token, 0.0) for token in tokens)


def walks_for_page(filters: ComplaintFilters, *, rows: int = 25) -> bool:
    """Whether the first ``rows`` matches of this search are best found by walking the queue
    order: a word in 1-8 % of complaints (PostgreSQL), found within ``WALK_ROW_BUDGET`` rows,
    and no filter beyond status that would make matches rarer on the walk."""
    narrowing = (
        filters.category,
        filters.severity,
        filters.assignee,
        filters.department,
        filters.view,
        filters.fault_area,
        filters.channel,
        filters.model,
        filters.org,
    )
    if connection.vendor != "postgresql" or not filters.q.strip() or any(narrowing) or filters.ordering:
        return False
    if filters.received_from or filters.received_to or filters.month:
        return False
    frequency = word_frequency(filters.q.strip()[:100])
    return WALKED_PAGE_WORD <= frequency < FREQUENT_WORD and rows / frequency <= WALK_ROW_BUDGET


def filtered(
    queryset: ComplaintQuerySet,
    filters: ComplaintFilters,
    *,
    walk: bool = False,
    user: User | None = None,
) -> ComplaintQuerySet:
    if filters.status and filters.with_overdue_revisits:
        overdue_revisit = Q(status=Status.CLOSED, due_at__lte=timezone.now())
        queryset = queryset.filter(Q(status__in=filters.status) | overdue_revisit)
    elif filters.status:
        queryset = queryset.filter(status__in=filters.status)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.severity:
        queryset = queryset.filter(severity=filters.severity)
    if filters.dealer:  # outside the scope: nothing (the scope is applied before this)
        queryset = queryset.filter(dealer_id=filters.dealer)
    if filters.assignee:
        queryset = queryset.filter(assignee_id=filters.assignee)
    if filters.department:
        queryset = queryset.filter(department_id=filters.department)
    if filters.received_from:
        queryset = queryset.filter(received_at__gte=filters.received_from)
    if filters.received_to:
        queryset = queryset.filter(received_at__lt=filters.received_to)
    if filters.org:  # outside the scope: nothing (the scope is applied before this)
        org = Organization.objects.filter(pk=filters.org).first()
        queryset = queryset.filter(dealer_id__in=sorted(dealer_ids_under(org)) if org else [])
    if filters.fault_area:
        queryset = queryset.filter(insight__fault_area=filters.fault_area)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.model:
        queryset = queryset.filter(vehicle__model_name=filters.model)
    month = month_bounds(filters.month)
    if month is not None:
        queryset = queryset.filter(received_at__gte=month[0], received_at__lt=month[1])
    if filters.view and user is not None:
        queryset = queryset.filter(view_condition(user, filters.view))
    return text_search(queryset, filters.q, walk=walk, user=user, indexed=bool(filters.ordering))


# --- views: 我的, 今天到期, 已超时 ---------------------------------------------------------------

VIEWS = ("mine", "due_today", "overdue", "department", "all")


def month_bounds(month: str) -> tuple[datetime, datetime] | None:
    """``"2026-11"`` → the month's first instant and the next month's, in Asia/Shanghai; None
    for anything else (a hand-edited URL shows the plain queue)."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", month or "")
    if found is None or not 1970 <= int(found[1]) <= 2200 or not 1 <= int(found[2]) <= 12:
        return None
    return months.month_bounds(date(int(found[1]), int(found[2]), 1))


def today_bounds(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Today in the desk's time zone (Asia/Shanghai): [midnight, next midnight)."""
    local = timezone.localtime(now or timezone.now())
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def view_condition(user: User, view: str) -> Q:
    """``mine``: assigned to the user; ``due_today``: the earliest running clock falls due today
    (Asia/Shanghai); ``overdue``: it fell due before now; ``department``: the user's department's
    (nothing for a user outside a department); ``all``/"": no condition. Unknown: 400."""
    if view in ("", "all"):
        return Q()
    if view == "mine":
        return Q(assignee_id=user.pk)
    if view == "due_today":
        start, end = today_bounds()
        return Q(due_at__gte=start, due_at__lt=end)
    if view == "overdue":
        return Q(due_at__lt=timezone.now())
    if view == "department":
        org = user.organization
        if org is not None and org.kind == OrgKind.DEPARTMENT:
            return Q(department_id=org.pk)
        return Q(pk__in=[])
    raise bad_parameter(
        "view",
        _("Unknown view '%(value)s'; one of: %(allowed)s.")
        % {"value": view[:40], "allowed": ", ".join(VIEWS)},
    )


NAV_VIEWS = ("mine", "due_today", "overdue")
COUNT_CAP = 999  # the navigation shows "999+" beyond: counting stops there
COUNT_TTL_SECONDS = 20
VIEW_COUNTS: ProcessCache[int, dict[str, int]] = ProcessCache("complaints.view_counts", ttl=COUNT_TTL_SECONDS)


def view_counts(user: User) -> dict[str, int]:
    """The navigation's counts of 我的, 今天到期 and 已超时: what the queue page lists for each
    view with its default filter (the open complaints and overdue revisits), counted up to
    ``COUNT_CAP + 1`` (each an index range: assignee/dealer + status + due_at), kept per user
    for ``COUNT_TTL_SECONDS``."""

    def count() -> dict[str, int]:
        counts = {}
        for view in NAV_VIEWS:
            queryset = filtered(Complaint.objects.visible_to(user), open_queue(view=view), user=user)
            counts[view] = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
        return counts

    return VIEW_COUNTS.get_or_set(user.pk, count)


def open_queue(**fields: Any) -> ComplaintFilters:
    """The queue page's default filter: the open complaints, and closed ones whose revisit call
    is overdue."""
    return ComplaintFilters(status=sorted(OPEN_STATES), with_overdue_revisits=True, **fields)


# --- ordering -----------------------------------------------------------------------------------

_SEVERITY_RANK = Case(
    *(When(severity=code, then=Value(rank)) for rank, code in enumerate(Severity.values)),
    default=Value(len(Severity.values)),
    output_field=IntegerField(),
)
_STATUS_RANK = Case(
    *(When(status=code, then=Value(rank)) for rank, code in enumerate(Status.values)),
    default=Value(len(Status.values)),
    output_field=IntegerField(),
)
# sort field (as the API takes it) → what it sorts by; severity and status in their own order
# (一般 → 重大 → 危机; the workflow's order), not alphabetically; empty values last both ways
SORTS: dict[str, tuple[Any, ...]] = {
    "number": ("number",),
    "received_at": ("received_at",),
    "customer": ("customer__name",),
    "dealer": ("dealer__name",),
    "category": ("category",),
    "severity": (_SEVERITY_RANK,),
    "status": (_STATUS_RANK,),
    "assignee": ("assignee__display_name", "assignee__username"),
    "due_at": ("due_at",),
}
SORT_ALIASES = {"received": "received_at", "due": "due_at"}


def parse_ordering(ordering: str) -> list[tuple[str, bool]]:
    """``"-received_at"``, ``"customer,-due"`` → [(field, descending)]; unknown field: 400."""
    parsed = []
    for part in (p.strip() for p in ordering.split(",")):
        if not part:
            continue
        descending = part.startswith("-")
        name = part.lstrip("-+")
        name = SORT_ALIASES.get(name, name)
        if name not in SORTS:
            message = _("Cannot sort by '%(value)s'; sort by one of: %(allowed)s.") % {
                "value": part[:40],
                "allowed": ", ".join(SORTS),
            }
            raise bad_parameter("ordering", message)
        parsed.append((name, descending))
    return parsed


def order_by_fields(ordering: str) -> list[OrderBy]:
    """The ORDER BY of ``ordering``, then the id in the first field's direction (stable pages)."""
    parsed = parse_ordering(ordering)
    terms: list[OrderBy] = []
    for name, descending in parsed:
        for expression in SORTS[name]:
            ref = F(expression) if isinstance(expression, str) else expression
            terms.append(ref.desc(nulls_last=True) if descending else ref.asc(nulls_last=True))
    first_descending = parsed[0][1] if parsed else True
    terms.append(F("pk").desc() if first_descending else F("pk").asc())
    return terms


@dataclass
class Page:
    rows: list[Complaint]
    count: int  # rows from the start, counted up to the page start + the cap
    capped: bool  # True: there are more than ``count``


def page_of(
    queryset: ComplaintQuerySet,
    *,
    start: int,
    size: int,
    cap: int,
    counted: ComplaintQuerySet | None = None,
) -> Page:
    """One page of an ordered queue and a capped count, from one ordered query of ids.

    The ids (sort keys only, no wide rows) of the first ``start + size + cap`` matches give both
    the page and the count — the text index is read once, not once for the page and again to
    count — and the page's rows are then read by primary key, in that order. With ``counted``
    (the same complaints, matched another way) the page comes from ``queryset`` and the capped
    count from ``counted``, unordered."""
    if counted is None:
        ids = list(queryset.values_list("pk", flat=True)[: start + cap + 1])
        wanted = ids[start : start + size]
        total = len(ids)
    else:
        wanted = list(queryset.values_list("pk", flat=True)[start : start + size])
        total = len(counted.order_by().values_list("pk", flat=True)[: start + cap + 1])
    by_id = {row.pk: row for row in queryset.order_by().filter(pk__in=wanted)}
    rows = [by_id[pk] for pk in wanted if pk in by_id]
    return Page(rows=rows, count=min(total, start + cap), capped=total > start + cap)


def queue_page(user: User, filters: ComplaintFilters, *, start: int, size: int, cap: int) -> Page:
    """A page of the work queue with its capped count (see :func:`walks_for_page`)."""
    with planned_for_their_values(filters):
        if walks_for_page(filters, rows=start + size):
            walked = queue_for(user, filters, walk=True)
            counted = queue_for(user, filters, walk=False)
            return page_of(walked, start=start, size=size, cap=cap, counted=counted)
        return page_of(queue_for(user, filters, walk=False), start=start, size=size, cap=cap)


def queue_rows(user: User, filters: ComplaintFilters, *, start: int, size: int) -> list[Complaint]:
    """Rows ``start`` to ``start + size`` of the work queue, without a count (the web page)."""
    walk = walks_for_page(filters, rows=start + size)
    with planned_for_their_values(filters):
        return list(queue_for(user, filters, walk=walk)[start : start + size])


@contextmanager
def planned_for_their_values(filters: ComplaintFilters) -> Iterator[None]:
    """The queries of a search are planned for their own values, never by a prepared
    statement's generic plan (PostgreSQL; ``KESU_PG_PREPARE``): the best plan depends on the
    word and the scope, and the generic plan of one dealer's walked search read and sorted all
    its complaints instead of stopping at the page. Everything else keeps prepared plans:
    planning every statement would cost the intake a good part of its throughput, and the plain
    queue, without a search, time on every page."""
    if connection.vendor != "postgresql" or not filters.q.strip():
        yield
        return
    with custom_plans():
        yield


def queue_for(user: User, filters: ComplaintFilters, *, walk: bool = False) -> ComplaintQuerySet:
    """The work queue: in scope, filtered, searched, in the ``ordering`` asked for (else most
    overdue first, then the newest). ``walk``: see :func:`text_search`; :func:`queue_page` and
    :func:`queue_rows` choose it. Raises :class:`BadParameter` (400) for an unknown ``view`` or
    ``ordering``, naming the field."""
    order = order_by_fields(filters.ordering) if filters.ordering.strip() else None
    queryset = filtered(Complaint.objects.visible_to(user), filters, walk=walk, user=user)
    # search_tokens is only for matching: fetching it for every candidate before the sort
    # weighs down a frequent word's search, which has the most candidates.
    queryset = queryset.select_related("customer", "vehicle", "assignee", "dealer").defer("search_tokens")
    if order is not None:
        return queryset.order_by(*order)
    # nothing due (closed, paused) last on every database: SQLite sorts NULL first
    return queryset.order_by(F("due_at").asc(nulls_last=True), "-received_at", "-pk")


# --- the page's parameters ----------------------------------------------------------------------


def dealers_in_scope(user: User) -> list[Organization]:
    """The dealers whose complaints the user may see (the dealer filter's choices)."""
    scope = scope_for(user)
    dealers = Organization.objects.filter(kind=OrgKind.DEALER)
    if not scope.everything:
        dealers = dealers.filter(pk__in=scope.dealer_ids | scope.escalated_dealer_ids)
    return list(dealers.order_by("name"))


def _int_or_none(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


def _time_or_none(value: str | None) -> datetime | None:
    try:
        parsed = parse_datetime(value or "")
    except ValueError:
        return None
    if parsed is None or not 1970 <= parsed.year <= 2200:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def filters_from_query(params: Mapping[str, Any]) -> ComplaintFilters:
    """The queue page's query string (``request.GET``) → filters, leniently: a value the page
    cannot offer is dropped (a hand-edited URL shows the plain queue, not an error), except an
    unknown ``view`` or ``ordering``, which :func:`queue_for` refuses (400). ``status``: ``open``
    (default: open complaints and overdue revisits), ``any``, or one status."""
    status = params.get("status") or "open"
    category, severity = params.get("category") or "", params.get("severity") or ""
    fault_area, channel = params.get("fault_area") or "", params.get("channel") or ""
    month = str(params.get("month") or "")
    ordering = str(params.get("ordering") or "")
    parse_ordering(ordering)
    filters = ComplaintFilters(
        status=sorted(OPEN_STATES) if status == "open" else ([status] if status in Status.values else None),
        with_overdue_revisits=status == "open",
        category=category if category in Category.values else "",
        severity=severity if severity in Severity.values else "",
        dealer=_int_or_none(params.get("dealer")),
        assignee=_int_or_none(params.get("assignee")),
        department=_int_or_none(params.get("department")),
        received_from=_time_or_none(params.get("received_from")),
        received_to=_time_or_none(params.get("received_to")),
        fault_area=fault_area if fault_area in FaultArea.values else "",
        channel=channel if channel in Channel.values else "",
        model=str(params.get("model") or "")[:60],
        org=_int_or_none(params.get("org")),
        month=month if month_bounds(month) else "",
        q=str(params.get("q") or "")[:100],
        view=str(params.get("view") or "all"),
        ordering=ordering,
    )
    if filters.view not in VIEWS:
        raise bad_parameter(
            "view",
            _("Unknown view '%(value)s'; one of: %(allowed)s.")
            % {"value": filters.view[:40], "allowed": ", ".join(VIEWS)},
        )
    return filters
