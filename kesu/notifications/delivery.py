"""The delivery worker: claim, send, record — the send happens between two short transactions.

A row is claimed first (status ``sending``, ``attempts`` + 1, ``claimed_at``) and that is
committed before anything leaves, so a worker that dies mid-send leaves a visible trace: the row
stays ``sending`` and its attempt is counted. Several workers can run at once (SKIP LOCKED).

``recover_interrupted`` finds sends in flight for longer than KESU_DELIVERY_SENDING_TIMEOUT. On
a transport that recognises a repeat of the idempotency key they go back to ``pending`` and are
sent again with the same key; on the others (group robots, SMS, email: see transports.py) they
become ``uncertain`` and wait on the outbox page for a person to resend or drop them. A failure
after the request may have arrived (a read timeout) is handled the same way: never resent blindly.
"""

import logging
import os
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import DeliveryStatus
from .models import Delivery
from .transports import TransportError, transport_for

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = (30, 120, 600, 1800, 7200)

logger = logging.getLogger("kesu.notifications")


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)])


def _pause_for_tests() -> None:
    """Lets the crash tests kill a worker mid-batch (KESU_TEST_DELIVERY_PAUSE=seconds)."""
    pause = float(os.environ.get("KESU_TEST_DELIVERY_PAUSE", "0") or 0)
    if pause:
        time.sleep(pause)


def _claim(now: datetime) -> Delivery | None:
    """Take the most overdue pending row and mark it ``sending`` (committed before the send)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if delivery is None:
            return None
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        delivery.claimed_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "claimed_at"])
    return delivery


def _finish(delivery: Delivery, **fields: Any) -> None:
    """Record the outcome of this claim (even if recovery meanwhile called it uncertain: the
    worker knows better); a row a person already resent or dropped is left alone."""
    Delivery.objects.filter(
        pk=delivery.pk,
        claimed_at=delivery.claimed_at,
        status__in=[DeliveryStatus.SENDING, DeliveryStatus.UNCERTAIN],
    ).update(**fields)


def _failed(delivery: Delivery, *, error: str, maybe_sent: bool, idempotent: bool) -> dict[str, Any]:
    if maybe_sent and not idempotent:
        logger.warning("delivery %s uncertain (may have arrived): %s", delivery.pk, error)
        return {"status": DeliveryStatus.UNCERTAIN, "last_error": error[:2000]}
    if delivery.attempts >= MAX_ATTEMPTS:
        return {"status": DeliveryStatus.DEAD, "last_error": error[:2000]}
    return {
        "status": DeliveryStatus.PENDING,
        "last_error": error[:2000],
        "next_attempt_at": timezone.now() + backoff(delivery.attempts),
    }


def deliver_one(now: datetime | None = None) -> bool:
    """Send the most overdue pending delivery; False when there is none (for this worker)."""
    delivery = _claim(now or timezone.now())
    if delivery is None:
        return False
    transport = transport_for(delivery.channel)
    idempotent = transport.idempotent
    try:
        reference = transport.send(
            target=delivery.target,
            subject=delivery.subject,
            body=delivery.body,
            key=delivery.idempotency_key,
        )
    except TransportError as exc:
        outcome = _failed(delivery, error=str(exc), maybe_sent=exc.maybe_sent, idempotent=idempotent)
    except Exception as exc:  # a fault inside a transport: whether it left is unknown
        logger.exception("delivery %s: unexpected error while sending", delivery.pk)
        outcome = _failed(delivery, error=repr(exc), maybe_sent=True, idempotent=idempotent)
    else:
        _pause_for_tests()
        outcome = {
            "status": DeliveryStatus.SENT,
            "sent_at": timezone.now(),
            "provider_reference": reference[:200],
            "last_error": "",
        }
    _finish(delivery, **outcome)
    return True


def recover_interrupted(now: datetime | None = None) -> dict[str, int]:
    """Sends in flight longer than KESU_DELIVERY_SENDING_TIMEOUT (their worker died): send again
    where the far side recognises the key, otherwise mark them uncertain for a person."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.KESU_DELIVERY_SENDING_TIMEOUT)
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lte=cutoff)
    counts = {"requeued": 0, "uncertain": 0}
    for channel in set(stuck.values_list("channel", flat=True)):
        rows = stuck.filter(channel=channel)
        if transport_for(channel).idempotent:
            done = rows.update(status=DeliveryStatus.PENDING, next_attempt_at=now)
            counts["requeued"] += done
        else:
            done = rows.update(
                status=DeliveryStatus.UNCERTAIN,
                last_error=_("The worker stopped while sending: it may or may not have arrived."),
            )
            counts["uncertain"] += done
        if done:
            logger.warning("%d %s deliveries interrupted mid-send recovered: %s", done, channel, counts)
    return counts


def deliver_due(limit: int = 500) -> int:
    """Recover interrupted sends, then deliver up to ``limit`` due rows; returns how many were
    attempted."""
    recover_interrupted()
    done = 0
    while done < limit and deliver_one():
        done += 1
    return done
