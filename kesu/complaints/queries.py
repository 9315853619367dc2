"""Listing and searching complaints: the filters shared by the work queue and the API."""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Q

from kesu.core.search import normalize_text, tsquery_for
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
    if compact.isdigit() and len(compact) == 11:
        customer_ids = list(Customer.objects.filter(mobile=compact).values_list("pk", flat=True))
        condition |= Q(customer_id__in=customer_ids[:1000])
    elif len(compact) in (7, 8, 17):
        vehicles = Vehicle.objects.filter(Q(plate=compact) | Q(vin=compact))
        condition |= Q(vehicle_id__in=list(vehicles.values_list("pk", flat=True)[:1000]))
    return condition


def text_search(queryset: ComplaintQuerySet, term: str) -> ComplaintQuerySet:
    """Complaints whose number/plate/VIN/phone equals ``term`` or whose text contains it."""
    term = term.strip()[:100]
    if not term:
        return queryset
    condition = _identifier_matches(term)
    if connection.vendor == "postgresql":
        tsquery = tsquery_for(term)
        if tsquery:
            condition |= Q(search_tokens__contains_text=tsquery)
    else:
        condition |= Q(verbatim__icontains=term) | Q(facts__icontains=term)
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
    return queryset.select_related("customer", "vehicle", "assignee", "dealer").order_by(
        "due_at", "-received_at", "-pk"
    )
