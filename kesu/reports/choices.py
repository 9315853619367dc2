"""The reports vocabulary, as stable string values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_JOB_STATES = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})


class Dimension(models.TextChoices):
    """What the dashboard's volume charts count by (a column of ComplaintFact each)."""

    CATEGORY = "category", _("Category")
    FAULT_AREA = "fault_area", _("Fault area")
    DEALER = "dealer", _("Dealer")
    DEPARTMENT = "department", _("Department")
    CHANNEL = "channel", _("Channel")
    MODEL = "model", _("Model")
    SEVERITY = "severity", _("Severity")


class Clock237(models.TextChoices):
    """The 2-3-7 rule (DOMAIN.md): reply within 2 working hours, close within 3 working days,
    revisit within 7 days, written answer within 7 days — the four SLA clocks' first cycle."""

    REPLIED = "first_reply", _("Replied within 2 working hours")
    CLOSED = "resolution", _("Closed within 3 working days")
    REVISITED = "revisit", _("Revisited within 7 days")
    ANSWERED = "decision", _("Written answer within 7 days")
