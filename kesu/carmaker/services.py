"""The carmaker's part, as business rules (seed 003, DOMAIN.md "Escalation").

* Instructions: the carmaker's people (region manager, CRC, PR, quality) tell the dealer what to do
  on an escalated complaint, by when; the dealer acknowledges and answers. Each is a timeline entry
  and a work item on the dealer's desk (or the complaint's assignee).
* Help between dealers: a dealer asks another of the same carmaker for a part in stock or a
  technician. The other dealer sees the request only — the vehicle model, the part, the urgency —
  never the customer's file; the asking complaint's timeline records every step.
* PR on a crisis (危机): take-over, the media log, statements (drafted, guarded by the flow,
  approved by another PR user), and the same-day incident report (重大事故报告) as PDF.

Every function takes the acting user; scope first (404 revealing nothing), then the role (403),
then the complaint's state (409 naming the rule), then the input (422 naming the field); one
transaction, so nothing is half-saved.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import events
from kesu.complaints.choices import EventKind, Severity
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import DomainError, Forbidden, InvalidInput, NotFound, invalid, one_of, raise_if
from kesu.core.pdf import render_pdf
from kesu.core.validators import too_long
from kesu.notifications.choices import Kind
from kesu.notifications.outbox import notify
from kesu.organizations.choices import OrgKind, Role
from kesu.organizations.models import Organization, User
from kesu.organizations.scope import scope_for, user_dealer_id
from kesu.organizations.selectors import RoleHolders
from kesu.organizations.tree import manufacturer_of
from kesu.worklist import items as work
from kesu.worklist.choices import WorkKind

from .choices import (
    ANSWERING_ROLES,
    HELP_ANSWERING_ROLES,
    HELP_ASKING_ROLES,
    INSTRUCTING_ROLES,
    PR_ROLES,
    REPORT_ROLES,
    HelpDecision,
    HelpKind,
    HelpStatus,
    InstructionState,
    StatementDecision,
    StatementState,
    Tone,
    Urgency,
)
from .models import HelpRequest, IncidentReport, Instruction, MediaMention, PrTakeover, Statement

MAX_TEXT = 2000
MAX_STATEMENT = 4000
MAX_OUTLET = 80
MAX_URL = 500
MAX_PART = 40
MAX_QUANTITY = 999
MAX_REACH = 10_000_000_000  # more than everyone online in China: a typo
MAX_LOCATION = 200
# A report dated a few minutes ahead is a clock's drift, not a report from the future.
CLOCK_SLACK = timedelta(minutes=5)
INSTRUCTION_REF = "carmaker.instruction"
HELP_REF = "carmaker.helprequest"


class RuleConflict(DomainError):
    """The complaint's state does not allow the step (409), ``code`` naming the rule."""

    status = 409
    code = "conflict"


# --- helpers -------------------------------------------------------------------------------------


def _is(actor: User, roles: frozenset[Role] | frozenset[str]) -> bool:
    return actor.is_authenticated and actor.is_active and (actor.is_kesu_admin or actor.role in roles)


