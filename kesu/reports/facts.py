"""The fact rows behind the dashboard and the pack (``ComplaintFact``), and how they stay true.

A complaint changes through many writers (edits, transitions, replies, clocks, the worker) and
every one of them writes a timeline entry in the same transaction (complaints/events.py: "every
change is a timeline entry"). So the facts catch up from the timeline: :func:`catch_up` rewrites
the rows of every complaint with an entry newer than the mark (``FactMark``), set-based, a batch
at a time, and moves the mark. It runs before every dashboard and pack read, so what they show is
never older than the last committed change; with nothing new it costs one indexed lookup.

Entries committed out of id order (two transactions racing) are not lost: the mark only moves
past entries older than ``SETTLE`` — younger ones are read again next time. Two changes that
write no timeline entry are caught where they happen, in the same transaction (signals.py): a
suggestion's fault area chosen by the worker, and a vehicle's model edited.

``rebuild`` rewrites everything (after a bulk load such as bench/generate.py).
"""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kesu.complaints.choices import TERMINAL_STATES
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.sla.choices import ClockState

from .models import ComplaintFact, FactMark

BATCH = 5000
SETTLE = timedelta(minutes=1)
_CLOCK_FIELDS = {"first_reply": "reply", "resolution": "close", "revisit": "revisit", "decision": "decision"}


def month_of(moment: datetime) -> date:
    """The first day of the month ``moment`` falls in, in Asia/Shanghai."""
    return timezone.localtime(moment).date().replace(day=1)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _facts_for(ids: list[int]) -> list[ComplaintFact]:
    from kesu.sla.models import Clock  # the clocks' model (read side); sla imports complaints

    rows = Complaint.objects.filter(pk__in=ids).values_list(
        "pk",
        "dealer_id",
        "received_at",
        "escalated_at",
        "channel",
        "category",
        "insight__fault_area",
        "vehicle__model_name",
        "department_id",
        "severity",
        "status",
        "satisfaction",
    )
    clocks: dict[int, dict[str, datetime | None]] = {}
    for complaint_id, kind, due_at, stopped_at, state in Clock.objects.filter(
        complaint_id__in=ids, cycle=0
    ).values_list("complaint_id", "kind", "due_at", "stopped_at", "state"):
        prefix = _CLOCK_FIELDS.get(kind)
        if prefix is None:
            continue
        times = clocks.setdefault(complaint_id, {})
        # a paused clock has no due time that means anything yet: neither met nor missed
        times[f"{prefix}_due"] = None if state == ClockState.PAUSED else due_at
        times[f"{prefix}_done"] = stopped_at
    facts = []
    for pk, dealer, received, escalated, channel, category, fault, model, dept, severity, status, sat in rows:
        facts.append(
            ComplaintFact(
                complaint_id=pk,
                dealer_id=dealer,
                month=month_of(received),
                received_at=received,
                escalated=escalated is not None,
                channel=channel,
                category=category,
                fault_area=fault or "",
                model_name=model or "",
                department_id=dept,
                severity=severity,
                status=status,
                is_open=status not in TERMINAL_STATES,
                satisfaction=sat or "",
                **clocks.get(pk, {}),
            )
        )
    return facts


def refresh(complaint_ids: Iterable[int]) -> int:
    """Rewrite the fact rows of these complaints (delete + insert, a batch at a time)."""
    ids = sorted(set(complaint_ids))
    written = 0
    for batch in _chunks(ids):
        with transaction.atomic():
            facts = _facts_for(batch)
            ComplaintFact.objects.filter(pk__in=batch).delete()
            ComplaintFact.objects.bulk_create(facts, batch_size=1000)
            written += len(facts)
    return written


def refresh_existing(complaint_ids: Iterable[int]) -> None:
    """Rewrite the rows of these complaints that have one (a complaint without a row yet gets
    it from the timeline's catch-up, with whatever changed since)."""
    present = list(ComplaintFact.objects.filter(pk__in=list(complaint_ids)).values_list("pk", flat=True))
    if present:
        refresh(present)


def catch_up(*, now: datetime | None = None) -> int:
    """Bring the facts up to the newest timeline entry; returns how many rows were rewritten."""
    mark = FactMark.objects.order_by("pk").first()
    if mark is None:
        mark, _ = FactMark.objects.get_or_create(pk=1)
    if not TimelineEntry.objects.filter(pk__gt=mark.timeline_id).exists():
        return 0
    settled_before = (now or timezone.now()) - SETTLE
    with transaction.atomic():
        mark = FactMark.objects.select_for_update().get(pk=mark.pk)
        entries = list(
            TimelineEntry.objects.filter(pk__gt=mark.timeline_id).values_list("pk", "complaint_id", "at")
        )
        if not entries:
            return 0
        written = refresh(complaint_id for _pk, complaint_id, _at in entries)
        unsettled = [pk for pk, _c, at in entries if at >= settled_before]
        settled = [pk for pk, _c, _at in entries if not unsettled or pk < min(unsettled)]
        if settled:
            mark.timeline_id = max(settled)
            mark.save(update_fields=["timeline_id", "updated_at"])
    return written


def rebuild() -> int:
    """Every complaint's row anew, the mark at the newest entry (after a bulk load)."""
    with transaction.atomic():
        top = TimelineEntry.objects.aggregate(top=Max("pk"))["top"] or 0
        mark, _ = FactMark.objects.get_or_create(pk=1)
        mark.timeline_id = top
        mark.save(update_fields=["timeline_id", "updated_at"])
    ids = list(Complaint.objects.order_by("pk").values_list("pk", flat=True))
    return refresh(ids)
