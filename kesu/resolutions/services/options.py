"""Countermeasure options (对策方案): remedies with amounts, a schedule, the pros and cons told to
the customer; their states from draft to the customer's answer.

A leaf like every service: the guard on the customer-facing texts, the approvals and the
workflow's transitions are composed in ``kesu.flows.resolutions``. Amounts are validated here,
at the edge of the domain: CNY, at most 2 decimal places, never negative, never absurd.
"""

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import events
from kesu.complaints.choices import OPEN_STATES
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import (
    Forbidden,
    IllegalTransition,
    InvalidInput,
    NotFound,
    not_one_of,
    one_of,
    raise_if,
    required_message,
)
from kesu.core.validators import too_long
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability

from ..choices import (
    ANSWERABLE_OPTION_STATES,
    CHOSEN_OPTION_STATES,
    AgreementMethod,
    CustomerAnswer,
    OptionState,
    Remedy,
)
from ..models import ContactSheet, Option, OptionAnswer, OptionLine

MAX_AMOUNT = Decimal("10000000")  # ¥10,000,000: beyond it an amount is a typo, not a remedy
MAX_LINES = 20
MAX_TITLE = 80
MAX_TEXT = 2000  # schedule, pros, cons, a reason or a call note
MAX_NOTE = 500  # a line's note
MAX_NAME = 60
MAX_SIGNATURE_BYTES = 300_000  # a PNG of a signature drawn on a tablet is ~10-60 kB
ASK_FOR_TIME_HORIZON = timedelta(days=92)
CLOCK_SKEW = timedelta(minutes=5)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# States in which an option can no longer change: a change is a new option (and approval).
LOCKED_STATES = frozenset(OptionState) - {OptionState.DRAFT}
# A revision supersedes the option it revises while the customer has not been told of it.
SUPERSEDABLE_STATES = frozenset({OptionState.DRAFT, OptionState.PENDING_APPROVAL, OptionState.APPROVED})


# --- money ---------------------------------------------------------------------------------------


def parse_amount(value: object, name: str) -> Decimal:
    """An amount in CNY: a number or a numeric text with at most 2 decimal places, between 0 and
    ¥10,000,000. Anything else is a 422 naming the field ``name``."""
    if isinstance(value, bool) or value is None or value == "":
        raise InvalidInput(
            _("Give an amount such as 1200.50."), fields={name: _("Give an amount such as 1200.50.")}
        )
    try:
        amount = Decimal(value.strip().replace(",", "") if isinstance(value, str) else str(value))
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite():
        message = _("Give an amount such as 1200.50.")
        raise InvalidInput(message, fields={name: message})
    if amount < 0:
        message = _("An amount cannot be negative.")
        raise InvalidInput(message, fields={name: message})
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        message = _("At most 2 decimal places (fen).")
        raise InvalidInput(message, fields={name: message})
    if amount > MAX_AMOUNT:
        message = _("At most ¥%(limit)s: check the amount.") % {"limit": f"{MAX_AMOUNT:,.0f}"}
        raise InvalidInput(message, fields={name: message})
    return amount.quantize(Decimal("0.01"))


def yuan(amount: Decimal) -> str:
    """¥1,234.50 — how an amount is shown and printed."""
    return f"¥{amount:,.2f}"


# --- inputs --------------------------------------------------------------------------------------


@dataclass
class LineInput:
    remedy: str
    amount: object  # validated by parse_amount
    note: str = ""


@dataclass
class OptionInput:
    """An option as typed: its lines, schedule and the pros and cons told to the customer."""

    lines: list[LineInput]
    schedule: str
    title: str = ""
    done_by: date | None = None
    pros: str = ""
    cons: str = ""
    contact_sheet_id: int | None = None