def _clean(value: str | None, field: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise invalid(field, _("Required."))
    if len(text) > limit:
        raise invalid(field, too_long(limit))
    return text


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _future(moment: datetime | None, field: str) -> datetime:
    if moment is None:
        raise invalid(field, _("Required."))
    moment = _aware(moment)
    if moment <= timezone.now():
        raise invalid(field, _("This time has already passed: give a time in the future."))
    if moment > timezone.now() + timedelta(days=366):
        raise invalid(field, _("More than a year ahead: check the date."))
    return moment


def _past(moment: datetime | None, field: str) -> datetime:
    if moment is None:
        raise invalid(field, _("Required."))
    moment = _aware(moment)
    if moment > timezone.now() + CLOCK_SLACK:
        raise invalid(field, _("This time is in the future."))
    return moment


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _dealer_people(dealer_id: int, *roles: Role) -> list[User]:
    holders = RoleHolders()
    found = {u.pk: u for role in roles for u in holders.holding(dealer_id, role)}
    return list(found.values())


def _complaint_open(complaint: Complaint) -> None:
    if not complaint.is_open:
        raise RuleConflict(
            _("The complaint is %(status)s: nothing more can be asked on it.")
            % {"status": complaint.get_status_display()},
            code="complaint_closed",
        )


# --- instructions --------------------------------------------------------------------------------


def can_instruct(actor: User) -> bool:
    return _is(actor, INSTRUCTING_ROLES)


def give_instruction(*, actor: User, complaint_id: int, text: str, due_at: datetime | None) -> Instruction:
    """The carmaker instructs the dealer on an escalated complaint: 404 out of scope, 403 for
    dealer roles, 409 ``not_escalated`` / ``complaint_closed``, 422 naming ``text`` or ``due_at``
    (required, in the future). A timeline entry, a work item for the dealer (the complaint's
    assignee, or the desk) and a notification, in one transaction."""
    with transaction.atomic():
        complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
        if not can_instruct(actor):
            raise Forbidden(_("Only the carmaker's people (region, CRC, PR, quality) instruct a dealer."))
        if complaint.escalated_at is None:
            raise RuleConflict(
                _("Only an escalated complaint can be instructed: the dealer still handles this one."),
                code="not_escalated",
            )
        _complaint_open(complaint)
        errors: dict[str, str] = {}
        try:
            text = _clean(text, "text", MAX_TEXT)
        except InvalidInput as exc:
            errors.update(exc.fields)
        try:
            due = _future(due_at, "due_at")
        except InvalidInput as exc:
            errors.update(exc.fields)
        raise_if(errors)
        instruction = Instruction.objects.create(
            complaint=complaint, dealer_id=complaint.dealer_id, author=actor, text=text, due_at=due
        )
        events.record_carmaker(
            complaint,
            actor,
            EventKind.INSTRUCTION,
            action="created",
            note=text,
            changes={"instruction_due": [None, due.isoformat()]},
        )
        work.open_item(
            dealer_id=complaint.dealer_id,
            kind=WorkKind.INSTRUCTION,
            due_at=due,
            subject=_("%(number)s: carmaker's instruction — %(text)s")
            % {"number": complaint.number, "text": text},
            ref_model=INSTRUCTION_REF,
            ref_id=instruction.pk,
            assignee_id=complaint.assignee_id,
            complaint_id=complaint.pk,
            customer_id=complaint.customer_id,
        )
        recipients = _dealer_people(complaint.dealer_id, Role.SERVICE_MANAGER, Role.GENERAL_MANAGER)
        if complaint.assignee_id:
            recipients += list(User.objects.filter(pk=complaint.assignee_id))
        notify(
            recipients=recipients,
            kind=Kind.ESCALATION,
            title=_("%(number)s: instruction from %(who)s, due %(due)s")
            % {"number": complaint.number, "who": actor, "due": _local(due)},
            body=text,
            key=f"instruction:{instruction.pk}",
            complaint_id=complaint.pk,
        )
    return instruction


def instructions_of(*, actor: User, complaint_id: int) -> list[Instruction]:
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)
    return list(
        Instruction.objects.filter(complaint=complaint)
        .select_related("author", "answered_by", "acknowledged_by")
        .order_by("created_at", "pk")
    )


def _instruction_for_update(actor: User, instruction_id: int) -> Instruction:
    instruction = (
        Instruction.objects.select_for_update()
        .filter(pk=instruction_id, complaint__in=Complaint.objects.visible_to(actor))
        .first()
    )
    if instruction is None:
        raise NotFound(_("No such instruction."))
    if not (
        actor.is_kesu_admin
        or (actor.role in ANSWERING_ROLES and user_dealer_id(actor) == instruction.dealer_id)
    ):
        raise Forbidden(_("The dealer answers the carmaker's instruction."))
    return instruction


def acknowledge_instruction(*, actor: User, instruction_id: int) -> Instruction:
    """The dealer has read it (409 ``instruction_answered`` when already acknowledged or done)."""
    with transaction.atomic():
        instruction = _instruction_for_update(actor, instruction_id)
        if instruction.state != InstructionState.OPEN:
            raise RuleConflict(
                _("This instruction was already %(state)s.") % {"state": instruction.get_state_display()},
                code="instruction_answered",
            )
        instruction.state = InstructionState.ACKNOWLEDGED
        instruction.acknowledged_by = actor
        instruction.acknowledged_at = timezone.now()
        instruction.save(update_fields=["state", "acknowledged_by", "acknowledged_at"])
        events.record_carmaker(instruction.complaint, actor, EventKind.INSTRUCTION, action="acknowledged")
    return instruction


