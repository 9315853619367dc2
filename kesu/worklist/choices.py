"""The kinds and states of a work item, as stable string values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkKind(models.TextChoices):
    """What the agent has to do; each kind is opened and closed by the app that owns it."""

    FOLLOW_UP = "follow_up", _("Follow-up call")  # followups: revisit, 3-day, 3/7-day after delivery
    CARE_CALL = "care_call", _("Care call")  # care lists: maintenance, 年检, warranty, birthdays…
    CONFIRMATION = "confirmation", _("Appointment confirmation")  # appointments
    CALLBACK = "callback", _("Callback")  # calls: a message left for an absent colleague
    APPROVAL = "approval", _("Approval")  # approvals waiting for a decision
    CONTACT_SHEET = "contact_sheet", _("Contact sheet")  # resolutions: a department's 联络单
    PAYMENT = "payment", _("Payment")  # approvals: finance (财务部) pays approved money
    GIFT = "gift", _("Gift")  # approvals: administration (行政) hands over an approved gift
    INSTRUCTION = "instruction", _("Carmaker's instruction")  # carmaker: the dealer answers
    HELP_REQUEST = "help_request", _("Help request")  # carmaker: another dealer asks for a part


class WorkState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
