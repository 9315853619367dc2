"""Customers and their vehicles. A customer belongs to one dealer: dealers never share them."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from kesu.core.privacy import ChangesField, NameField, PlateField, VinField
from kesu.core.validators import mask_mobile
from kesu.organizations.models import Organization, User
from kesu.organizations.scope import scope_for

from .choices import RevealChannel


def _in_scope(user: User, *, dealer: str, customer: str) -> Q | None:
    """Who may see a customer, as a condition on the customer's ``dealer`` field and ``customer``
    id (on the customer itself, or through a vehicle's foreign key); None means everyone."""
    scope = scope_for(user)
    if scope.everything:
        return None
    condition = Q(**{f"{dealer}__in": scope.dealer_ids})
    if scope.escalated_dealer_ids:  # the complaints app is above this one: no import
        complaints = apps.get_model("complaints", "Complaint")._default_manager
        escalated = complaints.filter(customer_id=OuterRef(customer), escalated_at__isnull=False)
        condition |= Q(Exists(escalated), **{f"{dealer}__in": scope.escalated_dealer_ids})
    return condition


class CustomerQuerySet(models.QuerySet["Customer"]):
    def visible_to(self, user: User) -> "CustomerQuerySet":
        condition = _in_scope(user, dealer="dealer_id", customer="pk")
        return self if condition is None else self.filter(condition)


class Customer(models.Model):
    dealer = models.ForeignKey(
        Organization, verbose_name=_("dealer"), on_delete=models.PROTECT, related_name="customers"
    )
    name = NameField(_("name"), max_length=60)
    mobile = models.CharField(_("mobile"), max_length=11)
    is_vip = models.BooleanField(_("VIP / key account"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    # consent is asked, never assumed: no answer recorded means no consent
    consent_sms = models.BooleanField(_("agrees to SMS"), default=False)
    consent_calls = models.BooleanField(_("agrees to care calls"), default=False)
    consent_marketing = models.BooleanField(_("agrees to marketing"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking of edits

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [models.Index(fields=["dealer", "mobile"]), models.Index(fields=["mobile"])]

    def __str__(self) -> str:
        return f"{self.name} {self.mobile_masked}"

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)


class VehicleQuerySet(models.QuerySet["Vehicle"]):
    def visible_to(self, user: User) -> "VehicleQuerySet":
        """The same scope as the owner's, through the join (no subquery to plan and compile)."""
        condition = _in_scope(user, dealer="customer__dealer_id", customer="customer_id")
        return self if condition is None else self.filter(condition)


class Vehicle(models.Model):
    customer = models.ForeignKey(
        Customer, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="vehicles"
    )
    plate = PlateField(_("plate"), max_length=8, blank=True)
    vin = VinField(_("VIN"), max_length=17, blank=True)
    model_name = models.CharField(_("model"), max_length=60, blank=True)
    mileage_km = models.PositiveIntegerField(_("mileage (km)"), null=True, blank=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    warranty_end = models.DateField(_("warranty end"), null=True, blank=True)
    last_service_date = models.DateField(_("last service date"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking of edits

    objects = VehicleQuerySet.as_manager()

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        indexes = [models.Index(fields=["plate"]), models.Index(fields=["vin"])]

    def __str__(self) -> str:
        return self.plate or self.vin or self.model_name


class PhoneReveal(models.Model):
    """Every time someone sees a customer's full number: who, whose, when."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="reveals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField(max_length=8, choices=RevealChannel.choices, default=RevealChannel.WEB)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} saw {self.customer_id} at {self.at:%Y-%m-%d %H:%M}"


class CustomerChange(models.Model):
    """One edit of a customer or of one of their vehicles: who, when, each field old → new."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="changes")
    vehicle_id = models.BigIntegerField(null=True, blank=True)  # None: the customer's own fields
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    changes = ChangesField(default=dict)  # {"field": [old, new]}; phone numbers masked

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.actor_id} changed {self.customer_id} at {self.at:%Y-%m-%d %H:%M}"


class CustomerMerge(models.Model):
    """Two records of one person made one: the duplicate's history moved to ``kept`` and the
    duplicate deleted; what moved is listed (ids), so the log says what happened."""

    dealer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kept = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="merges")
    merged_id = models.BigIntegerField(db_index=True)  # the deleted duplicate's id
    merged_name = NameField(max_length=60)
    merged_mobile_masked = models.CharField(max_length=11)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    moved = models.JSONField(default=dict)  # {"complaints": [ids], "vehicles": [ids], ...}

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.merged_id} merged into {self.kept_id}"


class Erasure(models.Model):
    """A customer's request to erase their personal data (PIPL art. 47), carried out by
    kesu/flows/erasure.py: who asked for it on whose behalf, why, when, and how many rows it
    touched. The customer row stays (complaints point at it, statistics count it) with its
    personal values replaced; this row names the customer by id only."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="erasures")
    dealer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True)
    rows = models.JSONField(default=dict)  # model label → rows changed

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"erasure of {self.customer_id} at {self.at:%Y-%m-%d}"


class CustomerImport(models.Model):
    """One import of a dealer's DMS export (kesu/customers/importing.py): who, which file, what
    it created and updated."""

    dealer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField(default=0)
    customers_created = models.PositiveIntegerField(default=0)
    customers_linked = models.PositiveIntegerField(default=0)
    vehicles_created = models.PositiveIntegerField(default=0)
    vehicles_updated = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"