def answer_instruction(*, actor: User, instruction_id: int, answer: str) -> Instruction:
    """The dealer reports what it did (422 ``answer`` when empty; 409 when already done): the
    work item closed, the instruction's author told."""
    with transaction.atomic():
        instruction = _instruction_for_update(actor, instruction_id)
        if instruction.state == InstructionState.DONE:
            raise RuleConflict(_("This instruction was already answered."), code="instruction_answered")
        answer = _clean(answer, "answer", MAX_TEXT)
        now = timezone.now()
        instruction.state = InstructionState.DONE
        instruction.answer, instruction.answered_by, instruction.answered_at = answer, actor, now
        if instruction.acknowledged_at is None:
            instruction.acknowledged_by, instruction.acknowledged_at = actor, now
        instruction.save()
        complaint = instruction.complaint
        events.record_carmaker(complaint, actor, EventKind.INSTRUCTION, action="done", note=answer)
        work.close_item(ref_model=INSTRUCTION_REF, ref_id=instruction.pk, kind=WorkKind.INSTRUCTION, by=actor)
        notify(
            recipients=[instruction.author],
            kind=Kind.ESCALATION,
            title=_("%(number)s: the dealer answered your instruction") % {"number": complaint.number},
            body=answer,
            key=f"instruction-done:{instruction.pk}",
            complaint_id=complaint.pk,
        )
    return instruction


# --- help between dealers ------------------------------------------------------------------------


@dataclass(frozen=True)
class HelpInput:
    to_dealer_id: int | None
    kind: str
    what: str
    needed_by: datetime | None
    part_number: str = ""
    quantity: int | None = None
    urgency: str = Urgency.NORMAL


def _check_help(complaint: Complaint, data: HelpInput) -> tuple[Organization, dict[str, Any]]:
    errors: dict[str, str] = {}
    to_dealer = None
    if data.to_dealer_id is None:
        errors["to_dealer_id"] = _("Required.")
    else:
        to_dealer = Organization.objects.filter(pk=data.to_dealer_id, kind=OrgKind.DEALER).first()
        if to_dealer is None:
            errors["to_dealer_id"] = _("No such dealer.")
        elif to_dealer.pk == complaint.dealer_id:
            errors["to_dealer_id"] = _("Ask another dealer: this is the complaint's own dealer.")
        elif manufacturer_of(to_dealer.pk) != manufacturer_of(complaint.dealer_id):
            errors["to_dealer_id"] = _(
                "This dealer belongs to another carmaker: ask one of your own network."
            )
    if data.kind not in HelpKind.values:
        errors["kind"] = one_of(HelpKind.values)
    if data.urgency not in Urgency.values:
        errors["urgency"] = one_of(Urgency.values)
    cleaned: dict[str, Any] = {}
    for field, value, limit, required in (
        ("what", data.what, MAX_TEXT, True),
        ("part_number", data.part_number, MAX_PART, data.kind == HelpKind.PART),
    ):
        try:
            cleaned[field] = _clean(value, field, limit, required=required)
        except InvalidInput as exc:
            errors.update(exc.fields)
    if data.quantity is not None and not 1 <= data.quantity <= MAX_QUANTITY:
        errors["quantity"] = _("Between 1 and %(n)d.") % {"n": MAX_QUANTITY}
    elif data.quantity is None and data.kind == HelpKind.PART:
        errors["quantity"] = _("Required.")
    try:
        cleaned["needed_by"] = _future(data.needed_by, "needed_by")
    except InvalidInput as exc:
        errors.update(exc.fields)
    raise_if(errors)
    assert to_dealer is not None
    return to_dealer, cleaned


