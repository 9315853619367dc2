"""A dealer's slot plan and its appointments. A booking takes one numbered place (seat) in its
slot; the unique index on (dealer, slot start, seat) among bookings that hold a place is what
makes double-booking impossible, on SQLite and PostgreSQL alike, however many agents book at once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kesu.core.privacy import NameField, PlateField
from kesu.customers.models import Customer, Vehicle
from kesu.organizations.models import Organization, User
from kesu.organizations.scope import scope_for

from .choices import HOLDS_A_PLACE, AppointmentState, ConfirmPolicy, Salutation


class SlotPlan(models.Model):
    """How a dealer's day is cut into slots and how many cars each slot takes. Without a row the
    defaults apply (60-minute slots, 4 bays, 3 advisors, confirmation the day before at 16:00)."""

    dealer = models.OneToOneField(
        Organization, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="+"
    )
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=60)
    bays = models.PositiveSmallIntegerField(_("bays"), default=4)
    advisors = models.PositiveSmallIntegerField(_("advisors"), default=3)
    # {"09:00": 2, "13:30": 0}: an explicit capacity for some slots (0 closes one)
    slot_capacity = models.JSONField(_("capacity per slot"), default=dict, blank=True)
    confirm_policy = models.CharField(
        _("confirmation call"), max_length=16, choices=ConfirmPolicy.choices, default=ConfirmPolicy.DAY_BEFORE
    )
    confirm_hour = models.PositiveSmallIntegerField(_("confirmation hour (the day before)"), default=16)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("slot plan")
        verbose_name_plural = _("slot plans")

    def __str__(self) -> str:
        return f"{self.dealer_id} {self.slot_minutes}min × {self.capacity}"

    @property
    def capacity(self) -> int:
        """Cars per slot: one bay and one advisor each."""
        return min(self.bays, self.advisors)


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def visible_to(self, user: User) -> "AppointmentQuerySet":
        """A dealer's people see their dealer's, a region manager the region's dealers', an
        administrator all; the manufacturer's roles none (appointments are never escalated)."""
        scope = scope_for(user)
        if scope.everything:
            return self
        return self.filter(dealer_id__in=scope.dealer_ids)


class Appointment(models.Model):
    """One booking (预约信息卡): 车牌, 姓名, 联系方式, 来厂时间, 维修项目, 里程, 指定服专."""

    dealer = models.ForeignKey(
        Organization, verbose_name=_("dealer"), on_delete=models.PROTECT, related_name="+"
    )
    slot_start = models.DateTimeField(_("arrival time"))
    seat_no = models.PositiveSmallIntegerField(_("place"))
    state = models.CharField(
        _("state"), max_length=12, choices=AppointmentState.choices, default=AppointmentState.BOOKED
    )
    plate = PlateField(_("plate"), max_length=8)
    name = NameField(_("name"), max_length=60)
    salutation = models.CharField(_("salutation"), max_length=2, choices=Salutation.choices, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11)
    work_items = models.JSONField(_("work items"), default=list)  # WorkType values
    work_note = models.CharField(_("work details"), max_length=500, blank=True)
    mileage_km = models.PositiveIntegerField(_("mileage (km)"), null=True, blank=True)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advisor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    followup_id = models.BigIntegerField(null=True, blank=True)  # booked during this follow-up call
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirm_note = models.CharField(_("confirmation note"), max_length=200, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)
    rescheduled = models.PositiveSmallIntegerField(_("times rescheduled"), default=0)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["slot_start", "seat_no"]
        indexes = [models.Index(fields=["dealer", "slot_start"], name="appointment_dealer_slot")]
        constraints = [
            # one booking per place of a slot: the guard against double-booking under concurrency
            models.UniqueConstraint(
                fields=["dealer", "slot_start", "seat_no"],
                condition=Q(state__in=HOLDS_A_PLACE),
                name="appointment_one_per_place",
            ),
            # an advisor receives one car per slot
            models.UniqueConstraint(
                fields=["advisor", "slot_start"],
                condition=Q(state__in=HOLDS_A_PLACE, advisor__isnull=False),
                name="appointment_advisor_once_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plate} {self.slot_start:%Y-%m-%d %H:%M}"
