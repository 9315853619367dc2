"""The agent's day: their open work items and the desk's unassigned ones, with their overdue
complaints, most urgent first, and counts per kind.

Reads one table (WorkItem, two partial indexes on open rows) and the complaints' own
``complaint_assignee`` index; never a union over the apps that create the work."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kesu.complaints.choices import OPEN_STATES
from kesu.complaints.models import Complaint, ComplaintQuerySet
from kesu.core.errors import invalid
from kesu.organizations.choices import DEALER_ROLES
from kesu.organizations.models import User
from kesu.organizations.scope import user_dealer_id

from .choices import WorkKind, WorkState
from .models import WorkItem

OVERDUE_COMPLAINT = "overdue_complaint"  # not a WorkItem: the complaint's own clock is late
KINDS = (*WorkKind.values, OVERDUE_COMPLAINT)
PAGE = 100


def kind_labels(counts: dict[str, int]) -> list[tuple[str, Promise, int]]:
    """(kind, label, count) for the tabs, in the order of KINDS."""
    labels: dict[str, Promise] = {**dict(WorkKind.choices), OVERDUE_COMPLAINT: _("Overdue complaint")}
    return [(kind, labels[kind], counts.get(kind, 0)) for kind in KINDS]


@dataclass(frozen=True)
class Entry:
    kind: str
    due_at: datetime
    subject: str
    overdue: bool
    item_id: int | None  # None for an overdue complaint
    ref_model: str
    ref_id: int
    complaint_id: int | None
    customer_id: int | None


@dataclass(frozen=True)
class Day:
    entries: list[Entry]
    counts: dict[str, int]  # every kind, zero included
    overdue: int  # entries already past due, all kinds

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _branches(user: User) -> list[Q]:
    """Mine, and — for the desk of a dealer — the dealer's items nobody was given. Each branch
    is read on its own partial index (an OR of the two would sort every open row)."""
    branches = [Q(assignee=user)]
    dealer_id = user_dealer_id(user)
    if dealer_id is not None and user.role in DEALER_ROLES:
        branches.append(Q(assignee__isnull=True, dealer_id=dealer_id))
    return branches


def _entry(item: WorkItem, now: datetime) -> Entry:
    return Entry(
        kind=item.kind,
        due_at=item.due_at,
        subject=item.subject,
        overdue=item.due_at < now,
        item_id=item.pk,
        ref_model=item.ref_model,
        ref_id=item.ref_id,
        complaint_id=item.complaint_id,
        customer_id=item.customer_id,
    )


def _late_complaints(user: User, now: datetime) -> ComplaintQuerySet:
    return Complaint.objects.filter(assignee=user, status__in=OPEN_STATES, due_at__lt=now)


def day_of(*, user: User, now: datetime | None = None, kind: str = "") -> Day:
    """What ``user`` has to do, most urgent (earliest due) first: at most PAGE entries."""
    if kind and kind not in KINDS:
        raise invalid("kind", f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    now = now or timezone.now()
    counts = {k: 0 for k in KINDS}
    overdue = 0
    entries: list[Entry] = []
    for branch in _branches(user):
        open_items = WorkItem.objects.filter(branch, state=WorkState.OPEN)
        per_kind = open_items.values_list("kind").annotate(
            n=Count("id"), late=Count("id", filter=Q(due_at__lt=now))
        )
        for name, number, late in per_kind.order_by():
            counts[name] += number
            overdue += late
        if kind != OVERDUE_COMPLAINT:
            chosen = open_items.filter(kind=kind) if kind else open_items
            entries += [_entry(item, now) for item in chosen.order_by("due_at", "id")[:PAGE]]
    counts[OVERDUE_COMPLAINT] = _late_complaints(user, now).count()
    overdue += counts[OVERDUE_COMPLAINT]
    if kind in ("", OVERDUE_COMPLAINT):
        late = (
            _late_complaints(user, now)
            .select_related("customer")
            .only("number", "verbatim", "due_at", "customer_id", "customer__name")  # not the tokens
            .order_by("due_at", "id")[:PAGE]
        )
        entries += [
            Entry(
                kind=OVERDUE_COMPLAINT,
                due_at=c.due_at,  # type: ignore[arg-type]
                subject=f"{c.number} {c.customer.name}：{c.verbatim[:40]}",
                overdue=True,
                item_id=None,
                ref_model="complaints.complaint",
                ref_id=c.pk,
                complaint_id=c.pk,
                customer_id=c.customer_id,
            )
            for c in late
        ]
    entries.sort(key=lambda e: (e.due_at, e.ref_id))
    return Day(entries=entries[:PAGE], counts=counts, overdue=overdue)
