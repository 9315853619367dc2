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


def record_carmaker(
    complaint: Complaint,
    actor: User | None,
    kind: str,
    *,
    action: str,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> TimelineEntry:
    """kesu.carmaker: an instruction, a help request or a PR step (``kind`` INSTRUCTION,
    HELP_REQUEST or PR; ``action`` says which step: "created", "accepted", "takeover"…), shown by
    complaints.timeline with the step's label and the ``changes`` it names."""
    return TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        kind=kind,
        action=action,
        note=note[:2000],
        changes=changes or {},
    )


def record_approval(
    complaint: Complaint,
    actor: User | None,
    *,
    action: str,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> TimelineEntry:
    """kesu.approvals: a request opened, a step decided, an overdue step escalated, a request
    superseded (``action``: "requested", "approve", "reject", "send_back", "overdue",
    "superseded"); ``changes`` carries the request id, total, remedies and the step's role —
    complaints.timeline names them."""
    return TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        kind=EventKind.APPROVAL,
        action=action,
        note=note[:2000],
        changes=changes or {},
    )


def record_call(
    complaint: Complaint,
    actor: User,
    *,
    call_id: int,
    direction: str,
    purpose: str,
    duration_seconds: int,
    said: str,
    reply: str,
    converted: bool = False,
) -> TimelineEntry:
    """kesu.calls: a call logged on the complaint (action "call"), or the call the complaint was
    registered from (action "converted", 由来电记录转为客诉). The note is the caller's words;
    ``changes`` carries the call's id, direction, purpose, duration and the reply given —
    complaints.timeline names them in the reader's language."""
    return TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        kind=EventKind.CALL,
        action="converted" if converted else "call",
        note=said[:2000],
        changes={
            "call_id": [None, call_id],
            "direction": [None, direction],
            "purpose": [None, purpose],
            "duration_seconds": [None, duration_seconds],
            "reply": [None, reply[:1000]],
        },
    )


def record_resolution_step(
    complaint: Complaint,
    actor: User,
    *,
    kind: str,
    action: str,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> TimelineEntry:
    """A step of the investigation or of accountability (kesu.resolutions): ``kind`` contact_sheet
    (action sent / answered / rework), findings (decided) or accountability (responsibility,
    notice_proposed / notice_approved / notice_rejected / notice_acknowledged). ``changes`` keeps
    ids and codes, never a penalty's person or amount (the timeline is read by the whole desk)."""
    return TimelineEntry.objects.create(
        complaint=complaint, actor=actor, kind=kind, action=action, note=note[:2000], changes=changes or {}
    )


def record_follow_up_call(
    complaint: Complaint,
    actor: User,
    *,
    followup_id: int,
    kind: str,
    changes: dict[str, Any],
    note: str = "",
) -> TimelineEntry:
    """kesu.followups: a follow-up call on the complaint (the revisit) — reached or not, or the SMS
    or letter sent instead (kind CALL, action "follow_up"); ``changes`` carries the follow-up's id
    and kind, the attempt's number, the result and, when reached, the satisfaction and whether
    the problem is solved — complaints.timeline names them. The note is the customer's comment."""
    return TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        kind=EventKind.CALL,
        action="follow_up",
        note=note[:2000],
        changes={"followup_id": [None, followup_id], "followup_kind": [None, kind], **changes},
    )


def record_option(
    complaint: Complaint,
    actor: User | None,
    *,
    action: str,
    seq: int,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> TimelineEntry:
    """kesu.resolutions: a countermeasure option drafted, changed, revised, sent for approval,
    sent back, or the customer asked for time (``action``: "drafted", "edited", "revised",
    "sent_for_approval", "sent_back", "asked_for_time"); ``changes`` carries the option's number,
    total and what the step names (the option it revises, the approval request, the date) —
    complaints.timeline names them. Proposing and the customer's yes or no are transitions."""
    return TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        kind=EventKind.OPTION,
        action=action,
        note=note[:2000],
        changes={"option": [None, seq], **(changes or {})},
    )
