"""Resolutions API. Sections by part, each with its own routers (mounted in kesu/api.py):
routing rules, contact sheets and the GM's findings decision, accountability; options and
agreements below."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply
from pydantic import Field

from kesu import flows
from kesu.approvals.models import ApprovalRequest
from kesu.core.errors import invalid
from kesu.core.pdf import pdf_response
from kesu.organizations.permissions import actor

from .models import (
    ContactSheet,
    FindingsDecision,
    Option,
    OptionAnswer,
    OptionLine,
    PenaltyNotice,
    Responsibility,
)
from .services import accountability, routing, sheets
from .services import agreements as agreement_services
from .services import options as option_services

RowId = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
Text = Annotated[str, Field(max_length=4000)]

# --- routing rules (R1) ----------------------------------------------------------------------------

routing_router = Router(tags=["routing rules"])


class RoutingRuleIn(Schema):
    category: str = ""  # a complaint category, "" for any
    fault_area: str = ""  # a fault area, "" for any
    department_id: RowId


class RoutingRulesIn(Schema):
    rules: list[RoutingRuleIn]


class RoutingRuleOut(Schema):
    category: str
    fault_area: str
    department_id: int
    department: str

    @staticmethod
    def resolve_department(rule: Any) -> str:
        return rule.department.name


class RoutingRulesOut(Schema):
    dealer_id: int
    may_edit: bool
    rules: list[RoutingRuleOut]


def _routing_answer(request: HttpRequest, dealer_id: int, rules: list[Any]) -> dict[str, Any]:
    return {
        "dealer_id": dealer_id,
        "may_edit": routing.may_keep_rules(actor(request), dealer_id),
        "rules": rules,
    }


@routing_router.get("/{dealer_id}", response=RoutingRulesOut)
def get_routing_rules(request: HttpRequest, dealer_id: RowId) -> dict[str, Any]:
    """The dealer's routing rules: a new complaint's category and fault area → the department
    that investigates it (the most specific rule wins; none: no department set)."""
    return _routing_answer(request, dealer_id, routing.rules_of(actor=actor(request), dealer_id=dealer_id))


@routing_router.put("/{dealer_id}", response=RoutingRulesOut)
def put_routing_rules(request: HttpRequest, dealer_id: RowId, payload: RoutingRulesIn) -> dict[str, Any]:
    """Replace the dealer's routing rules (its service manager or general manager, or an admin)."""
    rules = [
        routing.RoutingInput(category=r.category, fault_area=r.fault_area, department_id=r.department_id)
        for r in payload.rules
    ]
    saved = routing.set_rules(actor=actor(request), dealer_id=dealer_id, rules=rules)
    return _routing_answer(request, dealer_id, saved)


# --- contact sheets (联络单) and the GM's findings decision (R1) -----------------------------------

investigation_router = Router(tags=["contact sheets"])  # under /v1/complaints
sheets_router = Router(tags=["contact sheets"])  # under /v1/contact-sheets


class SheetOut(Schema):
    id: int
    complaint_id: int
    department_id: int
    department: str
    assignee_id: int | None
    question: str
    due_at: Any
    state: str
    state_label: str
    round: int
    sent_by: str
    sent_at: Any
    facts: str
    root_cause: str
    dimension: str
    dimension_label: str
    in_house: bool | None
    supplier: str
    answered_by: str
    answered_at: Any
    rework_reason: str
    option_ids: list[int]

    @staticmethod
    def resolve_department(sheet: ContactSheet) -> str:
        return sheet.department.name

    @staticmethod
    def resolve_state_label(sheet: ContactSheet) -> str:
        return str(sheet.get_state_display())

    @staticmethod
    def resolve_dimension_label(sheet: ContactSheet) -> str:
        return str(sheet.get_dimension_display()) if sheet.dimension else ""

    @staticmethod
    def resolve_sent_by(sheet: ContactSheet) -> str:
        return str(sheet.sent_by)

    @staticmethod
    def resolve_answered_by(sheet: ContactSheet) -> str:
        return str(sheet.answered_by) if sheet.answered_by_id else ""

    @staticmethod
    def resolve_option_ids(sheet: ContactSheet) -> list[int]:
        return sorted(option.pk for option in sheet.options.all())


