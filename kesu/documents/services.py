"""Printed documents: the 客户抱怨登记表 and the written answer (书面答复) as PDF, the dealer's
letter template, and the record of a written answer sent.

PDFs are drawn by WeasyPrint with the Noto CJK fonts installed on the machine (Debian
``fonts-noto-cjk``); nothing is fetched while rendering (only ``data:`` URLs are allowed), so a
document renders the same offline. Sending a written answer is a use case across apps (the
guard, the outbox, the clocks): ``kesu.flows.letters`` composes it with the functions here.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import events
from kesu.complaints.choices import EventKind
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import Forbidden, invalid, one_of, raise_if
from kesu.core.pdf import render_pdf
from kesu.core.validators import mask_mobile, too_long
from kesu.organizations.choices import OrgKind, Role
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import user_dealer_id

from .choices import OUTBOX_CHANNELS, PLACEHOLDERS, AnswerChannel
from .models import LetterTemplate, WrittenAnswer

MAX_TITLE = 80
MAX_BODY = 4000
MAX_ADDRESS = 300
UNFILLED = "××"  # the seeds' own mark for "fill in here"
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
TEMPLATE_MANAGERS = frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER})

# The letter a dealer starts from (data, like the seed lists: the letter goes to a Chinese
# customer whatever the UI language). Seed 002: the decision is told to the customer in writing
# within 7 days.
DEFAULT_TITLE = "书面答复"
DEFAULT_BODY = """尊敬的{customer_name}：

您好！感谢您于{received_date}向我们反映的问题（投诉编号：{number}）。对给您带来的不便，我们深表歉意。

经调查核实，原因如下：
{findings}

我们的处理方案：
{plan}

如您对以上答复有任何疑问，请随时与我们联系：{contact}。

再次感谢您的理解与支持。

{dealer}
{date}"""


# --- the letter template -------------------------------------------------------------------------


def _cn_date(moment: datetime) -> str:
    day = timezone.localtime(moment).date()
    return f"{day.year}年{day.month}月{day.day}日"


def template_for(dealer_id: int) -> LetterTemplate:
    """The dealer's letter template, or the default (unsaved) when it has none."""
    found = LetterTemplate.objects.filter(organization_id=dealer_id).first()
    return found or LetterTemplate(organization_id=dealer_id, title=DEFAULT_TITLE, body=DEFAULT_BODY)


def can_edit_template(actor: User, dealer_id: int) -> bool:
    """The dealer's service manager or general manager, or an administrator."""
    if not (actor.is_authenticated and actor.is_active):
        return False
    if actor.is_kesu_admin:
        return True
    return actor.role in TEMPLATE_MANAGERS and user_dealer_id(actor) == dealer_id


def template_dealer_id(actor: User, organization_id: int | None = None) -> int:
    """Whose template the actor means: their own dealer's, or (administrators) the one named."""
    own = user_dealer_id(actor)
    if organization_id is None or organization_id == own:
        if own is None:
            raise invalid("organization_id", _("Say which dealer's letter template."))
        return own
    if not actor.is_kesu_admin:
        raise Forbidden(_("You can only edit your own dealer's letter template."))
    if not Organization.objects.filter(pk=organization_id, kind=OrgKind.DEALER).exists():
        raise invalid("organization_id", _("No such dealer."))
    return organization_id


def editable_template_dealer(actor: User, organization_id: int | None = None) -> int:
    """The dealer whose template the actor may edit (403 if they may not)."""
    dealer_id = template_dealer_id(actor, organization_id)
    if not can_edit_template(actor, dealer_id):
        raise Forbidden(_("Only the dealer's service manager or general manager edits the letter."))
    return dealer_id


def check_template_text(*, title: str, body: str) -> tuple[str, str]:
    """Cleaned title and body, or 422 naming the field: required, length, known placeholders."""
    title, body = (title or "").strip(), (body or "").replace("\r\n", "\n").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Required.")
    elif len(title) > MAX_TITLE:
        errors["title"] = too_long(MAX_TITLE)
    if not body:
        errors["body"] = _("Required.")
    elif len(body) > MAX_BODY:
        errors["body"] = too_long(MAX_BODY)
    else:
        unknown = [name for name in _PLACEHOLDER.findall(body) if name not in PLACEHOLDERS]
        if unknown:
            errors["body"] = _("Unknown placeholders: %(names)s. Known: %(known)s.") % {
                "names": ", ".join(f"{{{n}}}" for n in dict.fromkeys(unknown)),
                "known": ", ".join(f"{{{n}}}" for n in PLACEHOLDERS),
            }
    raise_if(errors)
    return title, body