@dataclass
class CleanOption:
    title: str
    schedule: str
    done_by: date | None
    pros: str
    cons: str
    lines: list[tuple[str, Decimal, str]]
    contact_sheet_id: int | None = None

    @property
    def total(self) -> Decimal:
        return sum((amount for _remedy, amount, _note in self.lines), Decimal("0.00"))

    @property
    def remedies(self) -> list[str]:
        return sorted({remedy for remedy, _amount, _note in self.lines})


def _text(errors: dict[str, str], name: str, value: object, limit: int, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = _("Give a text.")
        return ""
    value = value.strip()
    if required and not value:
        errors[name] = _("This field is required.")
    elif len(value) > limit:
        errors[name] = too_long(limit)
    return value


def clean_option(data: OptionInput) -> CleanOption:
    """Every problem of an option at once, each naming its field (``lines.0.amount``)."""
    errors: dict[str, str] = {}
    title = _text(errors, "title", data.title, MAX_TITLE)
    schedule = _text(errors, "schedule", data.schedule, MAX_TEXT, required=True)
    pros = _text(errors, "pros", data.pros, MAX_TEXT)
    cons = _text(errors, "cons", data.cons, MAX_TEXT)
    if data.done_by is not None and data.done_by < timezone.localdate() - timedelta(days=1):
        errors["done_by"] = _("The date it will be done cannot be in the past.")
    lines: list[tuple[str, Decimal, str]] = []
    if not data.lines:
        errors["lines"] = _("Add at least one remedy.")
    elif len(data.lines) > MAX_LINES:
        errors["lines"] = _("At most %(n)d remedies.") % {"n": MAX_LINES}
    for index, line in enumerate(data.lines[:MAX_LINES]):
        prefix = f"lines.{index}"
        remedy = line.remedy
        if remedy not in Remedy.values:
            errors[f"{prefix}.remedy"] = not_one_of(remedy, Remedy.values)
        try:
            amount = parse_amount(line.amount, f"{prefix}.amount")
        except InvalidInput as exc:
            errors.update(exc.fields)
            amount = Decimal("0.00")
        note = _text(errors, f"{prefix}.note", line.note, MAX_NOTE)
        lines.append((remedy, amount, note))
    raise_if(errors)
    clean = CleanOption(title, schedule, data.done_by, pros, cons, lines, data.contact_sheet_id)
    if clean.total > MAX_AMOUNT:
        message = _("The total is at most ¥%(limit)s: check the amounts.") % {"limit": f"{MAX_AMOUNT:,.0f}"}
        raise InvalidInput(message, fields={"lines": message})
    return clean


def customer_texts(clean: CleanOption) -> list[tuple[str, str]]:
    """The texts of an option said to the customer, by field: the guard checks each."""
    texts = [("title", clean.title), ("schedule", clean.schedule), ("pros", clean.pros), ("cons", clean.cons)]
    texts += [(f"lines.{i}.note", note) for i, (_remedy, _amount, note) in enumerate(clean.lines)]
    return [(name, text) for name, text in texts if text]


# --- reading -------------------------------------------------------------------------------------


def check_may_edit(actor: User) -> None:
    if not has_capability(actor, Capability.EDIT_COMPLAINT):
        raise Forbidden(_("Your role cannot draft countermeasure options."))


def get_option(*, actor: User, complaint_id: int, option_id: int, for_update: bool = False) -> Option:
    """An option of a complaint in the actor's scope, or NotFound (the same answer whether the
    complaint, or the option on it, exists or not)."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=for_update)
    queryset = Option.objects.filter(complaint=complaint, pk=option_id)
    if for_update:
        queryset = queryset.select_for_update()
    option = queryset.first()
    if option is None:
        raise NotFound(_("No such option on this complaint."))
    option.complaint = complaint
    return option


def options_of(*, actor: User, complaint_id: int) -> list[Option]:
    """The complaint's options (404 out of scope), with their lines and answers."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)
    options = list(Option.objects.filter(complaint=complaint).prefetch_related("lines", "answers"))
    for option in options:
        option.complaint = complaint
    return options


def chosen_option(complaint_id: int) -> Option | None:
    """The option put to the customer last (proposed, being thought over, or agreed)."""
    return (
        Option.objects.filter(complaint_id=complaint_id, state__in=CHOSEN_OPTION_STATES)
        .order_by("-proposed_at", "-pk")
        .first()
    )


# --- writing -------------------------------------------------------------------------------------


def _write_lines(option: Option, clean: CleanOption) -> None:
    OptionLine.objects.filter(option=option).delete()
    OptionLine.objects.bulk_create(
        OptionLine(option=option, position=i, remedy=remedy, amount=amount, note=note)
        for i, (remedy, amount, note) in enumerate(clean.lines)
    )


def _check_open(complaint: Complaint) -> None:
    if complaint.status not in OPEN_STATES:
        raise IllegalTransition(
            _("The complaint is “%(status)s”: reopen it before drafting options.")
            % {"status": complaint.get_status_display()}
        )


def _check_contact_sheet(complaint: Complaint, contact_sheet_id: int | None) -> None:
    """An option may come from a department's contact sheet (联络单) of the same complaint."""
    if contact_sheet_id is None:
        return
    if not ContactSheet.objects.filter(pk=contact_sheet_id, complaint=complaint).exists():
        message = _("Choose a contact sheet of this complaint.")
        raise InvalidInput(message, fields={"contact_sheet_id": message})


def create_option(
    *, actor: User, complaint_id: int, clean: CleanOption, revises: Option | None = None
) -> Option:
    """A new draft option on an open complaint in the actor's scope (404) for a role that edits
    complaints (403); the timeline says so."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    check_may_edit(actor)
    _check_open(complaint)
    _check_contact_sheet(complaint, clean.contact_sheet_id)
    seq = (Option.objects.filter(complaint=complaint).aggregate(m=Max("seq"))["m"] or 0) + 1
    option = Option.objects.create(
        complaint=complaint,
        seq=seq,
        title=clean.title,
        schedule=clean.schedule,
        done_by=clean.done_by,
        pros=clean.pros,
        cons=clean.cons,
        total=clean.total,
        created_by=actor,
        revises=revises,
        contact_sheet_id=clean.contact_sheet_id,
    )
    _write_lines(option, clean)
    changes: dict[str, Any] = {"total": [None, str(clean.total)]}
    if revises is not None:
        changes["revises"] = [None, revises.seq]
    events.record_option(
        complaint,
        actor,
        action="revised" if revises is not None else "drafted",
        seq=seq,
        note=summary(option, clean.lines),
        changes=changes,
    )
    return option


def _locked(option: Option) -> IllegalTransition:
    return IllegalTransition(
        _("%(option)s is “%(state)s”: it can no longer change. Revise it as a new option.")
        % {"option": label(option), "state": option.get_state_display()},
        code="option_locked",
    )


def update_option(*, actor: User, complaint_id: int, option_id: int, clean: CleanOption) -> Option:
    """Change a draft (409 ``option_locked`` once it waits for approval or was proposed)."""
    option = get_option(actor=actor, complaint_id=complaint_id, option_id=option_id, for_update=True)
    check_may_edit(actor)
    if option.state != OptionState.DRAFT:
        raise _locked(option)
    _check_contact_sheet(option.complaint, clean.contact_sheet_id)
    for name in ("title", "schedule", "done_by", "pros", "cons"):
        setattr(option, name, getattr(clean, name))
    option.total = clean.total
    option.contact_sheet_id = clean.contact_sheet_id
    option.save()
    _write_lines(option, clean)
    events.record_option(
        option.complaint,
        actor,
        action="edited",
        seq=option.seq,
        note=summary(option, clean.lines),
        changes={"total": [None, str(clean.total)]},
    )
    return option


def revise_option(
    *, actor: User, complaint_id: int, option_id: int, clean: CleanOption
) -> tuple[Option, Option]:
    """A new draft replacing an option (the old one is superseded while the customer has not
    been told of it; an option the customer has is kept as it is). Returns (old, new)."""
    old = get_option(actor=actor, complaint_id=complaint_id, option_id=option_id, for_update=True)
    check_may_edit(actor)
    if old.state == OptionState.SUPERSEDED:
        raise IllegalTransition(
            _("%(option)s was superseded already.") % {"option": label(old)}, code="option_superseded"
        )
    new = create_option(actor=actor, complaint_id=complaint_id, clean=clean, revises=old)
    if old.state in SUPERSEDABLE_STATES:
        old.state = OptionState.SUPERSEDED
        old.save(update_fields=["state", "updated_at"])
    return old, new


def check_proposable(option: Option) -> None:
    """What may be proposed (409): a draft, or an option approved and not yet proposed. (Who may:
    the workflow's ``propose_plan`` roles, checked by the flow.)"""
    if option.state == OptionState.PENDING_APPROVAL:
        raise IllegalTransition(
            _("%(option)s is waiting for approval.") % {"option": label(option)}, code="pending_approval"
        )
    if option.state not in (OptionState.DRAFT, OptionState.APPROVED):
        raise IllegalTransition(
            _("%(option)s is “%(state)s”: only a draft or an approved option can be proposed.")
            % {"option": label(option), "state": option.get_state_display()},
            code="option_locked",
        )


def mark_pending_approval(
    *, actor: User, option: Option, request_id: int, at: datetime, root_cause: str
) -> Option:
    """Beyond the proposer's authority: the option waits for the approval request; locked. The
    root cause given is kept for the proposal the approval makes."""
    option.state = OptionState.PENDING_APPROVAL
    option.proposed_by = actor
    option.proposed_at = at
    option.approval_request_id = request_id
    option.root_cause = root_cause
    option.save(
        update_fields=[
            "state",
            "proposed_by",
            "proposed_at",
            "approval_request_id",
            "root_cause",
            "updated_at",
        ]
    )
    events.record_option(
        option.complaint,
        actor,
        action="sent_for_approval",
        seq=option.seq,
        note=summary(option),
        changes={"approval_request": [None, request_id], "total": [None, str(option.total)]},
    )
    return option


def mark_approved(*, option: Option, request_id: int, at: datetime) -> Option:
    """The approval chain approved it: locked, ready to be proposed."""
    if option.state != OptionState.PENDING_APPROVAL or option.approval_request_id != request_id:
        raise IllegalTransition(
            _("%(option)s is not waiting for this approval.") % {"option": label(option)},
            code="not_pending_approval",
        )
    option.state = OptionState.APPROVED
    option.approved_at = at
    option.save(update_fields=["state", "approved_at", "updated_at"])
    return option


def mark_sent_back(*, actor: User | None, option: Option, request_id: int, reason: str) -> Option:
    """The approver rejected it or sent it back: a draft again (to change, or to replace)."""
    if option.state != OptionState.PENDING_APPROVAL or option.approval_request_id != request_id:
        return option
    option.state = OptionState.DRAFT
    option.save(update_fields=["state", "updated_at"])
    events.record_option(
        option.complaint,
        actor,
        action="sent_back",
        seq=option.seq,
        note=reason,
        changes={"approval_request": [None, request_id]},
    )
    return option


def mark_proposed(*, actor: User, option: Option, at: datetime) -> Option:
    """The option is put to the customer: locked; other drafts and approved options stay."""
    option.state = OptionState.PROPOSED
    if option.proposed_by_id is None:
        option.proposed_by = actor
    option.proposed_at = at
    option.save(update_fields=["state", "proposed_by", "proposed_at", "updated_at"])
    return option


# --- what is said about an option ----------------------------------------------------------------


_CN_DIGITS = "零一二三四五六七八九十"


def label(option: Option) -> str:
    """方案一 …; its title when it has one."""
    number = _CN_DIGITS[option.seq] if option.seq <= 10 else str(option.seq)
    name = f"方案{number}"
    return f"{name}（{option.title}）" if option.title else name


def remedy_label(remedy: str) -> str:
    return str(Remedy(remedy).label) if remedy in Remedy.values else remedy


def summary(option: Option, lines: Iterable[tuple[str, Decimal, str]] | None = None) -> str:
    """The option in one paragraph (the complaint's ``plan`` keeps it, so older pages still read):
    remedies with amounts, the total, the schedule."""
    if lines is None:
        lines = [(line.remedy, line.amount, line.note) for line in option.lines.all()]
    parts = []
    for remedy, amount, note in lines:
        text = f"{remedy_label(remedy)} {yuan(amount)}"
        parts.append(f"{text}（{note}）" if note else text)
    text = f"{label(option)}：{'；'.join(parts)}。{_('Total')} {yuan(option.total)}。"
    if option.schedule:
        text += f"{_('Schedule')}：{option.schedule}"
    if option.done_by:
        text += f"（{option.done_by:%Y-%m-%d}）"
    return text


# --- the customer's answer -----------------------------------------------------------------------


@dataclass
class AnswerInput:
    answer: str
    customer_name: str = ""
    answered_at: datetime | None = None
    method: str = ""
    signature: str = ""  # data:image/png;base64,… from the signature pad
    call_note: str = ""
    sms_text: str = ""
    reason: str = ""
    until: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class CleanAnswer:
    answer: str
    customer_name: str
    answered_at: datetime
    method: str
    signature_png: bytes | None
    call_note: str
    sms_text: str
    reason: str
    until: date | None


def decode_signature(value: str) -> bytes:
    """The PNG drawn on the signature pad, sent as a data URL (or bare base64)."""
    raw = value.strip()
    if raw.startswith("data:"):
        header, _sep, raw = raw.partition(",")
        if header.lower() != "data:image/png;base64":
            raise ValueError(_("The signature must be a PNG image."))
    if len(raw) > MAX_SIGNATURE_BYTES * 4 // 3 + 4:
        raise ValueError(_("The signature image is too large."))
    try:
        png = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(_("The signature must be a PNG image.")) from exc
    if not png.startswith(PNG_MAGIC) or len(png) < 67:
        raise ValueError(_("The signature must be a PNG image."))
    return png


def clean_answer(data: AnswerInput, *, complaint: Complaint) -> CleanAnswer:
    """Every problem of an answer at once, each naming its field."""
    errors: dict[str, str] = {}
    if data.answer not in CustomerAnswer.values:
        errors["answer"] = not_one_of(data.answer, CustomerAnswer.values)
    name = _text(errors, "customer_name", data.customer_name, MAX_NAME) or complaint.customer.name
    now = timezone.now()
    answered_at = data.answered_at or now
    if timezone.is_naive(answered_at):
        errors["answered_at"] = _("Give the time with its time zone.")
    elif answered_at > now + CLOCK_SKEW:
        errors["answered_at"] = _("The answer cannot be in the future.")
    elif answered_at < complaint.received_at - CLOCK_SKEW:
        errors["answered_at"] = _("The answer cannot come before the complaint was received.")
    method = data.method or ""
    signature_png: bytes | None = None
    call_note = _text(errors, "call_note", data.call_note, MAX_TEXT)
    sms_text = _text(errors, "sms_text", data.sms_text, MAX_TEXT)
    reason = _text(errors, "reason", data.reason, MAX_TEXT)
    until = data.until
    if data.answer == CustomerAnswer.AGREED:
        if method not in AgreementMethod.values:
            errors["method"] = one_of(AgreementMethod.values)
        elif method == AgreementMethod.SIGNATURE:
            if not data.signature:
                errors["signature"] = _("The customer signs on the pad before it is saved.")
            else:
                try:
                    signature_png = decode_signature(data.signature)
                except ValueError as exc:
                    errors["signature"] = str(exc)
        elif method == AgreementMethod.PHONE and not call_note:
            errors["call_note"] = _("Note the call: when, who spoke, what the customer said.")
        elif method == AgreementMethod.SMS and not sms_text:
            errors["sms_text"] = _("Copy the customer's confirming SMS.")
    else:
        method = ""
    if data.answer == CustomerAnswer.REJECTED and not reason:
        errors["reason"] = required_message(_("Reason"))
    if data.answer == CustomerAnswer.ASKED_FOR_TIME and until is not None:
        today = timezone.localdate()
        if until < today:
            errors["until"] = _("The date must not be in the past.")
        elif until > today + ASK_FOR_TIME_HORIZON:
            errors["until"] = _("At most three months ahead.")
    elif data.answer != CustomerAnswer.ASKED_FOR_TIME:
        until = None
    raise_if(errors)
    return CleanAnswer(
        data.answer, name, answered_at, method, signature_png, call_note, sms_text, reason, until
    )


def check_answerable(option: Option, answer: str) -> None:
    """The same answer twice, or any after a final one: 409 naming ``answer``; an option that
    was not chosen and proposed: 422 naming ``option_id``."""
    if OptionAnswer.objects.filter(option=option, answer=answer).exists() or option.state in (
        OptionState.AGREED,
        OptionState.REJECTED,
    ):
        message = _("The customer's answer to %(option)s is recorded already (%(state)s).") % {
            "option": label(option),
            "state": option.get_state_display(),
        }
        raise IllegalTransition(message, fields={"answer": message}, code="already_answered")
    if option.state not in ANSWERABLE_OPTION_STATES:
        message = _("%(option)s was not proposed to the customer: choose and propose an option first.") % {
            "option": label(option)
        }
        raise InvalidInput(message, fields={"option_id": message}, code="no_chosen_option")


def record_answer(*, actor: User, option: Option, clean: CleanAnswer) -> OptionAnswer:
    """Store the answer and move the option; the transition (agreed, rejected) is the flow's."""
    answer = OptionAnswer.objects.create(
        option=option,
        complaint_id=option.complaint_id,
        answer=clean.answer,
        method=clean.method,
        customer_name=clean.customer_name,
        answered_at=clean.answered_at,
        reason=clean.reason,
        call_note=clean.call_note,
        sms_text=clean.sms_text,
        until=clean.until,
        signature_png=clean.signature_png,
        recorded_by=actor,
    )
    option.state = {
        CustomerAnswer.AGREED: OptionState.AGREED,
        CustomerAnswer.REJECTED: OptionState.REJECTED,
        CustomerAnswer.ASKED_FOR_TIME: OptionState.ASKED_FOR_TIME,
    }[CustomerAnswer(clean.answer)]
    option.save(update_fields=["state", "updated_at"])
    return answer


def answer_note(option: Option, answer: OptionAnswer) -> str:
    """What the timeline says of an answer: the option, who, when, how, and the words noted."""
    when = timezone.localtime(answer.answered_at).strftime("%Y-%m-%d %H:%M")
    head = f"{label(option)} · {answer.get_answer_display()} · {answer.customer_name} · {when}"
    if answer.method:
        head += f" · {answer.get_method_display()}"
    details = [answer.reason, answer.call_note, answer.sms_text]
    if answer.until:
        details.append(_("Answer expected by %(date)s") % {"date": f"{answer.until:%Y-%m-%d}"})
    return "\n".join([head, *[text for text in details if text]])


def record_asked_for_time(*, actor: User, option: Option, answer: OptionAnswer) -> None:
    """Asking for time moves no status: the timeline says it."""
    changes: dict[str, Any] = {"customer_name": [None, answer.customer_name]}
    if answer.until:
        changes["until"] = [None, answer.until.isoformat()]
    events.record_option(
        option.complaint,
        actor,
        action="asked_for_time",
        seq=option.seq,
        note=answer_note(option, answer),
        changes=changes,
    )
