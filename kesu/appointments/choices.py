"""Stable values of the appointments app: states, work items, the confirmation policy."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ARRIVED = "arrived", _("Arrived")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


# A booking holds its place (seat) in the slot unless it is cancelled.
HOLDS_A_PLACE = ("booked", "arrived", "no_show")


class WorkType(models.TextChoices):
    """维修项目 on the booking card (seed 004)."""

    MAINTENANCE = "maintenance", _("Maintenance")
    REPAIR = "repair", _("Repair")
    INSPECTION = "inspection", _("Inspection")
    OTHER = "other", _("Other")


class ConfirmPolicy(models.TextChoices):
    """When the confirmation call is due: the day before at the dealer's hour, or 15 minutes
    before the arrival time (seed 004: 客户来厂前15分钟，致电确认来厂时间)."""

    DAY_BEFORE = "day_before", _("The day before")
    MINUTES_BEFORE = "minutes_before", _("15 minutes before")


class Salutation(models.TextChoices):
    """How the welcome board greets the customer: surname + 先生 / 女士."""

    MR = "mr", _("Mr")
    MS = "ms", _("Ms")