def ask_for_help(*, actor: User, complaint_id: int, data: HelpInput) -> HelpRequest:
    """A dealer asks another dealer of the same carmaker for help on one of its complaints. 404 out
    of scope; 403 unless the actor works for the complaint's dealer; 409 on a closed complaint;
    422 naming ``to_dealer_id`` (missing, the same dealer, another carmaker's), ``kind``,
    ``what``, ``part_number`` / ``quantity`` (a part), ``needed_by`` (in the future)."""
    with transaction.atomic():
        complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
        own = user_dealer_id(actor) == complaint.dealer_id and actor.role in HELP_ASKING_ROLES
        if not (own or actor.is_kesu_admin):
            raise Forbidden(_("Only the complaint's own dealer asks another dealer for help."))
        _complaint_open(complaint)
        to_dealer, cleaned = _check_help(complaint, data)
        vehicle = complaint.vehicle
        request = HelpRequest.objects.create(
            complaint=complaint,
            from_dealer_id=complaint.dealer_id,
            to_dealer=to_dealer,
            requested_by=actor,
            kind=data.kind,
            what=cleaned["what"],
            part_number=cleaned["part_number"],
            quantity=data.quantity,
            vehicle_model=(vehicle.model_name if vehicle else "")[:60],
            urgency=data.urgency,
            needed_by=cleaned["needed_by"],
        )
        changes: dict[str, Any] = {"to_dealer": [None, to_dealer.name]}
        if request.part_number:
            changes["part_number"] = [None, request.part_number]
        if request.quantity:
            changes["quantity"] = [None, request.quantity]
        changes["needed_by"] = [None, request.needed_by.isoformat()]
        events.record_carmaker(
            complaint, actor, EventKind.HELP_REQUEST, action="created", note=request.what, changes=changes
        )
        # The other dealer's desk: no complaint, no customer — it may not open either.
        subject = _("%(dealer)s asks for help: %(what)s") % {
            "dealer": complaint.dealer.name,
            "what": request.part_number or request.what,
        }
        work.open_item(
            dealer_id=to_dealer.pk,
            kind=WorkKind.HELP_REQUEST,
            due_at=request.needed_by,
            subject=subject,
            ref_model=HELP_REF,
            ref_id=request.pk,
        )
        notify(
            recipients=_dealer_people(to_dealer.pk, Role.SERVICE_MANAGER, Role.GENERAL_MANAGER),
            kind=Kind.ESCALATION,
            title=subject,
            body=_help_summary(request),
            key=f"help:{request.pk}",
        )
    return request


def _help_summary(request: HelpRequest) -> str:
    parts = [request.what]
    if request.part_number:
        parts.append(f"{_('Part number')}: {request.part_number} × {request.quantity or 1}")
    if request.vehicle_model:
        parts.append(f"{_('Vehicle model')}: {request.vehicle_model}")
    parts.append(f"{_('Needed by')}: {_local(request.needed_by)} ({request.get_urgency_display()})")
    return "\n".join(parts)


def help_requests_visible_to(actor: User) -> QuerySet[HelpRequest]:
    """The requests the actor may read: a dealer's incoming and outgoing; the region's and the
    carmaker's people those between their dealers; administrators all."""
    queryset = HelpRequest.objects.all()
    scope = scope_for(actor)
    if scope.everything:
        return queryset
    dealer_ids = scope.dealer_ids | scope.escalated_dealer_ids
    return queryset.filter(Q(from_dealer_id__in=dealer_ids) | Q(to_dealer_id__in=dealer_ids))


def help_requests_for(*, actor: User, direction: str = "") -> list[HelpRequest]:
    """``GET /help-requests``: for a dealer's people, ``incoming`` (asked of their dealer),
    ``outgoing`` (asked by it) or both; newest first, the latest 200."""
    queryset = help_requests_visible_to(actor)
    own = user_dealer_id(actor)
    if direction not in ("", "incoming", "outgoing"):
        raise invalid("direction", one_of(["incoming", "outgoing"], or_empty=True))
    if own is not None and direction == "incoming":
        queryset = queryset.filter(to_dealer_id=own)
    elif own is not None and direction == "outgoing":
        queryset = queryset.filter(from_dealer_id=own)
    return list(
        queryset.select_related("from_dealer", "to_dealer", "requested_by", "answered_by").order_by(
            "-created_at", "-pk"
        )[:200]
    )


