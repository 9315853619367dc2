"""The periodic SLA sweep: warnings, breaches and the escalation ladder, in batches.

It reads only clocks whose ``next_check_at`` has come (a partial index), so its cost follows the
number of items due, not the number of open complaints. Each batch is one transaction over rows
locked with SKIP LOCKED: several workers share the work, and a worker killed mid-batch leaves
its batch to the next run. Unique keys (one breach per clock, one step per level, one
notification per key) make a repeated run harmless.
"""

import functools
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models.functions import Substr
from django.utils import timezone, translation
from django.utils.translation import (
    get_language,
    gettext_noop,  # marks _t()'s messages for makemessages
)
from django.utils.translation import gettext as _

from kesu.complaints.choices import EventKind
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.core.pg import insert_rows, update_rows
from kesu.notifications.choices import Kind
from kesu.notifications.outbox import Message, RobotEvent, queue_robot_events, send_messages
from kesu.organizations.choices import Role
from kesu.organizations.models import User
from kesu.organizations.selectors import RoleHolders

from .choices import ClockKind, ClockState
from .models import Breach, Clock, EscalationStep, SlaPolicy

BATCH_SIZE = 1000


@dataclass
class _Batch:
    now: datetime
    language: str | None  # the messages' language, read once per batch
    clocks: list["_DueClock"] = field(default_factory=list)
    # rows to insert (attribute → value), written set-based by _flush
    breaches: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    webhooks: list[RobotEvent] = field(default_factory=list)
    escalate_to_manufacturer: set[int] = field(default_factory=set)


def _label(kind: str, batch: "_Batch") -> str:
    return _label_in(kind, batch.language)


@functools.cache
def _label_in(kind: str, language: str | None) -> str:
    return str(ClockKind(kind).label)


def _t(message: str, batch: "_Batch") -> str:
    """``gettext(message)`` looked up once per language: called for every message of a large
    sweep, ``gettext`` is a noticeable share of its Python time."""
    return _translated(message, batch.language)


@functools.cache
def _translated(message: str, language: str | None) -> str:
    return _(message)


