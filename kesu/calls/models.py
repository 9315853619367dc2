"""Calls (电话记录单 / 留言卡) and their audits (电访稽核). A call belongs to one dealer's desk."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint
from kesu.core.privacy import NameField, PlateField
from kesu.core.validators import mask_mobile
from kesu.customers.models import Customer
from kesu.organizations.models import Organization, User
from kesu.organizations.scope import scope_for

from .choices import AUDIT_ITEMS, CallDirection, CallPurpose


def _dealer_scope(queryset: models.QuerySet, user: User, field: str = "dealer_id") -> models.QuerySet:  # type: ignore[type-arg]
    """A dealer's calls are its own: its people and the region above it see them; the
    manufacturer's roles (no phone desk at a dealer) see none."""
    scope = scope_for(user)
    if scope.everything:
        return queryset
    return queryset.filter(**{f"{field}__in": scope.dealer_ids})


class CallQuerySet(models.QuerySet["Call"]):
    def visible_to(self, user: User) -> "CallQuerySet":
        return _dealer_scope(self, user)  # type: ignore[return-value]


class Call(models.Model):
    dealer = models.ForeignKey(
        Organization, verbose_name=_("dealer"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    at = models.DateTimeField(_("time of the call"))
    direction = models.CharField(_("direction"), max_length=8, choices=CallDirection.choices)
    number = models.CharField(_("number"), max_length=11)
    # found by number within the dealer when the call was logged (or picked); None: unknown caller
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    caller_name = NameField(_("caller's name"), max_length=60, blank=True)
    plate = PlateField(_("plate"), max_length=8, blank=True)
    purpose = models.CharField(_("purpose"), max_length=12, choices=CallPurpose.choices)
    customer_said = models.TextField(_("what the customer said"), blank=True)  # 客户原话, not a summary
    reply = models.TextField(_("reply"), blank=True)  # what was said to the customer (guarded)
    override_reason = models.CharField(_("reason to keep a flagged reply"), max_length=500, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken by"), on_delete=models.PROTECT, related_name="+"
    )
    # a message for an absent colleague (留言 / 找人): a callback task for them
    for_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # this call returns the call of a message left (it closed that callback task)
    callback_for = models.ForeignKey(
        "self",
        verbose_name=_("callback of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callbacks",
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    converted_at = models.DateTimeField(null=True, blank=True)  # the call became ``complaint``
    followup_id = models.BigIntegerField(null=True, blank=True)  # kesu.followups links its calls
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["dealer", "-at"], name="call_dealer_at"),
            models.Index(fields=["dealer", "number"], name="call_dealer_number"),
            models.Index(fields=["taken_by", "-at"], name="call_taker_at"),
            models.Index(fields=["complaint"], name="call_complaint"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.number_masked} {self.at:%Y-%m-%d %H:%M}"

    @property
    def number_masked(self) -> str:
        return mask_mobile(self.number)

    @property
    def duration_display(self) -> str:
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"


class CallAuditQuerySet(models.QuerySet["CallAudit"]):
    def visible_to(self, user: User) -> "CallAuditQuerySet":
        return _dealer_scope(self, user)  # type: ignore[return-value]


class CallAudit(models.Model):
    """One sampled call and its score against the checklist (0–2 points an item)."""

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="audit")
    dealer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", db_index=False)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    call_at = models.DateTimeField()  # the call's time: the month the score counts for
    sampled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sampled_at = models.DateTimeField(auto_now_add=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scored_at = models.DateTimeField(null=True, blank=True)
    greeting = models.PositiveSmallIntegerField(null=True, blank=True)
    identity = models.PositiveSmallIntegerField(null=True, blank=True)
    script_followed = models.PositiveSmallIntegerField(null=True, blank=True)
    satisfaction_asked = models.PositiveSmallIntegerField(null=True, blank=True)
    closing_courtesy = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = CallAuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("call audit")
        verbose_name_plural = _("call audits")
        ordering = ["-sampled_at", "-pk"]
        indexes = [models.Index(fields=["dealer", "call_at"], name="callaudit_dealer_month")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(greeting__lte=2)
                & models.Q(identity__lte=2)
                & models.Q(script_followed__lte=2)
                & models.Q(satisfaction_asked__lte=2)
                & models.Q(closing_courtesy__lte=2),
                name="callaudit_points_0_to_2",
            )
        ]

    def __str__(self) -> str:
        return f"audit of call {self.call_id}"

    @property
    def points(self) -> dict[str, int | None]:
        return {item: getattr(self, item) for item in AUDIT_ITEMS}

    @property
    def total(self) -> int | None:
        values = list(self.points.values())
        return None if any(v is None for v in values) else sum(v for v in values if v is not None)