def help_requests_of(*, actor: User, complaint_id: int) -> list[HelpRequest]:
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)
    return list(
        HelpRequest.objects.filter(complaint=complaint)
        .select_related("from_dealer", "to_dealer", "requested_by", "answered_by")
        .order_by("created_at", "pk")
    )


def may_answer_help(actor: User, request: HelpRequest) -> bool:
    return actor.is_kesu_admin or (
        actor.role in HELP_ANSWERING_ROLES and user_dealer_id(actor) == request.to_dealer_id
    )


def may_close_help(actor: User, request: HelpRequest) -> bool:
    if may_answer_help(actor, request):
        return True
    return actor.role in HELP_ASKING_ROLES and user_dealer_id(actor) == request.from_dealer_id


def answer_help(*, actor: User, request_id: int, decision: str, reply: str = "") -> HelpRequest:
    """The other dealer accepts or declines an open request (its service manager, GM or
    departments; a refusal says why: 422 ``reply``); either dealer records it done once the help
    arrived. 404 for whoever may not read it; 403 for the wrong side; 409 ``help_answered`` when
    the request is not in a state for that decision. The asking complaint's timeline records it,
    the asker is told."""
    with transaction.atomic():
        request = help_requests_visible_to(actor).select_for_update().filter(pk=request_id).first()
        if request is None:
            raise NotFound(_("No such help request."))
        if decision not in HelpDecision.values:
            raise invalid("decision", one_of(HelpDecision.values))
        allowed = (
            may_close_help(actor, request)
            if decision == HelpDecision.DONE
            else may_answer_help(actor, request)
        )
        if not allowed:
            raise Forbidden(
                _(
                    "The asked dealer's service manager, general manager or departments answer a "
                    "help request."
                ),
                fields={"decision": _("Not yours to decide.")},
            )
        source = HelpStatus.ACCEPTED if decision == HelpDecision.DONE else HelpStatus.OPEN
        if request.status != source:
            raise RuleConflict(
                _("This help request is %(status)s.") % {"status": request.get_status_display()},
                code="help_answered",
                fields={"decision": _("Not possible now.")},
            )
        reply = _clean(reply, "reply", MAX_TEXT, required=decision == HelpDecision.DECLINE)
        now = timezone.now()
        if decision == HelpDecision.DONE:
            request.status, request.done_at = HelpStatus.DONE, now
            if reply:
                request.reply = f"{request.reply}\n{reply}".strip()
        else:
            request.status = HelpStatus.ACCEPTED if decision == HelpDecision.ACCEPT else HelpStatus.DECLINED
            request.reply, request.answered_by, request.answered_at = reply, actor, now
            work.close_item(ref_model=HELP_REF, ref_id=request.pk, kind=WorkKind.HELP_REQUEST, by=actor)
        request.save()
        complaint = request.complaint
        action = {
            HelpDecision.ACCEPT: "accepted",
            HelpDecision.DECLINE: "declined",
            HelpDecision.DONE: "done",
        }[HelpDecision(decision)]
        events.record_carmaker(
            complaint,
            actor,
            EventKind.HELP_REQUEST,
            action=action,
            note=reply,
            changes={"to_dealer": [None, request.to_dealer.name]},
        )
        if decision != HelpDecision.DONE:
            notify(
                recipients=[request.requested_by],
                kind=Kind.ESCALATION,
                title=_("%(number)s: %(dealer)s answered your help request: %(status)s")
                % {
                    "number": complaint.number,
                    "dealer": request.to_dealer.name,
                    "status": request.get_status_display(),
                },
                body=reply,
                key=f"help-{action}:{request.pk}",
                complaint_id=complaint.pk,
            )
    return request


def dealers_to_ask(complaint: Complaint) -> list[Organization]:
    """The other dealers of the complaint's carmaker (the form's choices)."""
    manufacturer = manufacturer_of(complaint.dealer_id)
    dealers = (
        Organization.objects.filter(kind=OrgKind.DEALER).exclude(pk=complaint.dealer_id).order_by("code")
    )
    return [d for d in dealers if manufacturer_of(d.pk) == manufacturer]