@dataclass(slots=True)
class _DueClock:
    """A due clock as the sweep reads and moves it (lighter than a model instance)."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "pk",
        "complaint_id",
        "kind",
        "policy_id",
        "due_at",
        "warn_at",
        "state",
        "stopped_at",
        "next_check_at",
        "ladder_level",
    )
    pk: int
    complaint_id: int
    kind: str
    policy_id: int
    due_at: datetime
    warn_at: datetime
    state: str
    stopped_at: datetime | None
    next_check_at: datetime | None
    ladder_level: int


@dataclass(frozen=True)
class _Subject:
    """What the sweep needs of a complaint (a model instance per due clock is Python time spent
    on fields the sweep never reads)."""

    pk: int
    number: str
    dealer_id: int
    assignee_id: int | None
    assignee: User | None
    verbatim: str  # the first 200 characters, for escalation messages


def _subjects(complaint_ids: set[int], people: RoleHolders) -> dict[int, _Subject]:
    """The complaints of a batch, with the people around their dealers loaded; assignees come
    from those people (an in_bulk of a batch's assignees would build again the users already
    loaded)."""
    rows = list(
        Complaint.objects.filter(pk__in=complaint_ids)
        .annotate(head=Substr("verbatim", 1, 200))
        .values_list("pk", "number", "dealer_id", "assignee_id", "head")
    )
    people.load({row[2] for row in rows})
    assignees = people.users
    elsewhere = {row[3] for row in rows if row[3] is not None and row[3] not in assignees}
    if elsewhere:  # an assignee outside the dealer's tree (or inactive): loaded once, kept
        assignees.update(User.objects.in_bulk(elsewhere))
    return {
        pk: _Subject(pk, number, dealer_id, assignee_id, assignees.get(assignee_id or 0), head)
        for pk, number, dealer_id, assignee_id, head in rows
    }


def _responsible(complaint: _Subject, people: RoleHolders) -> list[User]:
    if complaint.assignee_id and complaint.assignee is not None:
        return [complaint.assignee]
    return people.holding(complaint.dealer_id, Role.AGENT)


def _warn(clock: _DueClock, complaint: _Subject, batch: _Batch, people: RoleHolders) -> None:
    clock.state, clock.next_check_at = ClockState.WARNING, clock.due_at
    title = _t(gettext_noop("%(number)s: %(clock)s due %(due)s"), batch) % {
        "number": complaint.number,
        "clock": _label(clock.kind, batch),
        "due": timezone.localtime(clock.due_at).strftime("%m-%d %H:%M"),
    }
    for user in _responsible(complaint, people):
        batch.messages.append(
            Message(
                recipient=user,
                kind=Kind.SLA_WARNING,
                title=title,
                key=f"warn:{clock.pk}",
                complaint_id=complaint.pk,
            )
        )


def _breach(clock: _DueClock, complaint: _Subject, batch: _Batch, people: RoleHolders) -> None:
    clock.state = ClockState.BREACHED
    overdue = int((batch.now - clock.due_at).total_seconds())
    batch.breaches.append(
        {
            "clock_id": clock.pk,
            "complaint_id": complaint.pk,
            "kind": clock.kind,
            "policy_id": clock.policy_id,
            "due_at": clock.due_at,
            "detected_at": batch.now,
            "overdue_seconds_at_detection": overdue,
        }
    )
    note = _t(gettext_noop("%(clock)s deadline %(due)s missed."), batch) % {
        "clock": _label(clock.kind, batch),
        "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M"),
    }
    batch.timeline.append(
        {
            "complaint_id": complaint.pk,
            "kind": EventKind.SLA_BREACH,
            "note": note,  # the default language's fallback: the timeline renders the changes
            "changes": {"clock": [None, clock.kind], "due": [None, clock.due_at.isoformat()]},
        }
    )
    for user in _responsible(complaint, people):
        batch.messages.append(
            Message(
                recipient=user,
                kind=Kind.SLA_BREACH,
                title=f"{complaint.number}: {note}",
                key=f"breach:{clock.pk}",
                complaint_id=complaint.pk,
            )
        )


def _climb(
    clock: _DueClock, complaint: _Subject, policy: SlaPolicy, batch: _Batch, people: RoleHolders
) -> None:
    ladder = policy.ladder or []
    while clock.ladder_level < len(ladder):
        rung = ladder[clock.ladder_level]
        if clock.due_at + timedelta(minutes=int(rung["after_minutes"])) > batch.now:
            break
        role = str(rung["role"])
        batch.steps.append(
            {"clock_id": clock.pk, "level": clock.ladder_level, "role": role, "notified_at": batch.now}
        )
        title = _t(gettext_noop("%(number)s escalated to you: %(clock)s deadline missed"), batch) % {
            "number": complaint.number,
            "clock": _label(clock.kind, batch),
        }
        body = complaint.verbatim[:200]
        notified = [user for user in people.holding(complaint.dealer_id, role) if user.is_active]
        for user in notified:
            batch.messages.append(
                Message(
                    recipient=user,
                    kind=Kind.ESCALATION,
                    title=title,
                    body=body,
                    key=f"ladder:{clock.pk}:{clock.ladder_level}",
                    complaint_id=complaint.pk,
                )
            )
        batch.webhooks.append(
            RobotEvent(
                complaint.dealer_id, Kind.ESCALATION, title, body, f"ladder:{clock.pk}:{clock.ladder_level}"
            )
        )
        if role in (Role.CRC_AGENT, Role.REGION_MANAGER, Role.PR):
            batch.escalate_to_manufacturer.add(complaint.pk)
        # one entry a rung, naming who was told (the notifications are one a person); the
        # timeline renders it from the changes in the reader's language, the note is a fallback
        names = [str(user) for user in notified]
        batch.timeline.append(
            {
                "complaint_id": complaint.pk,
                "kind": EventKind.ESCALATION,
                "note": _rung_note(clock.kind, role, names, batch),
                "changes": {"clock": [None, clock.kind], "role": [None, role], "notified": [None, names]},
            }
        )
        clock.ladder_level += 1
    clock.next_check_at = (
        clock.due_at + timedelta(minutes=int(ladder[clock.ladder_level]["after_minutes"]))
        if clock.ladder_level < len(ladder)
        else None
    )


def _rung_note(kind: str, role: str, names: list[str], batch: _Batch) -> str:
    rung = _t(gettext_noop("%(clock)s deadline missed: escalated to the %(role)s"), batch) % {
        "clock": _label(kind, batch),
        "role": _role_label(role, batch.language),
    }
    if not names:
        return f"{rung}. {_t(gettext_noop('Nobody holds this role: nobody was notified.'), batch)}"
    return f"{rung}. {_t(gettext_noop('Notified: %(names)s'), batch) % {'names': '、'.join(names)}}"


@functools.cache
def _role_label(role: str, language: str | None) -> str:
    return str(Role(role).label) if role in Role.values else role


def _advance(
    clock: _DueClock, complaint: _Subject, policy: SlaPolicy, batch: _Batch, people: RoleHolders
) -> None:
    if clock.stopped_at is not None or clock.state in (ClockState.PAUSED, ClockState.MET):
        clock.next_check_at = None
    elif batch.now >= clock.due_at:
        if clock.state != ClockState.BREACHED:
            _breach(clock, complaint, batch, people)
        _climb(clock, complaint, policy, batch, people)
    elif batch.now >= clock.warn_at and clock.state == ClockState.RUNNING:
        _warn(clock, complaint, batch, people)
    else:
        clock.next_check_at = clock.warn_at if clock.state == ClockState.RUNNING else clock.due_at
    batch.clocks.append(clock)


CLOCK_FIELDS = ("state", "next_check_at", "ladder_level")


def _save_clocks(clocks: list[_DueClock]) -> None:
    """Write the sweep's three fields of a batch of clocks in one statement on PostgreSQL
    (``core.pg.update_rows``: ``bulk_update`` builds a CASE WHEN per field and row, which
    dominated the Python time of writing clocks); ``bulk_update`` elsewhere."""
    update_rows(Clock, clocks, CLOCK_FIELDS)


def _flush(batch: _Batch) -> None:
    _save_clocks(batch.clocks)
    insert_rows(Breach, batch.breaches, ignore_conflicts=True)
    insert_rows(EscalationStep, batch.steps, ignore_conflicts=True)
    insert_rows(TimelineEntry, batch.timeline)
    send_messages(batch.messages)
    queue_robot_events(batch.webhooks)
    if batch.escalate_to_manufacturer:
        Complaint.objects.filter(pk__in=batch.escalate_to_manufacturer, escalated_at__isnull=True).update(
            escalated_at=batch.now
        )


def _pause_for_tests() -> None:
    pause = float(os.environ.get("KESU_TEST_SWEEP_PAUSE", "0") or 0)
    if pause:
        time.sleep(pause)


def sweep_batch(now: datetime, people: RoleHolders, batch_size: int = BATCH_SIZE) -> int:
    with transaction.atomic():
        clocks = [
            _DueClock(*row)
            for row in Clock.objects.select_for_update(skip_locked=True)
            .filter(next_check_at__lte=now)
            .order_by("next_check_at")
            .values_list(*_DueClock.COLUMNS)[:batch_size]
        ]
        if not clocks:
            return 0
        complaints = _subjects({c.complaint_id for c in clocks}, people)
        policies = SlaPolicy.objects.in_bulk({c.policy_id for c in clocks})
        batch = _Batch(now=now, language=get_language())
        for clock in clocks:
            _advance(clock, complaints[clock.complaint_id], policies[clock.policy_id], batch, people)
        _pause_for_tests()
        _flush(batch)
    return len(clocks)


def sweep(
    now: datetime | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    max_batches: int = 1000,
    threads: int | None = None,
) -> int:
    """Process every clock due for attention; returns how many were looked at.

    On PostgreSQL, outside a transaction, ``threads`` (KESU_SWEEP_THREADS, default 2) workers
    take batches side by side — SKIP LOCKED keeps them apart — so one's Python overlaps the
    other's database work. Inside a transaction (tests, a caller's atomic block) the batches
    run one after the other on the caller's connection, which alone sees its uncommitted rows.
    """
    now = now or timezone.now()
    batch_size = int(os.environ.get("KESU_SWEEP_BATCH", batch_size))
    threads = threads if threads is not None else settings.KESU_SWEEP_THREADS
    if threads <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return _sweep_batches(now, batch_size, max_batches)
    # the first batch on this connection: when it was not full there is nothing left, and a
    # quiet minute costs no threads and no new connections
    first = sweep_batch(now, RoleHolders(), batch_size)
    if first < batch_size or max_batches <= 1:
        return first
    language = get_language()
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sweep") as pool:
        runs = [
            pool.submit(_sweep_in_thread, now, batch_size, max_batches - 1, language) for _ in range(threads)
        ]
        return first + sum(run.result() for run in runs)


def _sweep_batches(now: datetime, batch_size: int, max_batches: int) -> int:
    people = RoleHolders()
    total = 0
    for _batch in range(max_batches):
        done = sweep_batch(now, people, batch_size)
        total += done
        if done < batch_size:
            break
    return total


def _sweep_in_thread(now: datetime, batch_size: int, max_batches: int, language: str | None) -> int:
    try:
        with translation.override(language):
            return _sweep_batches(now, batch_size, max_batches)
    finally:
        connections.close_all()  # this thread's own connection
