"""The kinds, states and outcomes of care items, as stable string values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CareKind(models.TextChoices):
    MAINTENANCE = "maintenance", _("Maintenance due")  # 定保提醒
    INSPECTION = "inspection", _("Annual inspection")  # 年检
    WARRANTY = "warranty", _("Warranty ending")  # 保修到期
    INSURANCE = "insurance", _("Insurance renewal")  # 续保
    BIRTHDAY = "birthday", _("Birthday")
    ANNIVERSARY = "anniversary", _("Purchase anniversary")
    CAMPAIGN = "campaign", _("Campaign")  # a recall or service action


class CareState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    OBSOLETE = "obsolete", _("No longer due")  # the facts changed (e.g. the car was serviced)


class CareOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    BOOKED = "booked", _("Appointment booked")
    DECLINED = "declined", _("Not needed")
    NOT_REACHED = "not_reached", _("Not reached")
    SMS_SENT = "sms_sent", _("SMS sent")
    LETTER = "letter", _("Letter sent")
    OPTED_OUT = "opted_out", _("Opted out")


class CareChannel(models.TextChoices):
    CALL = "call", _("Call")
    SMS = "sms", _("SMS")
    LETTER = "letter", _("Letter")


class CampaignAction(models.TextChoices):
    RECALL = "recall", _("Recall")  # 召回
    SERVICE_ACTION = "service_action", _("Service action")  # 服务行动
