"""The vocabulary of approvals, as stable string values."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.organizations.choices import Role
from kesu.resolutions.choices import Remedy


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SENT_BACK = "sent_back", _("Sent back for rework")
    SUPERSEDED = "superseded", _("Superseded")


class StepState(models.TextChoices):
    WAITING = "waiting", _("Not yet its turn")
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SENT_BACK = "sent_back", _("Sent back for rework")
    CANCELLED = "cancelled", _("Cancelled")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    SEND_BACK = "send_back", _("Send back for rework")


class TaskKind(models.TextChoices):
    """What approved remedies make someone do: finance pays money, administration hands a gift."""

    PAYMENT = "payment", _("Payment (finance)")
    GIFT = "gift", _("Gift (administration)")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")


# The ladder of authority (核决权限), lowest first: a request climbs it to the first rung whose
# limit covers it. The dealer's rungs (service manager, general manager) and the carmaker's region.
LADDER: tuple[Role, ...] = (Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.REGION_MANAGER)
# The roles an authority limit can be set for (agents and departments propose too).
LIMIT_ROLES: tuple[Role, ...] = (
    Role.AGENT,
    Role.DEPARTMENT_STAFF,
    Role.SERVICE_MANAGER,
    Role.GENERAL_MANAGER,
    Role.REGION_MANAGER,
)
# Remedies paid out by finance (财务部); a gift goes to administration (行政).
MONEY_REMEDIES: frozenset[str] = frozenset(
    {Remedy.RETURN, Remedy.DISCOUNT, Remedy.COMPENSATION, Remedy.TOWING, Remedy.TRANSPORT}
)
