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
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.approvals.choices import RequestStatus
from kesu.calls.choices import CallDirection, CallPurpose
from kesu.followups.choices import FollowUpKind
from kesu.followups.choices import Result as FollowUpResult
from kesu.organizations.choices import Role
from kesu.organizations.models import Organization, User
from kesu.resolutions.choices import CauseDimension, FindingsBasis, Remedy, ResponsibleKind
from kesu.sla.choices import ClockKind

from . import workflow
from .choices import Demand, EventKind, Satisfaction, Status
from .models import Complaint, TimelineEntry

EMPTY = "—"
# Keys of ``changes`` that are not fields of the complaint
_OTHER_LABELS = {
    "attachment": gettext_lazy("Attachment"),
    "size": gettext_lazy("Size"),
    "early_reason": gettext_lazy("Why earlier than the policy"),
    "customer_id": gettext_lazy("Customer"),
    "vehicle_id": gettext_lazy("Vehicle"),
    # kesu.carmaker: instructions, help requests, PR
    "instruction_due": gettext_lazy("Due by"),
    "to_dealer": gettext_lazy("Asked dealer"),
    "part_number": gettext_lazy("Part number"),
    "quantity": gettext_lazy("Quantity"),
    "needed_by": gettext_lazy("Needed by"),
    "outlet": gettext_lazy("Outlet"),
    "link": gettext_lazy("Link"),
    "reach": gettext_lazy("Estimated audience"),
    "tone": gettext_lazy("Tone"),
}
# kesu.carmaker's steps (kind, action) → the entry's title
_CARMAKER_TITLES = {
    ("instruction", "created"): gettext_lazy("The carmaker instructed the dealer"),
    ("instruction", "acknowledged"): gettext_lazy("The dealer acknowledged the carmaker's instruction"),
    ("instruction", "done"): gettext_lazy("The dealer answered the carmaker's instruction"),
    ("help_request", "created"): gettext_lazy("Help asked of another dealer"),
    ("help_request", "accepted"): gettext_lazy("The other dealer agreed to help"),
    ("help_request", "declined"): gettext_lazy("The other dealer cannot help"),
    ("help_request", "done"): gettext_lazy("Help from the other dealer received"),
    ("pr", "takeover"): gettext_lazy("PR took over the crisis"),
    ("pr", "media"): gettext_lazy("Media report logged"),
    ("pr", "statement_drafted"): gettext_lazy("Statement drafted"),
    ("pr", "statement_approved"): gettext_lazy("Statement approved"),
    ("pr", "statement_rejected"): gettext_lazy("Statement rejected"),
    ("pr", "incident_report"): gettext_lazy("Incident report (重大事故报告) written"),
}
_TONES = {
    "positive": gettext_lazy("Positive"),
    "neutral": gettext_lazy("Neutral"),
    "negative": gettext_lazy("Negative"),
}
# kesu.resolutions' steps (kind, action) → the entry's title (联络单, the GM's findings, 奖罚)
_RESOLUTION_TITLES = {
    ("contact_sheet", "sent"): gettext_lazy("Contact sheet sent to %(department)s"),
    ("contact_sheet", "answered"): gettext_lazy("%(department)s answered the contact sheet"),
    ("contact_sheet", "rework"): gettext_lazy("Contact sheet sent back to %(department)s for rework"),
    ("findings", "decided"): gettext_lazy(
        "The general manager decided: the finding of %(department)s stands"
    ),
    ("accountability", "responsibility"): gettext_lazy("Responsibility decided"),
    ("accountability", "notice_proposed"): gettext_lazy("Penalty notice proposed"),
    ("accountability", "notice_approved"): gettext_lazy("Penalty notice approved"),
    ("accountability", "notice_rejected"): gettext_lazy("Penalty notice rejected"),
    ("accountability", "notice_acknowledged"): gettext_lazy("Penalty notice acknowledged"),
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


def _yuan(value: Any) -> str:
    """An amount kept as text ("868000.00") as every page shows money: "¥868,000.00"."""
    if value in (None, ""):
        return ""
    try:
        return f"¥{Decimal(str(value)):,.2f}"
    except InvalidOperation:
        return f"¥{value}"


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


def _follow_up_call(line: Line) -> None:
    """kesu.followups: "回访电话(第2次):未接通", or reached with the satisfaction and whether the
    problem is solved; an SMS or letter sent instead. The note is the customer's comment."""
    kind, result = _after(line.entry, "followup_kind"), _after(line.entry, "result")
    attempt = _after(line.entry, "attempt")
    line.title = _("%(call)s (call %(n)s): %(result)s") % {
        "call": FollowUpKind(kind).label if kind in FollowUpKind.values else _("Follow-up call"),
        "n": attempt if isinstance(attempt, int) else "?",
        "result": FollowUpResult(result).label if result in FollowUpResult.values else result,
    }
    satisfaction = _after(line.entry, "satisfaction")
    if satisfaction in Satisfaction.values:
        line.details.append(_("Satisfaction: %(value)s") % {"value": Satisfaction(satisfaction).label})
    solved = _after(line.entry, "problem_solved")
    if isinstance(solved, bool):
        line.details.append(_("Problem solved") if solved else _("Problem not solved"))


def _call(line: Line) -> None:
    """kesu.calls: "来电 · 抱怨" (or "由来电记录转为客诉"), the duration and the reply given; the
    note is the caller's own words."""
    direction, purpose = _after(line.entry, "direction"), _after(line.entry, "purpose")
    heard = " · ".join(
        str(choices(value).label)
        for choices, value in ((CallDirection, direction), (CallPurpose, purpose))
        if value in choices.values
    )
    if line.entry.action == "converted":
        line.title = _("Registered from a logged call")
        if heard:
            line.details.append(heard)
    elif heard:
        line.title = _("Phone call: %(what)s") % {"what": heard}
    seconds = _after(line.entry, "duration_seconds")
    if isinstance(seconds, int) and seconds > 0:
        line.details.append(_("Duration %(m)d:%(s)02d") % {"m": seconds // 60, "s": seconds % 60})
    reply = _after(line.entry, "reply")
    if reply:
        line.details.append(_("Reply: %(text)s") % {"text": reply})
    if line.note:
        line.note = _("Customer said: %(text)s") % {"text": line.note}


def _resolution(line: Line, names: _Names) -> None:
    """kesu.resolutions: the department named in the title; the cause's dimension, in-house or
    not, the due time, the supplier, who is responsible, why the GM decided."""
    entry = line.entry
    department = _after(entry, "department_id")
    title = str(_RESOLUTION_TITLES[(entry.kind, entry.action)])
    line.title = title % {"department": names.value("department_id", department)} if "%(" in title else title
    due, dimension = _after(entry, "due"), _after(entry, "dimension")
    if due:
        line.details.append(_("Answer due %(due)s") % {"due": _local(due)})
    if dimension in CauseDimension.values:
        line.details.append(_("Cause: %(dimension)s") % {"dimension": CauseDimension(dimension).label})
    in_house = _after(entry, "in_house")
    if isinstance(in_house, bool):
        line.details.append(_("Solvable in-house") if in_house else _("Not solvable in-house"))
    responsible = _after(entry, "responsible")
    if responsible in ResponsibleKind.values:
        line.details.append(_("Responsible: %(kind)s") % {"kind": ResponsibleKind(responsible).label})
        if department:
            line.details.append(names.value("department_id", department))
    basis = _after(entry, "basis")
    if basis in FindingsBasis.values:
        line.details.append(str(FindingsBasis(basis).label))
    supplier = _after(entry, "supplier")
    if supplier:
        line.details.append(_("Supplier: %(name)s") % {"name": supplier})


_APPROVAL_TITLES = {
    "requested": gettext_lazy("Approval requested: %(total)s"),
    "approve": gettext_lazy("Approved (%(role)s): %(total)s"),
    "within_authority": gettext_lazy("Within the proposer's own authority (%(role)s): %(total)s"),
    "reject": gettext_lazy("Rejected (%(role)s): %(total)s"),
    "send_back": gettext_lazy("Sent back for rework (%(role)s): %(total)s"),
    "superseded": gettext_lazy("Approval request withdrawn: %(total)s"),
    "overdue": gettext_lazy("Approval overdue at the %(role)s: the rung above was told"),
    "paid": gettext_lazy("Paid by finance: %(amount)s"),
    "gift_handed": gettext_lazy("Gift handed over: %(amount)s"),
}


def _approval(line: Line) -> None:
    """kesu.approvals: the request (total, remedies, the chain), each step's decision, a late
    step, the payment made (voucher) — the note is the requester's summary or the comment."""
    entry = line.entry
    title = _APPROVAL_TITLES.get(entry.action)
    if title is None:
        return
    total, amount = _after(entry, "total"), _after(entry, "amount")
    line.title = str(title) % {
        "total": _yuan(total),
        "amount": _yuan(amount),
        "role": _role(_after(entry, "role")),
    }
    remedies = _after(entry, "remedies") or []
    if remedies:
        labels = dict(Remedy.choices)
        line.details.append(
            _("Remedies: %(names)s") % {"names": "、".join(str(labels.get(c, c)) for c in remedies)}
        )
    chain = _after(entry, "chain") or []
    if chain:
        roles = " → ".join(_role(r) for r in chain)
        line.details.append(_("Approved by, in turn: %(roles)s") % {"roles": roles})
    if entry.action == "within_authority":
        line.details.append(
            _("No approval needed: finance (财务部) pays the money, administration (行政) hands over a gift.")
        )
    status = _after(entry, "status")
    if entry.action == "approve" and status == RequestStatus.PENDING:
        line.details.append(_("Goes on to the next approver."))
    notified = _after(entry, "notified")
    if entry.action == "overdue":
        line.details.append(
            _("Notified: %(names)s") % {"names": "、".join(notified)}
            if notified
            else _("Nobody holds this role: nobody was notified.")
        )
    voucher = _after(entry, "voucher")
    if voucher:
        line.details.append(_("Voucher: %(number)s") % {"number": voucher})


_OPTION_TITLES = {
    "drafted": gettext_lazy("Option %(n)s drafted: total %(total)s"),
    "edited": gettext_lazy("Option %(n)s changed: total %(total)s"),
    "revised": gettext_lazy("Option %(n)s drafted, replacing option %(old)s: total %(total)s"),
    "sent_for_approval": gettext_lazy(
        "Option %(n)s is beyond the proposer's authority: sent for approval (%(total)s)"
    ),
    "sent_back": gettext_lazy("Option %(n)s sent back by the approver: a draft again"),
    "asked_for_time": gettext_lazy("Option %(n)s: the customer asked for time"),
}


def _option(line: Line) -> None:
    """kesu.resolutions: a countermeasure option's step, named by its number and total; the note
    is the option in words (or the customer's words, the approver's reason)."""
    entry = line.entry
    title = _OPTION_TITLES.get(entry.action)
    if title is None:
        return
    total = _after(entry, "total")
    line.title = str(title) % {
        "n": _after(entry, "option"),
        "old": _after(entry, "revises"),
        "total": _yuan(total),
    }
    until = _after(entry, "until")
    if until:
        line.details.append(_("Answer expected by %(date)s") % {"date": until})


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
        elif (entry.kind, entry.action) in _CARMAKER_TITLES:
            line.title = str(_CARMAKER_TITLES[(entry.kind, entry.action)])
            tone = _after(entry, "tone")
            if tone in _TONES:
                entry.changes = {**entry.changes, "tone": [None, str(_TONES[tone])]}
            _changes(line, names)
        elif (entry.kind, entry.action) in _RESOLUTION_TITLES:
            _resolution(line, names)
        elif kind == EventKind.CALL and entry.action == "follow_up":
            _follow_up_call(line)
        elif kind == EventKind.CALL:
            _call(line)
        elif kind == EventKind.APPROVAL:
            _approval(line)
        elif kind == EventKind.OPTION:
            _option(line)
        elif kind != EventKind.REPLY:
            _changes(line, names)
        lines.append(line)
    return lines
