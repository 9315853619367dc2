"""The bell and the channels people choose: reading, marking read, preferences, retrying.

Writing notifications is the outbox's job (``outbox.py``).
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.core.errors import InvalidInput, NotFound
from kesu.organizations.models import User

from .choices import Channel, DeliveryStatus, Kind
from .models import ChannelPreference, Delivery, Notification


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, all) of the user's notifications read."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        if not Notification.objects.filter(recipient=user, pk=notification_id).exists():
            raise NotFound(_("No such notification."))
        queryset = queryset.filter(pk=notification_id)
    return queryset.update(read_at=timezone.now())


def set_channels(*, user: User, kind: str, channels: list[str]) -> ChannelPreference:
    if kind not in Kind.values:
        raise InvalidInput(_("Unknown notification kind."), fields={"kind": ", ".join(Kind.values)})
    allowed = {Channel.EMAIL, Channel.SMS}
    wrong = [c for c in channels if c not in allowed]
    if wrong:
        message = _("Choose from: email, sms.")
        raise InvalidInput(message, fields={"channels": message})
    preference, _created = ChannelPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"channels": sorted(set(channels))}
    )
    return preference


@transaction.atomic
def retry_dead(*, delivery_ids: list[int] | None = None) -> int:
    """Put dead letters back in the queue (the admin's retry button)."""
    queryset = Delivery.objects.filter(status=DeliveryStatus.DEAD)
    if delivery_ids is not None:
        queryset = queryset.filter(Q(pk__in=delivery_ids))
    return queryset.update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
