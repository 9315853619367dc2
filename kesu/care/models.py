"""Care facts the customers app does not keep (birthday, insurance renewal), the generator's
per-vehicle state, the care items (主动电访 list entries) and one-off campaigns."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kesu.customers.models import Customer, Vehicle
from kesu.organizations.models import Organization, User
from kesu.organizations.scope import scope_for

from .choices import CampaignAction, CareChannel, CareKind, CareOutcome, CareState


def _dealer_scope(queryset: models.QuerySet, user: User) -> models.QuerySet:  # type: ignore[type-arg]
    """A dealer's care lists are its own: its people and the region above it see them; the
    manufacturer's roles see every dealer's."""
    scope = scope_for(user)
    if scope.everything:
        return queryset
    return queryset.filter(dealer_id__in=scope.dealer_ids)


class CustomerCare(models.Model):
    """The owner's facts for care calls (one row per customer, only when known)."""

    customer = models.OneToOneField(
        Customer, primary_key=True, on_delete=models.CASCADE, related_name="care_facts"
    )
    birthday = models.DateField(_("birthday"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer care facts")
        verbose_name_plural = _("customer care facts")

    def __str__(self) -> str:
        return f"{self.customer_id} {self.birthday}"


class VehicleCare(models.Model):
    """The vehicle's facts for care calls (one row per vehicle, only when known)."""

    vehicle = models.OneToOneField(
        Vehicle, primary_key=True, on_delete=models.CASCADE, related_name="care_facts"
    )
    insurance_renewal = models.DateField(_("insurance renewal"), null=True, blank=True)

    class Meta:
        verbose_name = _("vehicle care facts")
        verbose_name_plural = _("vehicle care facts")

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.insurance_renewal}"


class CareWatermark(models.Model):
    """What the generator last saw of a vehicle: a fingerprint of the facts the rules read
    (changed facts → recompute) and the next day something new can fall due (``wake_on``)."""

    vehicle_id = models.BigIntegerField(primary_key=True)
    fingerprint = models.CharField(max_length=32)
    wake_on = models.DateField(null=True, blank=True, db_index=True)
    computed_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.wake_on}"


class Campaign(models.Model):
    """A one-off recall or service action for a model or a VIN range (召回 / 服务行动)."""

    dealer = models.ForeignKey(
        Organization,
        verbose_name=_("dealer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # None: every dealer (a manufacturer's campaign)
    title = models.CharField(_("title"), max_length=120)
    action = models.CharField(_("action"), max_length=16, choices=CampaignAction.choices)
    model_name = models.CharField(_("model"), max_length=60, blank=True)
    vin_start = models.CharField(_("first VIN"), max_length=17, blank=True)
    vin_end = models.CharField(_("last VIN"), max_length=17, blank=True)
    due_date = models.DateField(_("due date"))
    matched = models.PositiveIntegerField(_("vehicles"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class CareItemQuerySet(models.QuerySet["CareItem"]):
    def visible_to(self, user: User) -> "CareItemQuerySet":
        return _dealer_scope(self, user)  # type: ignore[return-value]


class CareItem(models.Model):
    """One entry of a day's care list: who to contact about what, by when."""

    dealer_id = models.BigIntegerField(_("dealer"))
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CareKind.choices)
    due_date = models.DateField(_("due date"))
    list_date = models.DateField(_("list date"))  # the day the reminder opens (agent's day)
    state = models.CharField(_("state"), max_length=12, choices=CareState.choices, default=CareState.OPEN)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=CareOutcome.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=CareChannel.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    worked_at = models.DateTimeField(null=True, blank=True)
    worked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    objects = CareItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("care item")
        verbose_name_plural = _("care items")
        indexes = [
            # the day's list of a dealer: open items by kind, oldest first
            models.Index(fields=["dealer_id", "kind", "list_date"], name="careitem_list"),
            models.Index(fields=["vehicle", "kind"], name="careitem_vehicle"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle", "kind", "due_date"],
                condition=Q(campaign__isnull=True),
                name="careitem_one_per_due",
            ),
            models.UniqueConstraint(
                fields=["vehicle", "campaign"],
                condition=Q(campaign__isnull=False),
                name="careitem_one_per_campaign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.vehicle_id} {self.due_date}"


class ConsentLog(models.Model):
    """An opt-out (or consent) heard on a care contact: who said what, when, recorded by whom."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(CareItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    field = models.CharField(max_length=24)  # consent_sms / consent_calls / consent_marketing
    value = models.BooleanField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.field}={self.value}"


class CareRun(models.Model):
    """One run of the daily generator: what it looked at and what it opened."""

    day = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0)
    vehicles = models.PositiveIntegerField(default=0)
    opened = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    obsolete = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.day} {self.opened}"
