"""Listing and searching complaints: the filters shared by the work queue and the API."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from kesu.core.caches import ProcessCache
from kesu.core.fields import VECTOR_COLUMN
from kesu.core.pg import common_elements, custom_plans
from kesu.core.search import like_patterns_for, normalize_text, tsquery_for
from kesu.core.validators import normalize_mobile, normalize_plate, normalize_vin
from kesu.customers.models import Customer, Vehicle
from kesu.organizations.models import User

from .choices import Status
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
    q: str = ""
    # with ``status``: closed complaints whose revisit call is overdue come too (the desk's work)
    with_overdue_revisits: bool = False


def _identifier_matches(term: str) -> Q:
    """Number, plate, VIN or phone typed in the search box.

    Resolved to id lists first (tiny indexed lookups) so PostgreSQL can OR them with the text
    index in one bitmap scan instead of filtering row by row.
    """
    compact = normalize_text(term).replace(" ", "").upper()
    condition = Q(number=compact)
    mobile = _valid(normalize_mobile, term)
    if mobile:
        customers = Customer.objects.filter(mobile=mobile).values_list("pk", flat=True)
        condition |= Q(customer_id__in=list(customers[:1000]))
    plate, vin = _valid(normalize_plate, term), _valid(normalize_vin, term)
    if plate or vin:
        vehicles = Vehicle.objects.filter(plate=plate) if plate else Vehicle.objects.filter(vin=vin)
        condition |= Q(vehicle_id__in=list(vehicles.values_list("pk", flat=True)[:1000]))
    return condition


def _valid(normalize: Callable[[str], str], term: str) -> str:
    try:
        return normalize(term)
    except ValueError:
        return ""


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


def text_search(queryset: ComplaintQuerySet, term: str, *, walk: bool = False) -> ComplaintQuerySet:
    """Complaints whose number/plate/VIN/phone equals ``term`` or whose text contains it.

    ``walk``: match without the text index, so that PostgreSQL walks the queue order and stops at
    the page (see :func:`walks_for_page`); the same complaints match either way."""
    term = term.strip()[:100]
    if not term:
        return queryset
    condition = _identifier_matches(term)
    if connection.vendor == "postgresql":
        tsquery = tsquery_for(term)
        if tsquery:
            # The GIN index finds documents holding every bigram; LIKE on those few rows keeps
            # only the ones where the bigrams are adjacent, i.e. the exact substring. A single
            # token (one bigram, one ASCII word) needs no LIKE: holding it is containing it.
            frequent = walk or word_frequency(term) >= FREQUENT_WORD
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
    narrowing = (filters.category, filters.severity, filters.assignee, filters.department)
    if connection.vendor != "postgresql" or not filters.q.strip() or any(narrowing):
        return False
    if filters.received_from or filters.received_to:
        return False
    frequency = word_frequency(filters.q.strip()[:100])
    return WALKED_PAGE_WORD <= frequency < FREQUENT_WORD and rows / frequency <= WALK_ROW_BUDGET


def filtered(
    queryset: ComplaintQuerySet, filters: ComplaintFilters, *, walk: bool = False
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
    if filters.dealer:
        queryset = queryset.filter(dealer_id=filters.dealer)
    if filters.assignee:
        queryset = queryset.filter(assignee_id=filters.assignee)
    if filters.department:
        queryset = queryset.filter(department_id=filters.department)
    if filters.received_from:
        queryset = queryset.filter(received_at__gte=filters.received_from)
    if filters.received_to:
        queryset = queryset.filter(received_at__lt=filters.received_to)
    return text_search(queryset, filters.q, walk=walk)


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
    """The work queue: in scope, filtered, most overdue first, then the newest. ``walk``: see
    :func:`text_search`; :func:`queue_page` and :func:`queue_rows` choose it."""
    queryset = filtered(Complaint.objects.visible_to(user), filters, walk=walk)
    # search_tokens is only for matching: fetching it for every candidate before the sort
    # weighs down a frequent word's search, which has the most candidates.
    return (
        queryset.select_related("customer", "vehicle", "assignee", "dealer")
        .defer("search_tokens")
        # nothing due (closed, paused) last on every database: SQLite sorts NULL first
        .order_by(F("due_at").asc(nulls_last=True), "-received_at", "-pk")
    )
