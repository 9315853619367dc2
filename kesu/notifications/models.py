"""The notification outbox: in-app messages, and one delivery row per external channel.

Rows are written in the same transaction as the event that causes them; the worker delivers
them. Unique keys make every write idempotent, so a sweep that runs twice notifies once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kesu.organizations.models import Organization

from .choices import Channel, DeliveryStatus, Kind


class Notification(models.Model):
    """What the bell shows."""

    recipient = models.ForeignKey(  # notification_unread leads with it
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    # no database foreign key (the ORM still cascades): see TimelineEntry.complaint
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    dedupe_key = models.CharField(max_length=200)  # unique: see Meta (no LIKE index needed)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [models.UniqueConstraint(fields=["dedupe_key"], name="notification_dedupe_key")]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One message to send through one channel. ``idempotency_key`` goes to the provider too."""

    channel = models.CharField(max_length=8, choices=Channel.choices)
    target = models.CharField(max_length=500)  # email address, mobile number or webhook id
    subject = models.CharField(max_length=200)
    body = models.TextField()
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    idempotency_key = models.CharField(max_length=220, unique=True)
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)  # counted when a send starts
    claimed_at = models.DateTimeField(null=True, blank=True)  # when the current send started
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    provider_reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due",
                condition=Q(status=DeliveryStatus.PENDING),
            ),
            # the few rows that need a look: sends in flight (recovered after a crash), uncertain
            # and dead ones (the outbox page, the health check); sent rows stay out of it
            models.Index(
                fields=["status", "claimed_at"],
                name="delivery_attention",
                condition=Q(
                    status__in=[DeliveryStatus.SENDING, DeliveryStatus.UNCERTAIN, DeliveryStatus.DEAD]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.target}: {self.subject}"


class ChannelPreference(models.Model):
    """Which external channels a person wants for one kind of notification (in-app always)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    channels = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {','.join(self.channels)}"


class WebhookTarget(models.Model):
    """A WeCom (企业微信) or DingTalk (钉钉) group robot that hears an organisation's alerts."""

    class Provider(models.TextChoices):
        WECOM = "wecom", "WeCom 企业微信"
        DINGTALK = "dingtalk", "DingTalk 钉钉"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="webhook_targets")
    provider = models.CharField(max_length=10, choices=Provider.choices)
    url = models.URLField(max_length=400)
    secret = models.CharField(max_length=200, blank=True)  # DingTalk signing secret
    kinds = models.JSONField(default=list)  # empty = every kind
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.organization}"
