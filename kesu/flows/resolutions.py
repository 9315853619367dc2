"""Countermeasure options across apps: the guard on what they say to the customer, proposing
within the actor's authority (核决权限) or asking for approval, the workflow's ``propose_plan`` /
``customer_agrees`` / ``customer_rejects`` driven by these records, and the customer's answer.

Seed 002: nobody may promise beyond their approval authority; the decision is told to the
customer in writing; the patient signs the 处理协议 once they accept the plan.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.approvals import services as approval_services
from kesu.approvals.choices import MONEY_REMEDIES
from kesu.approvals.models import ApprovalRequest
from kesu.complaints import services as complaint_services
from kesu.complaints import workflow
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import DomainError, Forbidden, InvalidInput, NotFound, stale_version
from kesu.language.choices import GuardContext
from kesu.language.services import guard_customer_text
from kesu.organizations.models import User
from kesu.resolutions.choices import CustomerAnswer, OptionState, Remedy
from kesu.resolutions.models import ContactSheet, Option, OptionAnswer
from kesu.resolutions.services import options as option_services

from .transitions import transition

SUBJECT_MODEL = "resolutions.option"  # what an approval request of an option names


def _guard(
    actor: User, complaint: Complaint, texts: list[tuple[str, str]], override_reason: str | None
) -> None:
    """Every text of an option said to the customer passes the forbidden-phrase guard (422
    naming the field, unless sent anyway with a logged reason)."""
    for name, text in texts:
        try:
            guard_customer_text(
                actor=actor,
                text=text,
                override_reason=override_reason,
                context=GuardContext.AGREEMENT,
                complaint=complaint,
            )
        except DomainError as exc:
            if "override_reason" not in exc.fields:
                exc.fields = {name: exc.message}
            raise


def _check_role(actor: User, action: str) -> None:
    """Who may propose an option or record the customer's answer: the roles the workflow table
    gives ``propose_plan`` and ``customer_agrees`` (403)."""
    step = workflow.BY_ACTION[action]
    if not workflow.role_may(step, actor.role, is_admin=actor.is_kesu_admin):
        raise Forbidden(_("Your role may not “%(action)s”.") % {"action": step.label})


# --- drafting ------------------------------------------------------------------------------------


@transaction.atomic
def save_option(
    *,
    actor: User,
    complaint_id: int,
    data: option_services.OptionInput,
    override_reason: str | None = None,
) -> Option:
    """A new draft option: checked (422 naming each field: ``lines.0.amount``…), its words
    guarded, written with its timeline entry."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)  # 404 first, then 403
    option_services.check_may_edit(actor)
    clean = option_services.clean_option(data)
    _guard(actor, complaint, option_services.customer_texts(clean), override_reason)
    return option_services.create_option(actor=actor, complaint_id=complaint_id, clean=clean)


@transaction.atomic
def update_option(
    *,
    actor: User,
    complaint_id: int,
    option_id: int,
    data: option_services.OptionInput,
    override_reason: str | None = None,
) -> Option:
    """Change a draft (409 ``option_locked`` once it waits for approval or was proposed)."""
    option = option_services.get_option(actor=actor, complaint_id=complaint_id, option_id=option_id)
    option_services.check_may_edit(actor)
    clean = option_services.clean_option(data)
    _guard(actor, option.complaint, option_services.customer_texts(clean), override_reason)
    return option_services.update_option(
        actor=actor, complaint_id=complaint_id, option_id=option_id, clean=clean
    )


@transaction.atomic
def revise_option(
    *,
    actor: User,
    complaint_id: int,
    option_id: int,
    data: option_services.OptionInput,
    override_reason: str | None = None,
) -> Option:
    """A locked option changed: a new draft, the old one superseded (and its approval request
    withdrawn) while the customer has not been told of it."""
    option = option_services.get_option(actor=actor, complaint_id=complaint_id, option_id=option_id)
    option_services.check_may_edit(actor)
    clean = option_services.clean_option(data)
    _guard(actor, option.complaint, option_services.customer_texts(clean), override_reason)
    old, new = option_services.revise_option(
        actor=actor, complaint_id=complaint_id, option_id=option_id, clean=clean
    )
    if old.state == OptionState.SUPERSEDED and old.approval_request_id is not None:
        approval_services.supersede_request(actor=actor, request_id=old.approval_request_id)
    return new


