"""One small function per timeline event type; services call them inside their transaction."""

from typing import Any

from kesu.organizations.models import User

from .choices import EventKind
from .models import Complaint, TimelineEntry


def created_entry(complaint: Complaint, actor: User) -> TimelineEntry:
    """The first entry, unsaved: the intake writes it with the complaint in one statement."""
    return TimelineEntry(
        complaint=complaint,
        actor=actor,
        kind=EventKind.CREATED,
        to_status=complaint.status,
        note=complaint.verbatim[:500],
    )


def record_transition(
    complaint: Complaint,
    actor: User,
    *,
    action: str,
    from_status: str,
    note: str,
    changes: dict[str, Any],
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        kind=EventKind.TRANSITION,
        action=action,
        from_status=from_status,
        to_status=complaint.status,
        changes=changes,
        note=note,
    )


def record_edit(complaint: Complaint, actor: User, changes: dict[str, Any], note: str = "") -> TimelineEntry:
    return TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        kind=EventKind.EDITED,
        changes=changes,
        note=note,
    )


def record_attachment(complaint: Complaint, actor: User, name: str, size: int) -> TimelineEntry:
    return TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        kind=EventKind.ATTACHMENT,
        changes={"attachment": [None, name], "size": [None, size]},
    )


def record(
    complaint: Complaint,
    actor: User | None,
    kind: str,
    *,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> TimelineEntry:
    """Any other event (clocks, replies, revisits): kind from ``EventKind``."""
    return TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        kind=kind,
        note=note,
        changes=changes or {},
    )


def record_reply(
    complaint: Complaint, actor: User, *, text: str, channel: str, override_reason: str = ""
) -> TimelineEntry:
    """A reply given to the customer (kesu.language): kind "reply"; the note carries the words
    said. (Entries written before the kind existed are "edited" with action "reply"; the timeline
    shows them as replies too.)"""
    note = f"[{channel}] {text}"
    if override_reason:
        note += f"\n({override_reason})"
    return TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        kind=EventKind.REPLY,
        action="reply",
        note=note[:2000],
    )


def assigned_entry(
    complaint: Complaint,
    actor: User | None,
    *,
    before_id: int | None,
    after_id: int,
    basis: str,
    note: str,
) -> TimelineEntry:
    """Who the complaint was given to (``changes``: assignee_id [before, after], named when
    shown) and why (``basis``: the rule, or "reassigned"; ``note``: the words), unsaved: the
    intake writes it with the complaint; :func:`record_assignment` saves it otherwise."""
    return TimelineEntry(
        complaint=complaint,
        actor=actor,
        kind=EventKind.ASSIGNED,
        action=basis,
        changes={"assignee_id": [before_id, after_id]},
        note=note,
    )


def record_assignment(
    complaint: Complaint,
    actor: User,
    *,
    before_id: int | None,
    after_id: int,
    basis: str,
    note: str,
) -> TimelineEntry:
    entry = assigned_entry(complaint, actor, before_id=before_id, after_id=after_id, basis=basis, note=note)
    entry.save()
    return entry


def record_transfer(
    complaint: Complaint, actor: User, *, before_id: int | None, after_id: int, reason: str
) -> TimelineEntry:
    """The complaint went to another responsible department (``changes``: department_id
    [before, after]): which, who sent it (the actor), why (the note)."""
    return TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        kind=EventKind.TRANSFERRED,
        action="transfer",
        changes={"department_id": [before_id, after_id]},
        note=reason,
    )