def save_template(*, actor: User, dealer_id: int, title: str, body: str) -> LetterTemplate:
    """Save the dealer's letter template (its text already passed the forbidden-phrase guard:
    kesu.flows.letters.save_letter_template)."""
    if not can_edit_template(actor, dealer_id):
        raise Forbidden(_("Only the dealer's service manager or general manager edits the letter."))
    title, body = check_template_text(title=title, body=body)
    template, _created = LetterTemplate.objects.update_or_create(
        organization_id=dealer_id, defaults={"title": title, "body": body, "updated_by": actor}
    )
    return template


# --- the letter for one complaint ----------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    title: str
    text: str
    missing: list[str]  # placeholders with nothing to fill them yet (shown as ××)


def placeholder_values(complaint: Complaint, actor: User) -> dict[str, str]:
    dealer = complaint.dealer
    sender = " ".join(
        part for part in (str(actor) if actor.is_authenticated else "", actor.agent_number) if part
    )
    contact = "，".join(part for part in (f"{dealer.name}客户服务部 {sender}".strip(), dealer.phone) if part)
    return {
        "customer_name": complaint.customer.name,
        "number": complaint.number,
        "received_date": _cn_date(complaint.received_at),
        "date": _cn_date(timezone.now()),
        "findings": complaint.root_cause.strip(),
        "plan": complaint.plan.strip(),
        "contact": contact,
        "dealer": dealer.name,
    }


def fill(text: str, values: dict[str, str]) -> Letter:
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            return match.group(0)
        value = values.get(name, "")
        if not value:
            missing.append(name)
            return UNFILLED
        return value

    return Letter(title="", text=_PLACEHOLDER.sub(replace, text), missing=list(dict.fromkeys(missing)))


def draft_letter(*, actor: User, complaint: Complaint, text: str | None = None) -> Letter:
    """The letter for this complaint: the dealer's template (or ``text``, edited by the agent)
    with its placeholders filled."""
    template = template_for(complaint.dealer_id)
    filled = fill(text if text and text.strip() else template.body, placeholder_values(complaint, actor))
    return Letter(title=template.title, text=filled.text.strip(), missing=filled.missing)


# --- sending: checked here, composed in kesu.flows.letters -------------------------------------


def can_send(actor: User) -> bool:
    """Whoever may reply to the customer from the complaint may send its written answer."""
    return has_capability(actor, Capability.EDIT_COMPLAINT)


@dataclass(frozen=True)
class PreparedAnswer:
    complaint: Complaint
    channel: str
    title: str
    text: str
    target: str  # where the outbox sends it (mobile, email), or the postal address
    recipient: str  # what the record shows (the mobile masked)


