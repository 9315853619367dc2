"""The timeline as people read it, rendered when it is shown — in the UI's language of the
reader, not of whoever (or whatever: the SLA sweep) wrote the entry.

An entry stores what happened as codes (kind, action, statuses, ``changes``: field → [before,
after]); this module turns those codes into labels: a field's name, a choice's label, a
department's or a person's name, a local time. The stored ``note`` is what a person wrote (or,
for system entries, a fallback written in the default language) and is shown as it is — except
where the codes say everything the note says.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.organizations.choices import Role
from kesu.organizations.models import Organization, User
from kesu.sla.choices import ClockKind

from . import workflow
from .choices import Demand, EventKind, Status
from .models import Complaint, TimelineEntry

EMPTY = "—"
# Keys of ``changes`` that are not fields of the complaint
_OTHER_LABELS = {
    "attachment": gettext_lazy("Attachment"),
    "size": gettext_lazy("Size"),
    "early_reason": gettext_lazy("Why earlier than the policy"),
    "customer_id": gettext_lazy("Customer"),
    "vehicle_id": gettext_lazy("Vehicle"),
}
# Entries whose ``changes`` are bookkeeping for the sweep, not edits to show
_QUIET_KEYS = {"clock", "role", "notified", "due", "crisis", "size"}


@dataclass
class Line:
    """One entry as shown: who, what, the details, and the note if it says more."""

    entry: TimelineEntry
    actor: str
    title: str
    details: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def at(self) -> datetime:
        return self.entry.at

    @property
    def kind(self) -> str:
        return self.entry.kind


def _model_field(name: str) -> models.Field | None:  # type: ignore[type-arg]
    try:
        return Complaint._meta.get_field(name[:-3] if name.endswith("_id") else name)  # type: ignore[return-value]
    except FieldDoesNotExist:
        return None


def _label_of(name: str) -> str:
    if name in _OTHER_LABELS:
        return str(_OTHER_LABELS[name])
    model_field = _model_field(name)
    if model_field is None:
        return name
    if name in workflow.INPUT_LABELS:
        return str(workflow.INPUT_LABELS[name])
    label = str(model_field.verbose_name)
    return label[:1].upper() + label[1:]


def _local(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


class _Names:
    """Departments and people named by id in a page of entries, read in two queries."""

    def __init__(self, entries: Iterable[TimelineEntry]):
        org_ids: set[int] = set()
        user_ids: set[int] = set()
        for entry in entries:
            for name, pair in (entry.changes or {}).items():
                if not isinstance(pair, list):
                    continue
                ids = {value for value in pair if isinstance(value, int)}
                if name == "department_id":
                    org_ids |= ids
                elif name == "assignee_id":
                    user_ids |= ids
        self.orgs = (
            {pk: str(org) for pk, org in Organization.objects.in_bulk(org_ids).items()} if org_ids else {}
        )
        self.users = (
            {pk: str(user) for pk, user in User.objects.in_bulk(user_ids).items()} if user_ids else {}
        )

    def value(self, name: str, value: Any) -> str:
        if value in (None, "", []):
            return EMPTY
        if name == "department_id":
            return self.orgs.get(value, str(value))
        if name == "assignee_id":
            return self.users.get(value, str(value))
        if isinstance(value, list):
            return "、".join(self.value(name, item) for item in value) or EMPTY
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if name == "demands":
            return str(Demand(value).label) if value in Demand.values else str(value)
        model_field = _model_field(name)
        if model_field is not None and model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and "T" in value:
            return _local(value)
        return str(value)


def _clock(entry: TimelineEntry) -> str:
    pair = entry.changes.get("clock")
    kind = pair[1] if isinstance(pair, list) and len(pair) == 2 else None
    return str(ClockKind(kind).label) if kind in ClockKind.values else ""


def _after(entry: TimelineEntry, key: str) -> Any:
    pair = entry.changes.get(key)
    return pair[1] if isinstance(pair, list) and len(pair) == 2 else None


def _role(code: Any) -> str:
    return str(Role(code).label) if code in Role.values else str(code or "")


def _sla_breach(line: Line) -> None:
    clock, due = _clock(line.entry), _after(line.entry, "due")
    if not clock:
        return
    line.title = (
        _("%(clock)s deadline %(due)s missed.") % {"clock": clock, "due": _local(due)}
        if due
        else _("%(clock)s deadline missed.") % {"clock": clock}
    )
    line.note = ""


def _escalation(line: Line) -> None:
    """A rung of the SLA ladder: the deadline, the role, and who was told — one entry a rung."""
    clock, role = _clock(line.entry), _after(line.entry, "role")
    if not clock or not role:
        return  # a crisis alert or a manual escalation: the note says it
    names = _after(line.entry, "notified") or []
    line.title = _("%(clock)s deadline missed: escalated to the %(role)s") % {
        "clock": clock,
        "role": _role(role),
    }
    line.details = [
        _("Notified: %(names)s") % {"names": "、".join(names)}
        if names
        else _("Nobody holds this role: nobody was notified.")
    ]
    line.note = ""


def _changes(line: Line, names: _Names) -> None:
    for name, pair in (line.entry.changes or {}).items():
        if name in _QUIET_KEYS or not isinstance(pair, list) or len(pair) != 2:
            continue
        before, after = pair
        if before in (None, "") and line.entry.kind != EventKind.EDITED:
            line.details.append(f"{_label_of(name)}: {names.value(name, after)}")
        else:
            line.details.append(
                f"{_label_of(name)}: {names.value(name, before)} → {names.value(name, after)}"
            )


def render(entries: Iterable[TimelineEntry]) -> list[Line]:
    """The entries of one complaint (``actor`` selected) as lines in the active language."""
    entries = list(entries)
    names = _Names(entries)
    lines = []
    for entry in entries:
        kind = entry.kind
        if kind == EventKind.EDITED and entry.action == "reply":  # written before replies had a kind
            kind = EventKind.REPLY
        title = str(EventKind(kind).label) if kind in EventKind.values else kind
        line = Line(entry, str(entry.actor) if entry.actor_id else _("System"), title, note=entry.note)
        if entry.kind == EventKind.TRANSITION:
            step = workflow.BY_ACTION.get(entry.action)
            if step is not None:
                line.title = str(step.label)
            if entry.from_status:
                statuses = dict(Status.choices)
                before, after = (statuses.get(s, s) for s in (entry.from_status, entry.to_status))
                line.details.append(f"{before} → {after}")
            _changes(line, names)
        elif kind == EventKind.SLA_BREACH:
            _sla_breach(line)
        elif kind == EventKind.ESCALATION:
            _escalation(line)
        elif kind != EventKind.REPLY:
            _changes(line, names)
        lines.append(line)
    return lines