# --- PR on a crisis ------------------------------------------------------------------------------


def is_pr(actor: User) -> bool:
    return _is(actor, PR_ROLES)


def _crisis(actor: User, complaint_id: int, roles: frozenset[Role], refusal: str) -> Complaint:
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not _is(actor, roles):
        raise Forbidden(refusal)
    require_crisis(complaint)
    return complaint


def require_crisis(complaint: Complaint) -> None:
    if complaint.severity != Severity.CRISIS:
        raise RuleConflict(
            _(
                "PR actions and the incident report are for crisis (危机) complaints only: "
                "this one is %(severity)s."
            )
            % {"severity": complaint.get_severity_display()},
            code="not_crisis",
            fields={"severity": _("Not a crisis.")},
        )


def takeover_of(complaint_id: int) -> PrTakeover | None:
    return PrTakeover.objects.select_related("taken_by").filter(complaint_id=complaint_id).first()


def take_over(*, actor: User, complaint_id: int, note: str = "") -> PrTakeover:
    """PR takes charge of a crisis complaint (403 for other roles; 409 ``not_crisis``,
    ``already_taken_over``): recorded on the timeline, the dealer's general manager and the
    region manager told."""
    with transaction.atomic():
        complaint = _crisis(actor, complaint_id, PR_ROLES, _("Only PR takes over a crisis."))
        existing = takeover_of(complaint.pk)
        if existing is not None:
            raise RuleConflict(
                _("PR took over this complaint already (%(who)s, %(at)s).")
                % {"who": existing.taken_by, "at": _local(existing.taken_at)},
                code="already_taken_over",
            )
        note = _clean(note, "note", MAX_TEXT, required=False)
        takeover = PrTakeover.objects.create(complaint=complaint, taken_by=actor, note=note)
        events.record_carmaker(complaint, actor, EventKind.PR, action="takeover", note=note)
        notify(
            recipients=_dealer_people(complaint.dealer_id, Role.GENERAL_MANAGER, Role.REGION_MANAGER),
            kind=Kind.CRISIS,
            title=_("%(number)s: PR has taken over the crisis (%(who)s)")
            % {"number": complaint.number, "who": actor},
            body=note,
            key=f"pr-takeover:{complaint.pk}",
            complaint_id=complaint.pk,
            organization=complaint.dealer,
        )
    return takeover


@dataclass(frozen=True)
class MediaInput:
    outlet: str
    url: str
    published_at: datetime | None
    reach: int | None
    tone: str
    note: str = ""


_URL = URLValidator(schemes=["http", "https"])


def log_media(*, actor: User, complaint_id: int, data: MediaInput) -> MediaMention:
    """One report in the media log (PR): 409 ``not_crisis``; 422 naming ``outlet``, ``url``
    (http/https), ``published_at`` (not in the future), ``reach`` (0…10¹⁰) or ``tone``."""
    with transaction.atomic():
        complaint = _crisis(actor, complaint_id, PR_ROLES, _("Only PR keeps the media log."))
        errors: dict[str, str] = {}
        cleaned: dict[str, Any] = {}
        for field, value, limit, required in (
            ("outlet", data.outlet, MAX_OUTLET, True),
            ("url", data.url, MAX_URL, True),
            ("note", data.note, MAX_TEXT, False),
        ):
            try:
                cleaned[field] = _clean(value, field, limit, required=required)
            except InvalidInput as exc:
                errors.update(exc.fields)
        if "url" in cleaned:
            try:
                _URL(cleaned["url"])
            except ValidationError:
                errors["url"] = _("Not a web address: give the link as https://…")
        try:
            cleaned["published_at"] = _past(data.published_at, "published_at")
        except InvalidInput as exc:
            errors.update(exc.fields)
        if data.reach is None:
            errors["reach"] = _("Required.")
        elif not 0 <= data.reach <= MAX_REACH:
            errors["reach"] = _("Between 0 and %(n)s.") % {"n": f"{MAX_REACH:,}"}
        if data.tone not in Tone.values:
            errors["tone"] = one_of(Tone.values)
        raise_if(errors)
        assert data.reach is not None
        mention = MediaMention.objects.create(
            complaint=complaint, recorded_by=actor, reach=data.reach, tone=data.tone, **cleaned
        )
        events.record_carmaker(
            complaint,
            actor,
            EventKind.PR,
            action="media",
            note=mention.note,
            changes={
                "outlet": [None, mention.outlet],
                "link": [None, mention.url],
                "reach": [None, mention.reach],
                "tone": [None, mention.tone],
            },
        )
    return mention