# --- proposing -----------------------------------------------------------------------------------


@dataclass
class Proposal:
    """What proposing did: the option (proposed, or waiting for approval) and the approval
    request opened when it went beyond the actor's authority."""

    option: Option
    complaint: Complaint
    approval_request: ApprovalRequest | None = None

    @property
    def waits_for_approval(self) -> bool:
        return self.approval_request is not None


def _root_cause(option: Option, given: str | None) -> str:
    """The root cause the plan answers: as given, else the department's (the option's contact
    sheet, or the latest answered sheet), else what the complaint records already."""
    if given and given.strip():
        return given.strip()
    if option.root_cause:  # given when its approval was asked for
        return option.root_cause
    sheet = None
    if option.contact_sheet_id is not None:
        sheet = ContactSheet.objects.filter(pk=option.contact_sheet_id).exclude(root_cause="").first()
    if sheet is None:
        sheet = (
            ContactSheet.objects.filter(complaint_id=option.complaint_id)
            .exclude(root_cause="")
            .order_by("-answered_at", "-pk")
            .first()
        )
    if sheet is not None:
        return sheet.root_cause
    return option.complaint.root_cause


def _plan_inputs(option: Option, root_cause: str, note: str, override_reason: str | None) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        workflow.ROOT_CAUSE: root_cause,
        workflow.PLAN: option_services.summary(option),
        workflow.NOTE: note,
    }
    if override_reason:
        inputs[workflow.GUARD_OVERRIDE_REASON] = override_reason
    return inputs


def _propose_now(
    *,
    actor: User,
    option: Option,
    inputs: dict[str, Any],
    expected_version: int | None,
) -> Complaint:
    """The workflow's ``propose_plan`` with the plan read from the option; the option locked."""
    complaint = transition(
        actor=actor,
        complaint_id=option.complaint_id,
        action="propose_plan",
        inputs=inputs,
        expected_version=expected_version,
    )
    option_services.mark_proposed(actor=actor, option=option, at=timezone.now())
    return complaint


@transaction.atomic
def propose_option(
    *,
    actor: User,
    complaint_id: int,
    option_id: int,
    root_cause: str | None = None,
    note: str = "",
    override_reason: str | None = None,
    expected_version: int | None = None,
) -> Proposal:
    """Propose an option to the customer.

    Within the actor's authority (or already approved) it is proposed at once: the workflow's
    ``propose_plan`` with the root cause (given, the department's, or the complaint's) and the
    option as the plan. Beyond it, an approval request is opened instead (nothing is promised
    until approved; 422 ``over_authority`` naming the limit when nobody can approve it).
    404 out of scope (another dealer's option too), 403 the role, 409 not a draft or not now.
    """
    option = option_services.get_option(
        actor=actor, complaint_id=complaint_id, option_id=option_id, for_update=True
    )
    _check_role(actor, "propose_plan")
    option_services.check_proposable(option)
    inputs = _plan_inputs(option, _root_cause(option, root_cause), note, override_reason)
    # the workflow's checks (role, status, inputs) before anything is asked or promised
    complaint_services.prepare_transition(
        actor=actor, complaint_id=complaint_id, action="propose_plan", inputs=inputs
    )
    if expected_version is not None and option.complaint.version != expected_version:
        raise stale_version()
    lines = list(option.lines.all())
    remedies = sorted({line.remedy for line in lines})
    amounts: dict[str, Decimal] = {}
    for line in lines:
        amounts[line.remedy] = amounts.get(line.remedy, Decimal("0.00")) + line.amount
    if option.state == OptionState.APPROVED:  # its approval opened the payment and gift tasks
        complaint = _propose_now(actor=actor, option=option, inputs=inputs, expected_version=expected_version)
        return Proposal(option, complaint)
    if approval_services.within_authority(user=actor, total=option.total, remedies=remedies):
        complaint = _propose_now(actor=actor, option=option, inputs=inputs, expected_version=expected_version)
        if any(code in MONEY_REMEDIES or code == Remedy.GIFT for code in remedies):
            # money or a gift promised within the proposer's own authority: finance (财务部) pays
            # and administration (行政) hands it over, as for an approved promise
            approval_services.record_within_authority(
                actor=actor,
                complaint=option.complaint,
                subject_model=SUBJECT_MODEL,
                subject_id=option.pk,
                total=option.total,
                remedies=remedies,
                summary=option_services.summary(option, [(ln.remedy, ln.amount, ln.note) for ln in lines]),
                amounts=amounts,
            )
        return Proposal(option, complaint)
    request = approval_services.open_request(
        actor=actor,
        complaint=option.complaint,
        subject_model=SUBJECT_MODEL,
        subject_id=option.pk,
        total=option.total,
        remedies=remedies,
        summary=option_services.summary(option, [(ln.remedy, ln.amount, ln.note) for ln in lines]),
        amounts=amounts,
    )
    option_services.mark_pending_approval(
        actor=actor,
        option=option,
        request_id=request.pk,
        at=timezone.now(),
        root_cause=inputs[workflow.ROOT_CAUSE],
    )
    return Proposal(option, option.complaint, request)


