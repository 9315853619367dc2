"""The follow-up vocabulary (DOMAIN.md "Follow-up and care", seed 004), as stable string values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUpKind(models.TextChoices):
    """Which call: the revisit after a complaint closes, the 3-day call after a service visit
    (售后3日电访), the 3- and 7-day calls after a new car is delivered (新车回访 / 7日关怀电访)."""

    REVISIT = "revisit", _("Complaint revisit")
    SERVICE_3D = "service_3d", _("3-day call after service")
    DELIVERY_3D = "delivery_3d", _("3-day call after delivery")
    DELIVERY_7D = "delivery_7d", _("7-day care call after delivery")


class FollowUpState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    FAILED = "failed", _("Not reached")  # three attempts, then an SMS or a letter
    CANCELLED = "cancelled", _("Cancelled")


class VehicleEventKind(models.TextChoices):
    """What happened to a vehicle that calls for follow-up calls (posted by the DMS or the desk)."""

    SERVICE_VISIT = "service_visit", _("Service visit finished")
    DELIVERY = "delivery", _("New car delivered")


class Result(models.TextChoices):
    """What an outcome records."""

    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached")
    SMS = "sms", _("Send an SMS instead")
    LETTER = "letter", _("Send a letter instead")


class DayPart(models.TextChoices):
    """Times of day for the retry plan: each attempt at a different one."""

    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


class Fallback(models.TextChoices):
    NONE = "", _("None")
    SMS = "sms", _("SMS")
    LETTER = "letter", _("Letter")


class LukewarmAction(models.TextChoices):
    """A lukewarm revisit (一般 / 不满意, or the problem not solved): reopen the complaint, or open
    a new one linked to it."""

    REOPEN = "reopen", _("Reopen the complaint")
    LINKED = "linked", _("Open a linked complaint")


class Rating(models.TextChoices):
    """The advisor's honesty and sincerity (seed 004: 非常好 / 好 / 一般)."""

    VERY_GOOD = "very_good", _("Very good")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")


class Question(models.TextChoices):
    """What kind of answer a script step asks for."""

    NONE = "", _("Say it")
    YES_NO = "yes_no", _("Yes or no")
    RATING = "rating", _("Rating")
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    SATISFACTION = "satisfaction", _("Satisfaction")