def media_of(*, actor: User, complaint_id: int) -> list[MediaMention]:
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)
    return list(
        MediaMention.objects.filter(complaint=complaint)
        .select_related("recorded_by")
        .order_by("published_at", "pk")
    )


def prepare_statement(*, actor: User, complaint_id: int, text: str) -> tuple[Complaint, str]:
    """The checks before a statement is drafted (the flow guards its words next): 404, 403 (PR
    only), 409 ``not_crisis``, 422 ``text``. The complaint comes back locked."""
    complaint = _crisis(actor, complaint_id, PR_ROLES, _("Only PR drafts statements."))
    return complaint, _clean(text, "text", MAX_STATEMENT)


def save_statement(*, actor: User, complaint: Complaint, text: str) -> Statement:
    statement = Statement.objects.create(complaint=complaint, text=text, author=actor)
    events.record_carmaker(complaint, actor, EventKind.PR, action="statement_drafted", note=text)
    return statement


def statements_of(*, actor: User, complaint_id: int) -> list[Statement]:
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)
    return list(
        Statement.objects.filter(complaint=complaint)
        .select_related("author", "decided_by")
        .order_by("created_at", "pk")
    )


def may_decide_statement(actor: User, statement: Statement) -> bool:
    return is_pr(actor) and statement.author_id != actor.pk


def prepare_decision(
    *, actor: User, statement_id: int, decision: str, comment: str = ""
) -> tuple[Statement, str]:
    """A PR lead's decision on a draft: 404 outside scope; 403 for other roles and for the
    statement's author (nobody approves their own); 409 ``statement_decided``; 422 ``decision``,
    ``comment`` (required to reject). The statement comes back locked."""
    statement = (
        Statement.objects.select_for_update()
        .select_related("complaint")
        .filter(pk=statement_id, complaint__in=Complaint.objects.visible_to(actor))
        .first()
    )
    if statement is None:
        raise NotFound(_("No such statement."))
    if not is_pr(actor):
        raise Forbidden(_("A PR lead approves statements."), fields={"decision": _("Not yours to decide.")})
    if statement.author_id == actor.pk:
        raise Forbidden(
            _("Nobody approves their own statement: another PR lead must decide."),
            fields={"decision": _("You drafted this statement.")},
        )
    if decision not in StatementDecision.values:
        raise invalid("decision", one_of(StatementDecision.values))
    if statement.state != StatementState.DRAFT:
        raise RuleConflict(
            _("This statement was already %(state)s.") % {"state": statement.get_state_display()},
            code="statement_decided",
            fields={"decision": _("Already decided.")},
        )
    comment = _clean(comment, "comment", MAX_TEXT, required=decision == StatementDecision.REJECT)
    return statement, comment


def apply_decision(*, actor: User, statement: Statement, decision: str, comment: str) -> Statement:
    approved = decision == StatementDecision.APPROVE
    statement.state = StatementState.APPROVED if approved else StatementState.REJECTED
    statement.decided_by, statement.decided_at, statement.comment = actor, timezone.now(), comment
    statement.save(update_fields=["state", "decided_by", "decided_at", "comment"])
    events.record_carmaker(
        statement.complaint,
        actor,
        EventKind.PR,
        action="statement_approved" if approved else "statement_rejected",
        note=statement.text if approved else comment,
    )
    return statement


# --- the incident report (重大事故报告) ------------------------------------------------------------


@dataclass(frozen=True)
class ReportInput:
    occurred_at: datetime | None
    location: str
    injuries: str
    damage: str
    actions_taken: str
    next_steps: str


def may_write_report(actor: User) -> bool:
    return _is(actor, REPORT_ROLES)


