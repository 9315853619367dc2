"""The delivery worker: one row at a time, locked with SKIP LOCKED, committed after each send.

Several workers can run at once; a crash loses at most the row being sent, and that row is sent
again with the same idempotency key, which the far side (or the file transport) recognises.
"""

import os
import time
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .choices import DeliveryStatus
from .models import Delivery
from .transports import TransportError, transport_for

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = (30, 120, 600, 1800, 7200)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)])


def _pause_for_tests() -> None:
    """Lets the crash tests kill a worker mid-batch (KESU_TEST_DELIVERY_PAUSE=seconds)."""
    pause = float(os.environ.get("KESU_TEST_DELIVERY_PAUSE", "0") or 0)
    if pause:
        time.sleep(pause)


def deliver_one(now: datetime | None = None) -> bool:
    """Send the most overdue pending delivery; False when there is none (for this worker)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if delivery is None:
            return False
        delivery.attempts += 1
        try:
            reference = transport_for(delivery.channel).send(
                target=delivery.target,
                subject=delivery.subject,
                body=delivery.body,
                key=delivery.idempotency_key,
            )
        except TransportError as exc:
            delivery.last_error = str(exc)[:2000]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.DEAD
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
            delivery.provider_reference = reference[:200]
            delivery.last_error = ""
        _pause_for_tests()
        delivery.save()
    return True


def deliver_due(limit: int = 500) -> int:
    """Deliver up to ``limit`` due rows; returns how many were attempted."""
    done = 0
    while done < limit and deliver_one():
        done += 1
    return done
