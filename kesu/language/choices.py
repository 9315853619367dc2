"""The vocabulary of service language (DOMAIN.md "Language", "Taxonomy"), as stable strings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Situation(models.TextChoices):
    """工作场景 — when a phrase is said (seed 004's 情景会话用语, plus the complaint steps)."""

    OPENING = "opening", _("Opening a call")
    RECEIVE = "receive", _("Receiving a complaint")
    NOT_HEARD = "not_heard", _("Did not hear the customer")
    EXPLANATION = "explanation", _("Customer unhappy with the explanation")
    EXTRA_REQUEST = "extra_request", _("Customer makes an extra request")
    URGING = "urging", _("Customer urges again")
    NO_RESULT = "no_result", _("No result yet")
    ANXIOUS = "anxious", _("Customer is anxious")
    UNKNOWN = "unknown", _("A question you cannot answer")
    OTHER_DEPARTMENT = "other_department", _("Another department's question")
    DISSATISFIED = "dissatisfied", _("Customer dissatisfied with what was done")
    NOT_UNDERSTOOD = "not_understood", _("Customer did not understand")
    ARGUING = "arguing", _("Disagreement with the customer")
    PERSON_BUSY = "person_busy", _("The person asked for is busy")
    RESPECT = "respect", _("Hurting the customer's self-respect")
    BLAME = "blame", _("Shifting responsibility")
    OBJECTION = "objection", _("Handling an objection")
    FOLLOW_UP = "follow_up", _("Follow-up call")
    CLOSING = "closing", _("Ending the call")
    OTHER = "other", _("Other")


class ObjectionNature(models.TextChoices):
    """异议的性质 (seed 001)."""

    TRUE = "true", _("True objection")
    FALSE = "false", _("False objection")
    HIDDEN = "hidden", _("Hidden objection")


class ObjectionContent(models.TextChoices):
    """异议的内容 (seed 001)."""

    NEED = "need", _("Need")
    PRICE = "price", _("Price")
    PRODUCT = "product", _("Product")
    PURCHASE_TIME = "purchase_time", _("Purchase time")
    STAFF = "staff", _("Staff")
    SERVICE = "service", _("Service")
    ABILITY_TO_PAY = "ability_to_pay", _("Ability to pay")


class ReplyStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ReplyChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    LETTER = "letter", _("Letter / written reply")
    IN_PERSON = "in_person", _("In person")


class GuardContext(models.TextChoices):
    """Where a checked text was going when the agent overrode the guard."""

    REPLY = "reply", _("Reply to the customer")
    SMS = "sms", _("SMS")
    AGREEMENT = "agreement", _("Agreement text")
    CALL_NOTE = "call_note", _("Call note said to the customer")
    OTHER = "other", _("Other")