def save_incident_report(*, actor: User, complaint_id: int, data: ReportInput) -> IncidentReport:
    """Write (or correct) the incident report of a crisis: 403 (the dealer's desk and managers,
    CRC, PR), 409 ``not_crisis``, 422 naming each empty or too long field and ``occurred_at`` in
    the future. The timeline says whether it came the same day; CRC and PR are told."""
    with transaction.atomic():
        complaint = _crisis(
            actor,
            complaint_id,
            REPORT_ROLES,
            _("The dealer's desk and managers, CRC or PR write the incident report."),
        )
        errors: dict[str, str] = {}
        cleaned: dict[str, Any] = {}
        for field, value, limit in (
            ("location", data.location, MAX_LOCATION),
            ("injuries", data.injuries, MAX_TEXT),
            ("damage", data.damage, MAX_TEXT),
            ("actions_taken", data.actions_taken, MAX_TEXT),
            ("next_steps", data.next_steps, MAX_TEXT),
        ):
            try:
                cleaned[field] = _clean(value, field, limit)
            except InvalidInput as exc:
                errors.update(exc.fields)
        try:
            cleaned["occurred_at"] = _past(data.occurred_at, "occurred_at")
        except InvalidInput as exc:
            errors.update(exc.fields)
        raise_if(errors)
        now = timezone.now()
        report, created = IncidentReport.objects.update_or_create(
            complaint=complaint,
            defaults={**cleaned, "written_by": actor, "written_at": now},
            create_defaults={**cleaned, "written_by": actor, "written_at": now, "first_written_at": now},
        )
        same_day = is_same_day(report)
        note = _("Written the same day.") if same_day else _("Written later than the day of the incident.")
        events.record_carmaker(complaint, actor, EventKind.PR, action="incident_report", note=note)
        if created:
            notify(
                recipients=_dealer_people(complaint.dealer_id, Role.CRC_AGENT, Role.PR, Role.REGION_MANAGER),
                kind=Kind.CRISIS,
                title=_("%(number)s: incident report (重大事故报告) from %(dealer)s")
                % {"number": complaint.number, "dealer": complaint.dealer.name},
                body=cleaned["damage"],
                key=f"incident-report:{complaint.pk}",
                complaint_id=complaint.pk,
            )
    return report


def is_same_day(report: IncidentReport) -> bool:
    return timezone.localtime(report.first_written_at).date() <= timezone.localtime(report.occurred_at).date()


def incident_report_of(complaint_id: int) -> IncidentReport | None:
    return IncidentReport.objects.select_related("written_by").filter(complaint_id=complaint_id).first()


def incident_context(*, actor: User, complaint_id: int) -> dict[str, Any]:
    """What the PDF shows (404 out of scope, 409 ``not_crisis``)."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)
    require_crisis(complaint)
    report = incident_report_of(complaint.pk)
    vehicle = complaint.vehicle
    timeline: list[TimelineEntry] = list(complaint.timeline.select_related("actor").order_by("at", "pk"))
    media = list(MediaMention.objects.filter(complaint=complaint).order_by("published_at", "pk"))
    return {
        "c": complaint,
        "report": report,
        "same_day": is_same_day(report) if report else None,
        "vehicle": vehicle,
        "mileage": f"{vehicle.mileage_km:,} km" if vehicle and vehicle.mileage_km is not None else "",
        "timeline": timeline,
        "media": media,
        "reach": sum(m.reach for m in media),
        "instructions": list(Instruction.objects.filter(complaint=complaint).select_related("author")),
        "help_requests": list(HelpRequest.objects.filter(complaint=complaint).select_related("to_dealer")),
        "statements": list(Statement.objects.filter(complaint=complaint, state=StatementState.APPROVED)),
        "takeover": takeover_of(complaint.pk),
        "printed_at": timezone.localtime(timezone.now()),
    }


def incident_pdf(*, actor: User, complaint_id: int) -> bytes:
    """重大事故报告 of a crisis complaint in the actor's scope, as PDF."""
    context = incident_context(actor=actor, complaint_id=complaint_id)
    return render_pdf(render_to_string("carmaker/incident_pdf.html", context))
