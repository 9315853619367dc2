"""The outbox: notifications and their deliveries, written inside the caller's transaction.

The one writer every app uses to tell someone something (the sweep's ladder, a crisis, a
quality signal): it only inserts rows, deduplicated by key, so a rolled-back event sends
nothing and a retried one sends once. The worker (``delivery.py``) sends them.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from kesu.core.pg import insert_rows
from kesu.organizations.models import Organization, User
from kesu.organizations.tree import ancestor_chains

from .choices import DEFAULT_CHANNELS, Channel
from .models import ChannelPreference, Delivery, Notification, WebhookTarget


@dataclass(frozen=True)
class Message:
    """One notification to one person; ``key`` identifies the event (dedupe across retries)."""

    recipient: User
    kind: str
    title: str
    key: str
    body: str = ""
    complaint_id: int | None = None


def _preferences(users: list[User]) -> dict[tuple[int, str], list[str]]:
    user_ids = {user.pk for user in users}
    rows = ChannelPreference.objects.filter(user_id__in=user_ids).values_list("user_id", "kind", "channels")
    return {(user_id, kind): list(channels) for user_id, kind, channels in rows}


def _target(user: User, channel: str) -> str:
    if channel == Channel.EMAIL:
        return user.email
    if channel == Channel.SMS:
        return user.mobile
    return ""


def channels_for(user: User, kind: str) -> list[str]:
    return _preferences([user]).get((user.pk, kind), list(DEFAULT_CHANNELS.get(kind, [])))


def send_messages(messages: list[Message]) -> int:
    """Write notifications and their deliveries in bulk; repeats of a key are ignored.

    Call inside the transaction of the event: if it rolls back, nothing is sent.
    Returns how many notifications are new.
    """
    messages = [m for m in messages if m.recipient.is_active]
    if not messages:
        return 0
    keys = {f"{m.key}:u{m.recipient.pk}": m for m in messages}
    fresh, saved = _insert_notifications(keys)
    preferences = _preferences([m.recipient for m in fresh.values()])
    now = timezone.now()
    deliveries = []
    for key, m in fresh.items():
        chosen = preferences.get((m.recipient.pk, m.kind), DEFAULT_CHANNELS.get(m.kind, []))
        for channel in chosen:
            target = _target(m.recipient, channel)
            if target and key in saved:
                deliveries.append(
                    {
                        "channel": channel,
                        "target": target,
                        "subject": m.title[:200],
                        "body": m.body,
                        "notification_id": saved[key],
                        "idempotency_key": f"{key}:{channel}",
                        "next_attempt_at": now,
                    }
                )
    insert_rows(Delivery, deliveries, ignore_conflicts=True)
    return len(fresh)


def _insert_notifications(keys: dict[str, "Message"]) -> tuple[dict[str, "Message"], dict[str, int]]:
    """Insert the notifications whose key is new: (those messages, key → notification id)."""
    rows = [
        {
            "recipient_id": m.recipient.pk,
            "kind": m.kind,
            "title": m.title[:200],
            "body": m.body,
            "complaint_id": m.complaint_id,
            "dedupe_key": key,
        }
        for key, m in keys.items()
    ]
    if connection.vendor == "postgresql":  # one statement; ON CONFLICT skips the keys already sent
        inserted = insert_rows(Notification, rows, ignore_conflicts=True, returning=("id", "dedupe_key"))
        saved = {key: pk for pk, key in inserted}
        return {key: keys[key] for key in saved}, saved
    existing = set(Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    fresh = {key: m for key, m in keys.items() if key not in existing}
    Notification.objects.bulk_create(
        [Notification(**row) for row in rows if row["dedupe_key"] in fresh], ignore_conflicts=True
    )
    saved = dict(Notification.objects.filter(dedupe_key__in=fresh).values_list("dedupe_key", "pk"))
    return fresh, saved


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    key: str,
    complaint_id: int | None = None,
    organization: Organization | None = None,
) -> int:
    """Notify people (and the organisation's group robots) once per ``key``."""
    count = send_messages(
        [
            Message(
                recipient=user,
                kind=kind,
                title=title,
                body=body,
                key=key,
                complaint_id=complaint_id,
            )
            for user in recipients
        ]
    )
    if organization is not None:
        queue_webhooks(organization.pk, kind=kind, title=title, body=body, key=key)
    return count


@dataclass(frozen=True)
class RobotEvent:
    """One event for the group robots of an organisation and its ancestors."""

    org_id: int
    kind: str
    title: str
    body: str
    key: str


def queue_webhooks(org_id: int, *, kind: str, title: str, body: str, key: str) -> None:
    """Group robots of the organisation and its ancestors (a region hears its dealers)."""
    queue_robot_events([RobotEvent(org_id, kind, title, body, key)])


def queue_robot_events(events: list[RobotEvent]) -> None:
    """Deliveries to the group robots for many events at once: a sweep's batch costs a few
    queries, not a few per escalation."""
    if not events:
        return
    chains = ancestor_chains({e.org_id for e in events})
    robots = list(
        WebhookTarget.objects.filter(
            organization_id__in={o for chain in chains.values() for o in chain}, is_active=True
        )
    )
    if not robots:
        return
    now = timezone.now()
    rows = [
        {
            "channel": Channel.WEBHOOK,
            "target": str(robot.pk),
            "subject": event.title[:200],
            "body": event.body,
            "idempotency_key": f"{event.key}:webhook{robot.pk}",
            "next_attempt_at": now,
        }
        for event in events
        for robot in robots
        if robot.organization_id in chains[event.org_id] and (not robot.kinds or event.kind in robot.kinds)
    ]
    insert_rows(Delivery, rows, ignore_conflicts=True)


def send_to_address(*, channel: str, target: str, subject: str, body: str, key: str) -> Delivery:
    """One message to an address outside the system (a customer's mobile or email), with no bell
    notification: e.g. the written answer (书面答复). Once per ``key``: a repeat returns the
    delivery already queued. Call inside the transaction of the event."""
    if channel not in (Channel.SMS, Channel.EMAIL):
        raise ValueError(f"send_to_address: unknown channel {channel!r}")
    idempotency_key = f"{key}:{channel}"
    row = {
        "channel": channel,
        "target": target,
        "subject": subject[:200],
        "body": body,
        "idempotency_key": idempotency_key,
        "next_attempt_at": timezone.now(),
    }
    insert_rows(Delivery, [row], ignore_conflicts=True)
    return Delivery.objects.get(idempotency_key=idempotency_key)
