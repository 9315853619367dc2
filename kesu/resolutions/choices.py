"""The vocabulary of resolutions, as stable string values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Remedy(models.TextChoices):
    """What an option offers: the customer's demands (complaints.choices.Demand) plus the costs
    seed 003 pays back (towing, transport) and a loan car."""

    RETURN = "return", _("Return the vehicle")
    EXCHANGE = "exchange", _("Exchange the vehicle")
    DISCOUNT = "discount", _("Discount")
    FREE_REPAIR = "free_repair", _("Free repair")
    COMPENSATION = "compensation", _("Compensation")
    APOLOGY = "apology", _("Apology")
    GIFT = "gift", _("Gift")
    TOWING = "towing", _("Towing fee refund")  # 拖车费
    TRANSPORT = "transport", _("Transport fee refund")  # 交通费
    LOANER = "loaner", _("Loan car")  # 代步车
    OTHER = "other", _("Other")


# --- routing, contact sheets, accountability (R1) ------------------------------------------------


class CauseDimension(models.TextChoices):
    """Where the root cause lies (seed 000: 明确人员/组织/技术中的关键问题)."""

    PEOPLE = "people", _("People")  # 人员
    ORGANISATION = "organisation", _("Organisation")  # 组织
    TECHNOLOGY = "technology", _("Technology")  # 技术


class SheetState(models.TextChoices):
    """A contact sheet (联络单): sent to a department, answered, sent back for rework, withdrawn."""

    SENT = "sent", _("Waiting for the department")
    ANSWERED = "answered", _("Answered")
    REWORK = "rework", _("Sent back for rework")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_SHEET_STATES = frozenset({SheetState.SENT, SheetState.REWORK})


class FindingsBasis(models.TextChoices):
    """Why the general manager decided the findings (seed 002: 争议由总经理室协调; 供应商责任由总经理处理)."""

    DISAGREEMENT = "disagreement", _("Departments disagree")
    SUPPLIER = "supplier", _("A supplier is responsible")
    OTHER = "other", _("Other")


class ResponsibleKind(models.TextChoices):
    """Who is responsible for what happened."""

    DEPARTMENT = "department", _("Department")
    PERSON = "person", _("Person")
    SUPPLIER = "supplier", _("Supplier")
    NONE = "none", _("Nobody (not the dealer's fault)")


class NoticeKind(models.TextChoices):
    PENALTY = "penalty", _("Penalty")  # 罚
    REWARD = "reward", _("Reward")  # 奖


class NoticeState(models.TextChoices):
    """A penalty notice (奖罚通知单): proposed by the service manager, approved (or rejected) by
    the general manager, acknowledged by the person concerned."""

    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


# --- countermeasure options and the customer's answer (R2) ---------------------------------------


class OptionState(models.TextChoices):
    """A countermeasure option (对策方案): drafted, sent for approval when it goes beyond the
    proposer's authority (核决权限), approved, proposed to the customer, then answered; a draft
    or an option waiting for approval is superseded when it is revised. From "pending approval"
    on it is locked: a change is a new option (and, if needed, a new approval)."""

    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending_approval", _("Waiting for approval")
    APPROVED = "approved", _("Approved, not yet proposed")
    PROPOSED = "proposed", _("Proposed to the customer")
    AGREED = "agreed", _("Agreed by the customer")
    REJECTED = "rejected", _("Rejected by the customer")
    ASKED_FOR_TIME = "asked_for_time", _("Customer asked for time")
    SUPERSEDED = "superseded", _("Superseded")


# The customer may still answer an option in these states (asked for time: they come back).
ANSWERABLE_OPTION_STATES = frozenset({OptionState.PROPOSED, OptionState.ASKED_FOR_TIME})
# The states of the option chosen and put to the customer (the 处理协议 can be printed).
CHOSEN_OPTION_STATES = frozenset({OptionState.PROPOSED, OptionState.ASKED_FOR_TIME, OptionState.AGREED})


class CustomerAnswer(models.TextChoices):
    """The customer's answer to a proposed option."""

    AGREED = "agreed", _("Agreed")
    REJECTED = "rejected", _("Rejected")
    ASKED_FOR_TIME = "asked_for_time", _("Asked for time")


class AgreementMethod(models.TextChoices):
    """How the customer agreed."""

    SIGNATURE = "signature", _("Signed on the page")  # on a tablet at the desk
    PHONE = "phone", _("By phone")  # the call noted
    SMS = "sms", _("By SMS confirmation")
