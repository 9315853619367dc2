"""Stable string values of improvement actions (整改) and the case library (案例分享): status and
its transition table, priority (seed 003: 整改应分缓急轻重), where an action came from, and the
effectiveness check's outcome."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("improvement", "To do")
    IN_PROGRESS = "in_progress", pgettext_lazy("improvement", "In progress")
    DONE = "done", pgettext_lazy("improvement", "Done")
    CANCELLED = "cancelled", pgettext_lazy("improvement", "Cancelled")


# Work still owed: these can be overdue.
OPEN_STATES = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})


class Priority(models.TextChoices):
    """缓急轻重: urgency × importance, most pressing first."""

    URGENT_IMPORTANT = "urgent_important", _("Urgent and important")
    IMPORTANT = "important", _("Important, not urgent")
    URGENT = "urgent", _("Urgent, less important")
    ROUTINE = "routine", _("Neither urgent nor important")


PRIORITY_RANK = {value: rank for rank, value in enumerate(Priority.values)}


class Source(models.TextChoices):
    CHART = "chart", _("Dashboard chart")
    QUALITY_SIGNAL = "quality_signal", _("Quality signal")
    COMPLAINT = "complaint", _("Complaint")
    MANUAL = "manual", _("Monthly review")


class Effectiveness(models.TextChoices):
    """Did that kind of complaint recur in the month after completion? Computed, never typed."""

    PENDING = "pending", _("Not checked yet")
    EFFECTIVE = "effective", _("Did not recur")
    REDUCED = "reduced", _("Recurred less often")
    RECURRED = "recurred", _("Recurred")


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    needs: tuple[str, ...] = ()  # inputs that must be non-empty
    managers_only: bool = False  # else the owner may take it too


# THE transition table: the pages and the API only show what it allows; transition() refuses
# everything else.
TRANSITIONS: dict[str, Move] = {
    "start": Move(frozenset({ActionStatus.OPEN}), ActionStatus.IN_PROGRESS),
    "complete": Move(OPEN_STATES, ActionStatus.DONE, needs=("evidence_text",)),
    "reopen": Move(frozenset({ActionStatus.DONE}), ActionStatus.IN_PROGRESS, ("reason",), True),
    "cancel": Move(OPEN_STATES, ActionStatus.CANCELLED, ("reason",), True),
}

ACTION_LABELS = {
    "start": pgettext_lazy("improvement", "Start"),
    "complete": pgettext_lazy("improvement", "Complete"),
    "reopen": pgettext_lazy("improvement", "Reopen"),
    "cancel": pgettext_lazy("improvement", "Cancel"),
}
