"""The insights vocabulary, as stable string values.

Fault areas follow the eight quality categories of 车质网 (12365auto), so an organisation's own
labels and the public complaint sites speak the same language.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FaultArea(models.TextChoices):
    ENGINE = "engine", _("Engine / electric motor")
    TRANSMISSION = "transmission", _("Transmission")
    CLUTCH = "clutch", _("Clutch")
    STEERING = "steering", _("Steering")
    BRAKES = "brakes", _("Brakes")
    SUSPENSION = "suspension", _("Suspension and axles")
    TYRES = "tyres", _("Tyres")
    BODY_ELECTRICS = "body_electrics", _("Body and electrics")


# 车质网 category name → fault area (the eight quality categories, zf = "z").
CHEZHI_FAULT_AREA = {
    "发动机/电动机": FaultArea.ENGINE,
    "变速器": FaultArea.TRANSMISSION,
    "离合器": FaultArea.CLUTCH,
    "转向系统": FaultArea.STEERING,
    "制动系统": FaultArea.BRAKES,
    "前后桥及悬挂系统": FaultArea.SUSPENSION,
    "轮胎": FaultArea.TYRES,
    "车身附件及电器": FaultArea.BODY_ELECTRICS,
}


# The 17 车质网 categories (category_list_12365auto.json order) and the seed category each one
# counts as (data README); "其他" counts as none. 多元 ("mixed") is what several labels say.
CHEZHI_CATEGORIES = (
    "发动机/电动机",
    "变速器",
    "离合器",
    "转向系统",
    "制动系统",
    "轮胎",
    "前后桥及悬挂系统",
    "车身附件及电器",
    "服务态度",
    "人员技术",
    "服务收费",
    "承诺不兑现",
    "销售欺诈",
    "配件争议",
    "服务流程不完善",
    "其他服务问题",
    "其他",
)
CHEZHI_TO_SEED: dict[str, str | None] = {
    **dict.fromkeys(CHEZHI_FAULT_AREA, "product"),
    "服务态度": "reception",
    "承诺不兑现": "reception",
    "服务流程不完善": "reception",
    "其他服务问题": "reception",
    "销售欺诈": "purchase",
    "人员技术": "repair_quality",
    "配件争议": "parts",
    "服务收费": "repair_cost",
    "其他": None,
}
# 车质网 categories with a finer rule aspect of their own (rules.ASPECTS) than their seed category.
CHEZHI_ASPECT = {
    "服务态度": "attitude",
    "承诺不兑现": "promise",
    "服务流程不完善": "process",
    "其他": "defect",
}
CHEZHI_OTHER_SERVICE = "其他服务问题"  # no rule speaks for it (its one item is "other")


class SignalKind(models.TextChoices):
    """What kind of crisis signal a matched word is (DOMAIN.md "Escalation")."""

    MEDIA = "media", _("Media / exposure")
    AUTHORITY = "authority", _("Authorities (12315, consumer association)")
    LEGAL = "legal", _("Lawyer / court")
    VIOLENCE = "violence", _("Smashing the car / protest")
    SOCIAL = "social", _("Social platforms")
    SAFETY = "safety", _("Safety event")
    INJURY = "injury", _("Injury")
    LEARNED = "learned", _("Worded like a crisis (learned)")


class Behaviour(models.TextChoices):
    """The customer behaviours of seed 004, each with the stance to take."""

    CALM = "calm", _("Calm")
    INSISTS = "insists", _("Insists on being right")
    RUDE = "rude", _("Rude or wrong")
    ANGRY = "angry", _("Angry or frustrated")
    FLUSTERED = "flustered", _("Flustered")
    IRRITABLE = "irritable", _("Irritable")
    PERSISTENT = "persistent", _("Persistent")


STANCES = {
    Behaviour.CALM: _("Listen, record the customer's own words and confirm the demand."),
    Behaviour.INSISTS: _("Acknowledge for now that the customer is right and stress the point made."),
    Behaviour.RUDE: _("State the facts in correct terms."),
    Behaviour.ANGRY: _("Stay friendly and show goodwill; handle the mood before the matter."),
    Behaviour.FLUSTERED: _("Listen with empathy."),
    Behaviour.IRRITABLE: _("Stay calm and practical; deal with the problem seriously."),
    Behaviour.PERSISTENT: _("Explain the procedure and agree a time."),
}


class SuggestionField(models.TextChoices):
    CATEGORY = "category", _("Category")
    FAULT_AREA = "fault_area", _("Fault area")
    NATURE = "nature", _("Nature")
    SEVERITY = "severity", _("Severity")
    EMOTION = "emotion", _("Emotion")


# Suggestion fields that are also fields of the complaint record (accepting one edits it).
COMPLAINT_FIELDS = frozenset(
    {
        SuggestionField.CATEGORY,
        SuggestionField.NATURE,
        SuggestionField.SEVERITY,
        SuggestionField.EMOTION,
    }
)


class LinkReason(models.TextChoices):
    SAME_VEHICLE = "same_vehicle", _("Same vehicle (VIN)")
    SAME_CUSTOMER = "same_customer", _("Same customer")
    SAME_FAULT = "same_fault", _("Same fault area on the same model")
    REPEAT_REPAIR = "repeat_repair", _("Repeat repair")
    NEAR_DUPLICATE = "near_duplicate", _("Near-duplicate text at another dealer")


class SignalStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("quality signal", "Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", pgettext_lazy("quality signal", "Closed")
