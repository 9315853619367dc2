from django.db import models
from django.utils.translation import gettext_lazy as _


class ClockKind(models.TextChoices):
    FIRST_REPLY = "first_reply", _("First reply")
    RESOLUTION = "resolution", _("Resolution")
    REVISIT = "revisit", _("Revisit")
    DECISION = "decision", _("Written decision")


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    WARNING = "warning", _("Warning")
    BREACHED = "breached", _("Breached")
    MET = "met", _("Met")
    PAUSED = "paused", _("Paused")


class TargetUnit(models.TextChoices):
    WORKING_MINUTES = "working_minutes", _("Working minutes")
    WORKING_DAYS = "working_days", _("Working days")
    CALENDAR_MINUTES = "calendar_minutes", _("Calendar minutes")


ACTIVE_STATES = frozenset({ClockState.RUNNING, ClockState.WARNING, ClockState.BREACHED})
