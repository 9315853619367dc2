from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SLA_WARNING = "sla_warning", _("Deadline approaching")
    SLA_BREACH = "sla_breach", _("Deadline missed")
    ESCALATION = "escalation", _("Escalated to you")
    CRISIS = "crisis", _("Crisis")
    ASSIGNED = "assigned", _("Assigned to you")
    QUALITY_SIGNAL = "quality_signal", _("Possible quality issue")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WEBHOOK = "webhook", _("Group robot (WeCom / DingTalk)")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    # claimed by a worker and being sent: counted as an attempt before the first byte leaves
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DEAD = "dead", _("Dead letter")
    # the worker stopped mid-send on a channel that cannot recognise a repeat: a person decides
    UNCERTAIN = "uncertain", _("Uncertain")
    DROPPED = "dropped", _("Dropped")


DEFAULT_CHANNELS: dict[str, list[str]] = {
    Kind.SLA_WARNING: [],
    Kind.SLA_BREACH: [Channel.EMAIL],
    Kind.ESCALATION: [Channel.EMAIL, Channel.SMS],
    Kind.CRISIS: [Channel.EMAIL, Channel.SMS],
    Kind.ASSIGNED: [],
    Kind.QUALITY_SIGNAL: [Channel.EMAIL],
}