class RoutingDecisionOut(Schema):
    sheet_id: int
    department_id: int
    basis: str
    supplier: str
    reason: str
    decided_by: str
    decided_at: Any

    @staticmethod
    def resolve_department_id(decision: FindingsDecision) -> int:
        return decision.sheet.department_id

    @staticmethod
    def resolve_decided_by(decision: FindingsDecision) -> str:
        return str(decision.decided_by)


class SheetsOut(Schema):
    complaint_id: int
    sheets: list[SheetOut]
    decision: RoutingDecisionOut | None


class SendSheetsIn(Schema):
    department_ids: list[RowId]
    question: Text
    due_date: date | None = None  # the close of that working day; none: two working days


class SheetAnswerIn(Schema):
    facts: Text
    root_cause: Text
    dimension: str  # people (人员) | organisation (组织) | technology (技术)
    in_house: bool | None = None
    supplier: Annotated[str, Field(max_length=120)] = ""


class ReworkIn(Schema):
    reason: Text = ""
    due_date: date | None = None


class FindingsIn(Schema):
    sheet_id: RowId | None = None
    basis: str  # disagreement | supplier | other
    reason: Text = ""
    supplier: Annotated[str, Field(max_length=120)] = ""


def _sheets_answer(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    complaint, found, decision = sheets.sheets_of(actor=actor(request), complaint_id=complaint_id)
    return {"complaint_id": complaint.pk, "sheets": found, "decision": decision}


@investigation_router.get("/{complaint_id}/contact-sheets", response=SheetsOut)
def list_contact_sheets(request: HttpRequest, complaint_id: RowId) -> dict[str, Any]:
    """The complaint's contact sheets and the general manager's decision on the findings."""
    return _sheets_answer(request, complaint_id)


@investigation_router.post("/{complaint_id}/contact-sheets", response={201: SheetsOut})
def send_contact_sheets(request: HttpRequest, complaint_id: RowId, payload: SendSheetsIn) -> Any:
    """Send a contact sheet to each department (the dealer's desk)."""
    flows.contact_sheets.send(
        actor=actor(request),
        complaint_id=complaint_id,
        department_ids=payload.department_ids,
        question=payload.question,
        due_date=payload.due_date,
    )
    return Reply(201, _sheets_answer(request, complaint_id))


@investigation_router.post("/{complaint_id}/findings-decision", response={201: SheetsOut})
def decide_findings(request: HttpRequest, complaint_id: RowId, payload: FindingsIn) -> Any:
    """The general manager decides which department's finding stands, and why (once)."""
    sheets.decide_findings(
        actor=actor(request),
        complaint_id=complaint_id,
        sheet_id=payload.sheet_id,
        basis=payload.basis,
        reason=payload.reason,
        supplier=payload.supplier,
    )
    return Reply(201, _sheets_answer(request, complaint_id))


@sheets_router.get("", response=list[SheetOut])
def my_open_sheets(request: HttpRequest) -> list[ContactSheet]:
    """The open sheets the caller's department has to answer (a manager: the dealer's)."""
    return sheets.open_sheets_for(actor=actor(request))


@sheets_router.get("/{sheet_id}", response=SheetOut)
def get_contact_sheet(request: HttpRequest, sheet_id: RowId) -> ContactSheet:
    return sheets.get_sheet(actor=actor(request), sheet_id=sheet_id)


@sheets_router.post("/{sheet_id}/answer", response=SheetOut)
def answer_contact_sheet(request: HttpRequest, sheet_id: RowId, payload: SheetAnswerIn) -> ContactSheet:
    """The department's answer: facts, root cause and its dimension, in-house or not. Its
    countermeasure options: POST /api/v1/complaints/{id}/options with ``contact_sheet_id``."""
    answer = sheets.Answer(
        facts=payload.facts,
        root_cause=payload.root_cause,
        dimension=payload.dimension,
        in_house=payload.in_house,
        supplier=payload.supplier,
    )
    return sheets.answer_sheet(actor=actor(request), sheet_id=sheet_id, answer=answer)


@sheets_router.post("/{sheet_id}/rework", response=SheetOut)
def rework_contact_sheet(request: HttpRequest, sheet_id: RowId, payload: ReworkIn) -> ContactSheet:
    """Send an answered sheet back to its department, saying why (the desk)."""
    return flows.contact_sheets.rework(
        actor=actor(request), sheet_id=sheet_id, reason=payload.reason, due_date=payload.due_date
    )


# --- accountability: responsibility, penalty notices (奖罚通知单), the monthly list (R1) -----------

accountability_router = Router(tags=["accountability"])  # under /v1


class ResponsibilityOut(Schema):
    kind: str
    kind_label: str
    department_id: int | None
    department: str
    person_id: int | None
    person: str
    supplier: str
    reason: str
    decided_by: str
    decided_at: Any

    @staticmethod
    def resolve_kind_label(found: Responsibility) -> str:
        return str(found.get_kind_display())

    @staticmethod
    def resolve_department(found: Responsibility) -> str:
        return found.department.name if found.department else ""

    @staticmethod
    def resolve_person(found: Responsibility) -> str:
        return str(found.person) if found.person_id else ""

    @staticmethod
    def resolve_decided_by(found: Responsibility) -> str:
        return str(found.decided_by)


class ResponsibilityAnswer(Schema):
    complaint_id: int
    responsibility: ResponsibilityOut | None


class ResponsibilityIn(Schema):
    kind: str  # department | person | supplier | none
    department_id: RowId | None = None
    person_id: RowId | None = None
    supplier: Annotated[str, Field(max_length=120)] = ""
    reason: Text = ""


Amount = Annotated[
    Decimal, Field(ge=0, le=Decimal("99999999.99"), max_digits=10, decimal_places=2, allow_inf_nan=False)
]


class NoticeIn(Schema):
    person_id: RowId | None = None
    amount: Amount
    kind: str = "penalty"  # penalty | reward
    department_id: RowId | None = None
    reason: Text = ""


class NoticeDecisionIn(Schema):
    decision: Literal["approve", "reject"]
    comment: Text = ""


class NoticeOut(Schema):
    id: int
    complaint_id: int
    complaint_number: str
    person_id: int
    person: str
    department: str
    kind: str
    amount: Decimal
    reason: str
    state: str
    state_label: str
    proposed_by: str
    proposed_at: Any
    decided_by: str
    decided_at: Any
    decision_comment: str
    acknowledged_at: Any

    @staticmethod
    def resolve_complaint_number(notice: PenaltyNotice) -> str:
        return notice.complaint.number

    @staticmethod
    def resolve_person(notice: PenaltyNotice) -> str:
        return str(notice.person)

    @staticmethod
    def resolve_department(notice: PenaltyNotice) -> str:
        return notice.department.name if notice.department else ""

    @staticmethod
    def resolve_state_label(notice: PenaltyNotice) -> str:
        return str(notice.get_state_display())

    @staticmethod
    def resolve_proposed_by(notice: PenaltyNotice) -> str:
        return str(notice.proposed_by)

    @staticmethod
    def resolve_decided_by(notice: PenaltyNotice) -> str:
        return str(notice.decided_by) if notice.decided_by_id else ""


class NoticeFilters(Schema):
    complaint: RowId | None = None
    state: str = ""


class PendingOut(Schema):
    id: int
    number: str
    dealer: str
    severity: str
    closed_at: Any
    department: str

    @staticmethod
    def resolve_dealer(complaint: Any) -> str:
        return complaint.dealer.name

    @staticmethod
    def resolve_department(complaint: Any) -> str:
        return complaint.department.name if complaint.department_id else ""


class PendingAnswer(Schema):
    month: str
    complaints: list[PendingOut]


@investigation_router.get("/{complaint_id}/responsibility", response=ResponsibilityAnswer)
def get_responsibility(request: HttpRequest, complaint_id: RowId) -> dict[str, Any]:
    """Who was found responsible (null: not decided yet)."""
    found = accountability.responsibility_of(actor=actor(request), complaint_id=complaint_id)
    return {"complaint_id": complaint_id, "responsibility": found}


@investigation_router.post("/{complaint_id}/responsibility", response={201: ResponsibilityAnswer})
def record_responsibility(request: HttpRequest, complaint_id: RowId, payload: ResponsibilityIn) -> Any:
    """Record who is responsible: a department and/or a person (the dealer's managers), a
    supplier (the general manager), or nobody. Once."""
    finding = accountability.Finding(
        kind=payload.kind,
        reason=payload.reason,
        department_id=payload.department_id,
        person_id=payload.person_id,
        supplier=payload.supplier,
    )
    found = accountability.record_responsibility(
        actor=actor(request), complaint_id=complaint_id, finding=finding
    )
    return Reply(201, {"complaint_id": complaint_id, "responsibility": found})


@investigation_router.post("/{complaint_id}/penalty-notices", response={201: NoticeOut})
def propose_notice(request: HttpRequest, complaint_id: RowId, payload: NoticeIn) -> Any:
    """The service manager proposes a penalty (or reward) notice for a person."""
    data = accountability.NoticeInput(
        person_id=payload.person_id,
        amount=payload.amount,
        reason=payload.reason,
        kind=payload.kind,
        department_id=payload.department_id,
    )
    notice = accountability.propose_notice(actor=actor(request), complaint_id=complaint_id, data=data)
    return Reply(201, accountability.get_notice(actor=actor(request), notice_id=notice.pk))


@accountability_router.get("/penalty-notices", response=list[NoticeOut])
def list_notices(request: HttpRequest, filters: Query[NoticeFilters]) -> list[PenaltyNotice]:
    """The caller's own notices; the dealer's service and general managers see the dealer's."""
    return list(
        accountability.notices(actor=actor(request), complaint_id=filters.complaint, state=filters.state)[
            :200
        ]
    )


@accountability_router.get("/penalty-notices/{notice_id}", response=NoticeOut)
def get_notice(request: HttpRequest, notice_id: RowId) -> PenaltyNotice:
    return accountability.get_notice(actor=actor(request), notice_id=notice_id)


@accountability_router.post("/penalty-notices/{notice_id}/decide", response=NoticeOut)
def decide_notice(request: HttpRequest, notice_id: RowId, payload: NoticeDecisionIn) -> PenaltyNotice:
    """The general manager approves or rejects a proposed notice (a reason to reject)."""
    accountability.decide_notice(
        actor=actor(request), notice_id=notice_id, decision=payload.decision, comment=payload.comment
    )
    return accountability.get_notice(actor=actor(request), notice_id=notice_id)


@accountability_router.post("/penalty-notices/{notice_id}/acknowledge", response=NoticeOut)
def acknowledge_notice(request: HttpRequest, notice_id: RowId) -> PenaltyNotice:
    """The person concerned acknowledges an approved notice."""
    accountability.acknowledge_notice(actor=actor(request), notice_id=notice_id)
    return accountability.get_notice(actor=actor(request), notice_id=notice_id)


class PendingFilters(Schema):
    month: Annotated[str, Field(pattern=r"^\d{4}-\d{2}$")] | None = None  # YYYY-MM; default last month


@accountability_router.get("/accountability/pending", response=PendingAnswer)
def pending_accountability(request: HttpRequest, filters: Query[PendingFilters]) -> dict[str, Any]:
    """Serious complaints (重大 / 危机) closed last month (or ``month``) still awaiting a
    responsibility decision."""
    try:
        month = date.fromisoformat(filters.month + "-01") if filters.month else None
    except ValueError:
        raise invalid("month", _("Give a month such as 2026-05.")) from None
    first, found = accountability.awaiting_decision(actor=actor(request), month=month)
    return {"month": first.strftime("%Y-%m"), "complaints": found}


# --- countermeasure options and agreements (R2) ----------------------------------------------------
# mounted at /v1: /complaints/{complaint_id}/options…

options_router = Router(tags=["countermeasure options"])


class OptionLineIn(Schema):
    remedy: str  # resolutions.choices.Remedy: return, exchange, … towing, transport, loaner, other
    amount: str | int | float  # CNY, ≥ 0, at most 2 decimal places, at most 10,000,000
    note: str = ""


class OptionIn(Schema):
    lines: list[OptionLineIn] = Field(max_length=100)
    schedule: str  # when it will be done, as told to the customer
    title: str = ""
    done_by: date | None = None
    pros: str = ""  # said to the customer: the forbidden-phrase guard checks it
    cons: str = ""
    contact_sheet_id: RowId | None = None  # the department's 联络单 it comes from
    override_reason: str | None = None  # save despite a forbidden phrase (logged)

    def as_input(self) -> option_services.OptionInput:
        return option_services.OptionInput(
            lines=[option_services.LineInput(line.remedy, line.amount, line.note) for line in self.lines],
            schedule=self.schedule,
            title=self.title,
            done_by=self.done_by,
            pros=self.pros,
            cons=self.cons,
            contact_sheet_id=self.contact_sheet_id,
        )


class OptionLineOut(Schema):
    remedy: str
    remedy_label: str
    amount: Decimal
    note: str

    @staticmethod
    def resolve_remedy_label(line: OptionLine) -> str:
        return str(line.get_remedy_display())


class OptionAnswerOut(Schema):
    id: int
    option_id: int
    answer: str
    method: str
    customer_name: str
    answered_at: datetime
    reason: str
    call_note: str
    sms_text: str
    until: date | None
    has_signature: bool
    recorded_by_id: int
    recorded_at: datetime

    @staticmethod
    def resolve_has_signature(answer: OptionAnswer) -> bool:
        return bool(answer.signature_png)


class OptionOut(Schema):
    id: int
    complaint_id: int
    contact_sheet_id: int | None
    seq: int
    label: str
    title: str
    state: str
    state_label: str
    schedule: str
    done_by: date | None
    pros: str
    cons: str
    total: Decimal
    lines: list[OptionLineOut]
    answers: list[OptionAnswerOut]
    created_by_id: int
    created_at: datetime
    proposed_by_id: int | None
    proposed_at: datetime | None
    approval_request_id: int | None
    approved_at: datetime | None
    revises_id: int | None

    @staticmethod
    def resolve_label(option: Option) -> str:
        return option_services.label(option)

    @staticmethod
    def resolve_state_label(option: Option) -> str:
        return str(option.get_state_display())

    @staticmethod
    def resolve_lines(option: Option) -> list[OptionLine]:
        return list(option.lines.all())

    @staticmethod
    def resolve_answers(option: Option) -> list[OptionAnswer]:
        return list(option.answers.all())


class ProposeIn(Schema):
    root_cause: str | None = None  # default: the department's (contact sheet) or the complaint's
    note: str = ""
    override_reason: str | None = None
    version: int | None = None  # the complaint's version read (409 if stale)


class ApprovalBrief(Schema):
    id: int
    status: str
    total: Decimal
    remedies: list[str]
    current_role: str
    due_at: datetime | None


class ProposalOut(Schema):
    option: OptionOut
    complaint_status: str
    complaint_version: int
    # when beyond the proposer's authority: the approval request opened (kesu.approvals)
    approval_request: ApprovalBrief | None


class OptionAnswerIn(Schema):
    answer: str  # agreed | rejected | asked_for_time
    customer_name: str = ""  # who answered (default: the customer on the complaint)
    answered_at: datetime | None = None  # default: now
    method: str = ""  # agreed: signature | phone | sms
    signature: str = ""  # method signature: data:image/png;base64,… from the signature pad
    call_note: str = ""  # method phone
    sms_text: str = ""  # method sms: the customer's confirming message
    reason: str = ""  # rejected
    until: date | None = None  # asked for time: the answer expected by
    version: int | None = None  # the complaint's version read (409 if stale)

    def as_input(self) -> option_services.AnswerInput:
        return option_services.AnswerInput(
            answer=self.answer,
            customer_name=self.customer_name,
            answered_at=self.answered_at,
            method=self.method,
            signature=self.signature,
            call_note=self.call_note,
            sms_text=self.sms_text,
            reason=self.reason,
            until=self.until,
        )


def _option(option: Option) -> Option:
    return Option.objects.prefetch_related("lines", "answers").get(pk=option.pk)


def _approval_brief(request: ApprovalRequest | None) -> dict[str, Any] | None:
    if request is None:
        return None
    return {
        "id": request.pk,
        "status": request.status,
        "total": request.total,
        "remedies": list(request.remedies or []),
        "current_role": request.approver_role,  # who decides the step waiting now
        "due_at": request.due_at,
    }


@options_router.get("/complaints/{complaint_id}/options", response=list[OptionOut])
def list_options(request: HttpRequest, complaint_id: int) -> list[Option]:
    """The complaint's countermeasure options with their lines and the customer's answers."""
    return option_services.options_of(actor=actor(request), complaint_id=complaint_id)


@options_router.post("/complaints/{complaint_id}/options", response={201: OptionOut})
def create_option(request: HttpRequest, complaint_id: int, payload: OptionIn) -> Reply:
    """A draft option: remedies with amounts (``lines.N.amount``: CNY, ≥ 0, 2 decimals), a
    schedule, pros and cons (guarded: 422 ``forbidden_phrase`` naming the field)."""
    option = flows.resolutions.save_option(
        actor=actor(request),
        complaint_id=complaint_id,
        data=payload.as_input(),
        override_reason=payload.override_reason,
    )
    return Reply(201, _option(option))


@options_router.get("/complaints/{complaint_id}/options/{option_id}", response=OptionOut)
def get_option(request: HttpRequest, complaint_id: int, option_id: int) -> Option:
    option = option_services.get_option(actor=actor(request), complaint_id=complaint_id, option_id=option_id)
    return _option(option)


@options_router.patch("/complaints/{complaint_id}/options/{option_id}", response=OptionOut)
def update_option(request: HttpRequest, complaint_id: int, option_id: int, payload: OptionIn) -> Option:
    """Change a draft (the whole option, as for a new one); 409 ``option_locked`` once it waits
    for approval or was proposed."""
    option = flows.resolutions.update_option(
        actor=actor(request),
        complaint_id=complaint_id,
        option_id=option_id,
        data=payload.as_input(),
        override_reason=payload.override_reason,
    )
    return _option(option)


@options_router.post("/complaints/{complaint_id}/options/{option_id}/revise", response={201: OptionOut})
def revise_option(request: HttpRequest, complaint_id: int, option_id: int, payload: OptionIn) -> Reply:
    """A locked option changed: a new draft; the old one superseded unless the customer has it."""
    option = flows.resolutions.revise_option(
        actor=actor(request),
        complaint_id=complaint_id,
        option_id=option_id,
        data=payload.as_input(),
        override_reason=payload.override_reason,
    )
    return Reply(201, _option(option))


@options_router.post(
    "/complaints/{complaint_id}/options/{option_id}/propose", response={200: ProposalOut, 202: ProposalOut}
)
def propose_option(request: HttpRequest, complaint_id: int, option_id: int, payload: ProposeIn) -> Reply:
    """Propose the option: 200 proposed (the complaint's ``propose_plan``), or 202 with the
    approval request opened when it is beyond the caller's authority (422 ``over_authority``
    naming the limit when nobody can approve it)."""
    proposal = flows.resolutions.propose_option(
        actor=actor(request),
        complaint_id=complaint_id,
        option_id=option_id,
        root_cause=payload.root_cause,
        note=payload.note,
        override_reason=payload.override_reason,
        expected_version=payload.version,
    )
    proposal.complaint.refresh_from_db()
    body = {
        "option": _option(proposal.option),
        "complaint_status": proposal.complaint.status,
        "complaint_version": proposal.complaint.version,
        "approval_request": _approval_brief(proposal.approval_request),
    }
    return Reply(202 if proposal.waits_for_approval else 200, body)


@options_router.post("/complaints/{complaint_id}/options/{option_id}/answer", response={201: OptionAnswerOut})
def answer_option(request: HttpRequest, complaint_id: int, option_id: int, payload: OptionAnswerIn) -> Reply:
    """The customer's answer: agreed (``customer_agrees``), rejected with the reason
    (``customer_rejects``) or asked for time. 422 ``no_chosen_option`` naming ``option_id`` when
    the option was not proposed; 409 ``already_answered`` the second time."""
    answer = flows.resolutions.record_answer(
        actor=actor(request),
        complaint_id=complaint_id,
        option_id=option_id,
        data=payload.as_input(),
        expected_version=payload.version,
    )
    return Reply(201, answer)


@options_router.get("/complaints/{complaint_id}/options/{option_id}/agreement.pdf", response={200: None})
def agreement_pdf(request: HttpRequest, complaint_id: int, option_id: int) -> HttpResponse:
    """处理协议 (application/pdf) of the option chosen and proposed, with the customer's signature
    once captured."""
    content = agreement_services.agreement_pdf(
        actor=actor(request), complaint_id=complaint_id, option_id=option_id
    )
    return pdf_response(content, f"agreement-{complaint_id}-{option_id}.pdf")
