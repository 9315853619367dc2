"""The one writer of work items, used by every app inside its own transaction (like the outbox):
opening is idempotent per (record, kind), closing marks done or cancelled."""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from kesu.core.pg import insert_unless_taken
from kesu.organizations.models import User

from .choices import WorkState
from .models import WorkItem


def ref_of(instance: object) -> str:
    """``app_label.model`` of a model instance, the item's ``ref_model``."""
    meta = instance._meta  # type: ignore[attr-defined]
    return f"{meta.app_label}.{meta.model_name}"


def open_item(
    *,
    dealer_id: int,
    kind: str,
    due_at: datetime,
    subject: str,
    ref_model: str,
    ref_id: int,
    assignee_id: int | None = None,
    complaint_id: int | None = None,
    customer_id: int | None = None,
) -> WorkItem:
    """Open (or re-open with the new due time and assignee) the item for this record and kind."""
    item, _created = WorkItem.objects.update_or_create(
        ref_model=ref_model,
        ref_id=ref_id,
        kind=kind,
        defaults={
            "dealer_id": dealer_id,
            "assignee_id": assignee_id,
            "due_at": due_at,
            "subject": subject[:200],
            "complaint_id": complaint_id,
            "customer_id": customer_id,
            "state": WorkState.OPEN,
            "done_at": None,
            "done_by": None,
        },
    )
    return item


def close_item(
    *, ref_model: str, ref_id: int, kind: str, by: User | None = None, cancelled: bool = False
) -> int:
    """Mark the open item of this record and kind done (or cancelled); returns rows changed."""
    return close_items(ref_model=ref_model, ref_ids=[ref_id], kind=kind, by=by, cancelled=cancelled)


def close_items(
    *, ref_model: str, ref_ids: Iterable[int], kind: str, by: User | None = None, cancelled: bool = False
) -> int:
    """The same for many records in one statement."""
    return WorkItem.objects.filter(
        ref_model=ref_model, ref_id__in=list(ref_ids), kind=kind, state=WorkState.OPEN
    ).update(
        state=WorkState.CANCELLED if cancelled else WorkState.DONE,
        done_at=timezone.now(),
        done_by=by,
    )


def open_items(new_items: list[WorkItem]) -> int:
    """Open many items at once (unsaved rows, e.g. a worker's batch of generated follow-ups) in one
    statement; an item already there for the same record and kind is left as it is. Returns how
    many were given."""
    if len(new_items) == 1:  # a booking's or a call's one item: a statement built once
        insert_unless_taken(new_items[0])
    else:
        WorkItem.objects.bulk_create(new_items, ignore_conflicts=True)
    return len(new_items)
