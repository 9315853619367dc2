"""Stable string values of the call log: direction, purpose (the 留言卡's five boxes), the audit
checklist (电访稽核)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CallDirection(models.TextChoices):
    INBOUND = "inbound", pgettext_lazy("call", "Inbound")
    OUTBOUND = "outbound", pgettext_lazy("call", "Outbound")


class CallPurpose(models.TextChoices):
    """事由 on the 电话留言卡: 找人 / 预约 / 留言 / 咨询 / 抱怨."""

    FIND_PERSON = "find_person", pgettext_lazy("call", "Asking for someone")
    APPOINTMENT = "appointment", pgettext_lazy("call", "Appointment")
    MESSAGE = "message", pgettext_lazy("call", "Message")
    ENQUIRY = "enquiry", pgettext_lazy("call", "Enquiry")
    COMPLAINT = "complaint", pgettext_lazy("call", "Complaint")


# A message or a call asking for someone may be "for" a colleague: a callback task for them.
FOR_SOMEONE = frozenset({CallPurpose.FIND_PERSON, CallPurpose.MESSAGE})


class AuditItem(models.TextChoices):
    """The checklist a supervisor scores each sampled call against: 0 (no), 1 (partly), 2 (yes)."""

    GREETING = "greeting", _("Greeting (您好, name and number)")
    IDENTITY = "identity", _("Caller's identity confirmed")
    SCRIPT = "script_followed", _("Script followed")
    SATISFACTION = "satisfaction_asked", _("Satisfaction asked")
    CLOSING = "closing_courtesy", _("Closing courtesy (thanks, waits for the caller to hang up)")


AUDIT_ITEMS: tuple[str, ...] = tuple(AuditItem.values)
MAX_POINTS = 2  # per checklist item