def prepare_answer(
    *,
    actor: User,
    complaint_id: int,
    channel: str,
    text: str | None = None,
    email: str = "",
    address: str = "",
) -> PreparedAnswer:
    """Check a written answer before it is sent: the complaint in scope and locked (404), the
    role (403), the channel and its address, and a letter with no blanks left (422 naming the
    field). The forbidden-phrase guard runs next, in the flow."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not can_send(actor):
        raise Forbidden(_("Your role cannot send the written answer."))
    if channel not in AnswerChannel.values:
        raise invalid("channel", one_of(AnswerChannel.values))
    if text is not None and len(text) > MAX_BODY:
        raise invalid("text", too_long(MAX_BODY))
    letter = draft_letter(actor=actor, complaint=complaint, text=text)
    if letter.missing:
        raise invalid(
            "text",
            _(
                "The letter still has blanks (××): %(names)s. "
                "Record the root cause and plan, or edit the text."
            )
            % {"names": ", ".join(f"{{{n}}}" for n in letter.missing)},
        )
    if UNFILLED in letter.text:
        raise invalid("text", _("The letter still has blanks (××): fill them in before sending."))
    customer = complaint.customer
    target, recipient = "", ""
    if channel == AnswerChannel.SMS:
        if not customer.mobile:
            raise invalid("channel", _("The customer has no mobile number."))
        if not customer.consent_sms:
            raise invalid("channel", _("The customer does not agree to SMS: hand it over or post it."))
        target, recipient = customer.mobile, mask_mobile(customer.mobile)
    elif channel == AnswerChannel.EMAIL:
        email = (email or "").strip()
        try:
            validate_email(email)
        except ValidationError:
            raise invalid("email", _("Enter the customer's email address.")) from None
        target = recipient = email
    elif channel == AnswerChannel.POST:
        address = (address or "").strip()
        if not address:
            raise invalid("address", _("Enter the postal address the letter goes to."))
        if len(address) > MAX_ADDRESS:
            raise invalid("address", too_long(MAX_ADDRESS))
        target = recipient = address
    return PreparedAnswer(complaint, channel, letter.title, letter.text, target, recipient)


def uses_outbox(channel: str) -> bool:
    return channel in OUTBOX_CHANNELS


def record_answer(
    *,
    actor: User,
    prepared: PreparedAnswer,
    at: datetime,
    delivery_id: int | None = None,
    override_id: int | None = None,
) -> WrittenAnswer:
    """The written answer as sent, and its timeline entry (inside the flow's transaction)."""
    answer = WrittenAnswer.objects.create(
        complaint=prepared.complaint,
        channel=prepared.channel,
        title=prepared.title,
        text=prepared.text,
        recipient=prepared.recipient,
        delivery_id=delivery_id,
        override_id=override_id,
        sent_by=actor,
        sent_at=at,
    )
    label = AnswerChannel(prepared.channel).label
    note = _("Written answer delivered to the customer via %(channel)s.") % {"channel": label}
    if prepared.recipient:
        note += f" ({prepared.recipient})"
    events.record(
        prepared.complaint,
        actor,
        EventKind.REPLY,
        note=f"{note}\n{prepared.text}"[:2000],
        changes={"written_answer": [None, str(label)]},
    )
    return answer


def answers_of(*, actor: User, complaint_id: int) -> list[WrittenAnswer]:
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)
    return list(WrittenAnswer.objects.filter(complaint=complaint).select_related("sent_by"))


# --- PDFs ----------------------------------------------------------------------------------------


def _timeline(complaint: Complaint) -> list[TimelineEntry]:
    return list(complaint.timeline.select_related("actor").order_by("at", "pk"))


def registration_context(complaint: Complaint) -> dict[str, Any]:
    vehicle = complaint.vehicle
    return {
        "c": complaint,
        "vehicle": vehicle,
        "mileage": f"{vehicle.mileage_km:,} km" if vehicle and vehicle.mileage_km is not None else "",
        "timeline": _timeline(complaint),
        "printed_at": timezone.localtime(timezone.now()),
    }


def registration_pdf(*, actor: User, complaint_id: int) -> bytes:
    """客户抱怨登记表 of a complaint in the actor's scope (404 otherwise): the record as received,
    classified and handled so far, with the signature boxes of seed 002."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)
    html = render_to_string("documents/registration_pdf.html", registration_context(complaint))
    return render_pdf(html)


def letter_pdf(*, actor: User, complaint_id: int, answer_id: int | None = None) -> bytes:
    """The written answer: one already sent (``answer_id``), or the draft from the template."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)
    if answer_id is not None:
        answer = WrittenAnswer.objects.filter(complaint=complaint, pk=answer_id).first()
        if answer is None:
            raise invalid("answer", _("No such written answer on this complaint."))
        title, text, sent_at = answer.title, answer.text, answer.sent_at
    else:
        letter = draft_letter(actor=actor, complaint=complaint)
        title, text, sent_at = letter.title, letter.text, None
    html = render_to_string(
        "documents/letter_pdf.html",
        {"c": complaint, "title": title, "paragraphs": text.split("\n"), "sent_at": sent_at},
    )
    return render_pdf(html)
