"""The complaint vocabulary (DOMAIN.md "The record" and "Taxonomy"), as stable string values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    INVESTIGATING = "investigating", _("Investigating cause")
    PLAN_PROPOSED = "plan_proposed", _("Plan proposed")
    AGREED = "agreed", _("Customer agreed")
    IMPLEMENTING = "implementing", _("Implementing")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    REFUSED = "refused", _("Refused")
    ESCALATED = "escalated", _("Escalated")
    REOPENED = "reopened", _("Reopened")
    # a manager decides: a lukewarm rating, or a close above the agent's authority (severity)
    AWAITING_DECISION = "pending_decision", _("Awaiting manager's decision")


TERMINAL_STATES = frozenset({Status.CLOSED, Status.REFUSED})
OPEN_STATES = frozenset(Status) - TERMINAL_STATES
# The four steps of seed 000, for the detail page's progress bar.
STEP_OF_STATUS = {
    Status.RECEIVED: 1,
    Status.REOPENED: 1,
    Status.ESCALATED: 2,
    Status.INVESTIGATING: 2,
    Status.PLAN_PROPOSED: 2,
    Status.AGREED: 3,
    Status.IMPLEMENTING: 3,
    Status.FOLLOW_UP: 4,
    Status.CLOSED: 4,
    Status.REFUSED: 1,
    Status.AWAITING_DECISION: 4,
}


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    HOTLINE_800 = "hotline_800", _("800 hotline")
    WEB = "web", _("Web / H5 form")
    EMAIL = "email", _("Email")
    SMS_WECHAT = "sms_wechat", _("SMS / WeChat")
    MEDIA = "media", _("Media / internet post")
    INTERNAL = "internal", _("Internal source")


class Category(models.TextChoices):
    PRODUCT = "product", _("Product fault")
    REPAIR_QUALITY = "repair_quality", _("Repair quality")
    REPAIR_COST = "repair_cost", _("Repair cost")
    RECEPTION = "reception", _("Reception / attitude")
    PURCHASE = "purchase", _("Purchase")
    PARTS = "parts", _("Parts")
    MIXED = "mixed", _("Mixed")


class Nature(models.TextChoices):
    APPEAL = "appeal", _("Appeal")
    CLAIM = "claim", _("Claim")
    MARKET = "market", _("Market complaint")


class Severity(models.TextChoices):
    NORMAL = "normal", _("Normal")
    SERIOUS = "serious", _("Serious")
    MAJOR = "major", _("Major")
    CRISIS = "crisis", _("Crisis")


class Rung(models.TextChoices):
    """The escalation ladder (层次高一点), lowest first; the values are the roles that hold each rung."""

    SERVICE_MANAGER = "service_manager", _("Service manager")
    GENERAL_MANAGER = "general_manager", _("General manager")
    REGION = "region_manager", _("Region manager")
    CRC = "crc_agent", _("Manufacturer CRC")


LADDER: tuple[Rung, ...] = tuple(Rung)
# Rungs from which the manufacturer sees the complaint (Complaint.escalated_at is set).
MANUFACTURER_RUNGS = frozenset({Rung.REGION, Rung.CRC})


class Emotion(models.TextChoices):
    CALM = "calm", _("Calm")
    UPSET = "upset", _("Upset")
    ANGRY = "angry", _("Angry")


class Demand(models.TextChoices):
    RETURN = "return", _("Return")
    EXCHANGE = "exchange", _("Exchange")
    DISCOUNT = "discount", _("Discount")
    FREE_REPAIR = "free_repair", _("Free repair")
    COMPENSATION = "compensation", _("Compensation")
    APOLOGY = "apology", _("Apology")
    GIFT = "gift", _("Gift")
    OTHER = "other", _("Other")


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    NEUTRAL = "neutral", _("Neutral")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


# 一般 / 不满意: "a lukewarm answer is a signal, not a close" (DOMAIN.md, seed 004) — a manager decides.
LUKEWARM = frozenset({Satisfaction.NEUTRAL, Satisfaction.DISSATISFIED})


class EventKind(models.TextChoices):
    CREATED = "created", _("Registered")
    TRANSITION = "transition", _("Status changed")
    EDITED = "edited", _("Edited")
    ATTACHMENT = "attachment", _("Attachment added")
    FIRST_REPLY = "first_reply", _("First reply to the customer")
    PAUSED = "paused", _("Clocks paused")
    RESUMED = "resumed", _("Clocks resumed")
    SLA_BREACH = "sla_breach", _("Deadline missed")
    ESCALATION = "escalation", _("Escalation notified")
    REVISIT = "revisit", _("Revisit recorded")
    ASSIGNED = "assigned", _("Assigned")
    TRANSFERRED = "transferred", _("Transferred to a department")
    REPLY = "reply", _("Reply to the customer")
    CONTACT_SHEET = "contact_sheet", _("Contact sheet")  # kesu.resolutions: sent, answered, rework
    FINDINGS = "findings", _("General manager's decision on the findings")  # kesu.resolutions
    ACCOUNTABILITY = "accountability", _("Accountability")  # kesu.resolutions: responsibility, 奖罚通知单
    OPTION = "option", _("Countermeasure option")  # kesu.resolutions: drafted, sent for approval, answered
    CALL = "call", _("Phone call")  # kesu.calls: a call logged on the complaint
    # kesu.carmaker: the carmaker's instructions, help from another dealer, PR on a crisis
    INSTRUCTION = "instruction", _("Carmaker's instruction")
    HELP_REQUEST = "help_request", _("Help from another dealer")
    PR = "pr", _("Public relations")
    APPROVAL = "approval", _("Approval")  # kesu.approvals: requested, decided, overdue, superseded


class RuleField(models.TextChoices):
    """What an assignment rule matches on (complaints.ownership)."""

    CHANNEL = "channel", _("Channel")
    CATEGORY = "category", _("Category")