@transaction.atomic
def propose_approved_option(*, actor: User, option_id: int, request_id: int) -> Option:
    """Called by the approvals flow when the last approver approves: the option is approved and,
    if the complaint still waits for a plan, proposed at once on behalf of whoever asked (the
    timeline names the approver); otherwise it stays approved and the desk proposes it later.
    409 when the option no longer waits for this request (revised, or decided already)."""
    option = Option.objects.select_for_update().filter(pk=option_id).first()
    if option is None:
        raise NotFound(_("No such option."))
    option_services.mark_approved(option=option, request_id=request_id, at=timezone.now())
    proposer = option.proposed_by or option.created_by
    complaint = option.complaint
    step = workflow.BY_ACTION["propose_plan"]
    if complaint.status not in step.sources or not proposer.is_active:
        return option
    note = _("Approved by %(name)s (approval request %(id)s).") % {"name": actor, "id": request_id}
    inputs = _plan_inputs(option, _root_cause(option, None), note, None)
    try:
        with transaction.atomic():
            _propose_now(actor=proposer, option=option, inputs=inputs, expected_version=None)
    except DomainError:
        # e.g. no root cause recorded yet, or the proposer's role changed: approved, proposed later
        option.refresh_from_db()
    return option


@transaction.atomic
def approval_refused(
    *, actor: User | None, option_id: int, request_id: int, reason: str = ""
) -> Option | None:
    """Called by the approvals flow when a request is rejected or sent back: the option is a
    draft again (to change and propose anew, or to replace)."""
    option = Option.objects.select_for_update().filter(pk=option_id).first()
    if option is None:
        return None
    return option_services.mark_sent_back(actor=actor, option=option, request_id=request_id, reason=reason)


# --- the customer's answer -----------------------------------------------------------------------


@transaction.atomic
def record_answer(
    *,
    actor: User,
    complaint_id: int,
    option_id: int,
    data: option_services.AnswerInput,
    expected_version: int | None = None,
) -> OptionAnswer:
    """The customer's answer to the proposed option: agreed (drives ``customer_agrees``),
    rejected with the reason (``customer_rejects``: back to investigating), or asked for time
    (recorded, no move). 404 out of scope, 403 the role, 422 an option not proposed (naming
    ``option_id``) or a bad field, 409 the same answer twice."""
    option = option_services.get_option(
        actor=actor, complaint_id=complaint_id, option_id=option_id, for_update=True
    )
    _check_role(actor, "customer_agrees")
    option_services.check_answerable(option, data.answer)
    clean = option_services.clean_answer(data, complaint=option.complaint)
    answer = option_services.record_answer(actor=actor, option=option, clean=clean)
    note = option_services.answer_note(option, answer)
    if clean.answer == CustomerAnswer.ASKED_FOR_TIME:
        option_services.record_asked_for_time(actor=actor, option=option, answer=answer)
        return answer
    action = "customer_agrees" if clean.answer == CustomerAnswer.AGREED else "customer_rejects"
    try:
        transition(
            actor=actor,
            complaint_id=complaint_id,
            action=action,
            inputs={workflow.NOTE: note},
            expected_version=expected_version,
        )
    except InvalidInput as exc:  # the note is built here: a problem with it is the answer's
        exc.fields = {"answer": exc.message}
        raise
    return answer
