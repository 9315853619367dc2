"""Listing and searching complaints: the filters shared by the work queue and the API."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Q

from kesu.core.search import like_patterns_for, normalize_text, tsquery_for
from kesu.core.validators import normalize_mobile, normalize_plate, normalize_vin
from kesu.customers.models import Customer, Vehicle
from kesu.organizations.models import User

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


def text_search(queryset: ComplaintQuerySet, term: str) -> ComplaintQuerySet:
    """Complaints whose number/plate/VIN/phone equals ``term`` or whose text contains it."""
    term = term.strip()[:100]
    if not term:
        return queryset
    condition = _identifier_matches(term)
    if connection.vendor == "postgresql":
        tsquery = tsquery_for(term)
        if tsquery:
            # The GIN index finds documents holding every bigram; LIKE on those few rows keeps
            # only the ones where the bigrams are adjacent, i.e. the exact substring.
            text = Q(search_tokens__contains_text=tsquery)
            for pattern in like_patterns_for(term):
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


def filtered(queryset: ComplaintQuerySet, filters: ComplaintFilters) -> ComplaintQuerySet:
    if filters.status:
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
    return text_search(queryset, filters.q)


def queue_for(user: User, filters: ComplaintFilters) -> ComplaintQuerySet:
    """The work queue: in scope, filtered, most overdue first, then the newest."""
    queryset = filtered(Complaint.objects.visible_to(user), filters)
    # search_tokens is only for matching: fetching it for every candidate before the sort
    # doubles the work of a frequent word's search.
    return (
        queryset.select_related("customer", "vehicle", "assignee", "dealer")
        .defer("search_tokens")
        .order_by("due_at", "-received_at", "-pk")
    )
