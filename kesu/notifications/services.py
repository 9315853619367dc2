"""The bell and the channels people choose: reading, marking read, preferences, retrying.

Writing notifications is the outbox's job (``outbox.py``).
"""

from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.core.errors import Forbidden, InvalidInput, NotFound, not_one_of, one_of, raise_if
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import may_configure

from .choices import Channel, DeliveryStatus, Kind
from .models import ChannelPreference, Delivery, Notification, WebhookTarget


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


@transaction.atomic
def settle_uncertain(*, actor: User, delivery_ids: list[int], resend: bool) -> int:
    """A person's decision on deliveries a crash left uncertain: send once more (they checked the
    message did not arrive) or drop (it did, or is no longer wanted). Admins only."""
    if not actor.is_kesu_admin:
        raise Forbidden(_("Only administrators settle uncertain deliveries."))
    queryset = Delivery.objects.filter(status=DeliveryStatus.UNCERTAIN, pk__in=delivery_ids)
    who = actor.get_username()
    if resend:
        note = _("Resent by %(user)s after an uncertain send.") % {"user": who}
        return queryset.update(status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), last_error=note)
    note = _("Dropped by %(user)s after an uncertain send.") % {"user": who}
    return queryset.update(status=DeliveryStatus.DROPPED, last_error=note)


# --- group robots (WeCom / DingTalk) an organisation's alerts go to --------------------------------

# The hosts each provider's robot webhooks live on (a URL elsewhere is a typo or a leak).
ROBOT_HOSTS: dict[str, tuple[str, ...]] = {
    WebhookTarget.Provider.WECOM: ("qyapi.weixin.qq.com",),
    WebhookTarget.Provider.DINGTALK: ("oapi.dingtalk.com",),
}


def _require_configurer(actor: User, organization: Organization | None) -> None:
    if not may_configure(actor, organization):
        raise Forbidden(_("Only administrators and the dealer's general manager set up group robots."))


def add_robot(
    *,
    actor: User,
    organization_id: int,
    provider: str,
    url: str,
    secret: str = "",
    kinds: list[str] | None = None,
) -> WebhookTarget:
    """A group robot that hears the organisation's alerts (and those of everything below it)."""
    organization = Organization.objects.filter(pk=organization_id).first()
    _require_configurer(actor, organization)
    assert organization is not None  # may_configure answers False for no organisation
    errors: dict[str, str] = {}
    if provider not in ROBOT_HOSTS:
        errors["provider"] = one_of(ROBOT_HOSTS)
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        errors["url"] = _("Paste the robot's https:// webhook address.")
    elif provider in ROBOT_HOSTS and parts.hostname.lower() not in ROBOT_HOSTS[provider]:
        errors["url"] = _("A %(provider)s robot's address starts with https://%(host)s/.") % {
            "provider": WebhookTarget.Provider(provider).label,
            "host": ROBOT_HOSTS[provider][0],
        }
    elif len(url) > 400:
        errors["url"] = _("At most %(n)d characters.") % {"n": 400}
    if len(secret) > 200:
        errors["secret"] = _("At most %(n)d characters.") % {"n": 200}
    kinds = sorted(set(kinds or []))
    if unknown := [k for k in kinds if k not in Kind.values]:
        errors["kinds"] = not_one_of(", ".join(unknown), Kind.values)
    raise_if(errors)
    return WebhookTarget.objects.create(
        organization=organization, provider=provider, url=url, secret=secret.strip(), kinds=kinds
    )


def set_robot_active(*, actor: User, robot_id: int, is_active: bool) -> WebhookTarget:
    robot = WebhookTarget.objects.select_related("organization").filter(pk=robot_id).first()
    if robot is None:
        raise NotFound(_("No such group robot."))
    _require_configurer(actor, robot.organization)
    robot.is_active = is_active
    robot.save(update_fields=["is_active"])
    return robot
