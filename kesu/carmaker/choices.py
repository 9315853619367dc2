"""The carmaker's vocabulary: instruction and help-request states, media tone, statement states,
and who may do what (the roles are the organisations' own; this app decides its rules here)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.organizations.choices import DEALER_ROLES, Role


class InstructionState(models.TextChoices):
    OPEN = "open", _("Awaiting the dealer")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DONE = "done", _("Done")


class HelpKind(models.TextChoices):
    PART = "part", _("A part in stock")
    TECHNICIAN = "technician", _("A technician")
    OTHER = "other", _("Other help")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class HelpStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    DONE = "done", _("Done")


class HelpDecision(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")
    DONE = "done", _("Done")


class Tone(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class StatementState(models.TextChoices):
    DRAFT = "draft", _("Draft, awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class StatementDecision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


# The carmaker's people who instruct a dealer on an escalated complaint (seed 003: the region
# manager, the CRC, PR and quality); administrators too.
INSTRUCTING_ROLES = frozenset({Role.REGION_MANAGER, Role.CRC_AGENT, Role.PR, Role.QUALITY})
# The dealer answers an instruction: anyone of the complaint's dealer.
ANSWERING_ROLES = DEALER_ROLES
# A dealer asks another for help: anyone of the complaint's dealer; the other dealer's service
# manager, general manager or departments (parts, workshop) answer — not the front desk.
HELP_ASKING_ROLES = DEALER_ROLES
HELP_ANSWERING_ROLES = frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.DEPARTMENT_STAFF})
# PR takes over a crisis, logs the media and drafts statements. A statement is approved by a PR
# lead: another PR user (or an administrator) — never its author.
PR_ROLES = frozenset({Role.PR})
# The same-day incident report (重大事故报告) is written by the dealer's desk and managers
# (seed 003: the service manager and the DCRC) or the carmaker's CRC and PR.
REPORT_ROLES = frozenset({Role.AGENT, Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.CRC_AGENT, Role.PR})
