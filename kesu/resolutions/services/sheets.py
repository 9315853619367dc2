"""Contact sheets (联络单, seed 002 §3.4): the desk asks one or more departments (对策单位) to
investigate a complaint by a due date; each answers with the facts found, the root cause and its
dimension (人员 / 组织 / 技术), whether the dealer can solve it in-house (and its countermeasure
options, kesu.resolutions.services.options); the desk may send an answer back for rework, saying
why. When departments disagree, or a supplier is responsible, the general manager decides which
finding stands (§3.6: 争议由总经理室协调; 涉及供应商责任时由总经理处理) — once.

Each open sheet is a work item (kind contact_sheet) of the department; every step is on the
complaint's timeline. Due times come from the caller (kesu.flows.contact_sheets: the dealer's
working calendar)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import events
from kesu.complaints.choices import TERMINAL_STATES, EventKind
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import DomainError, Forbidden, NotFound, not_one_of, raise_if
from kesu.organizations.choices import Role
from kesu.organizations.models import User
from kesu.worklist import items as worklist
from kesu.worklist.choices import WorkKind

from ..choices import OPEN_SHEET_STATES, CauseDimension, FindingsBasis, SheetState
from ..models import ContactSheet, FindingsDecision
from .common import DESK_ROLES, department_of, is_dealer_role, text_problem

SHEET_REF = "resolutions.contactsheet"


class Conflict(DomainError):
    status = 409
    code = "conflict"


@dataclass
class DueTimes:
    """How due dates become due times at this dealer: ``on(day)`` the close of that working day
    (None: the dealer is closed that day), ``default`` when the desk gives none."""

    on: Callable[[date], datetime | None]
    default: datetime


# --- reading -------------------------------------------------------------------------------------


def sheets_of(
    *, actor: User, complaint_id: int
) -> tuple[Complaint, list[ContactSheet], FindingsDecision | None]:
    """A complaint's sheets and the GM's decision, if any (404 out of scope)."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)
    sheets = list(
        ContactSheet.objects.filter(complaint=complaint)
        .select_related("department", "assignee", "sent_by", "answered_by")
        .prefetch_related("options")
    )
    decision = FindingsDecision.objects.filter(complaint=complaint).select_related("decided_by").first()
    return complaint, sheets, decision


def get_sheet(*, actor: User, sheet_id: int, for_update: bool = False) -> ContactSheet:
    """A sheet of a complaint in the actor's scope, or 404 (the same answer if it does not exist)."""
    queryset = ContactSheet.objects.filter(
        pk=sheet_id, complaint__in=Complaint.objects.visible_to(actor).values("pk")
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    sheet = queryset.select_related("department", "complaint").first()
    if sheet is None:
        raise NotFound(_("No such contact sheet."))
    return sheet


def open_sheets_for(*, actor: User) -> list[ContactSheet]:
    """The open sheets the actor's department has to answer (a manager: the whole dealer's)."""
    if actor.organization_id is None:
        return []
    queryset = ContactSheet.objects.filter(state__in=sorted(OPEN_SHEET_STATES)).select_related(
        "department", "complaint"
    )
    if actor.is_kesu_admin:
        return list(queryset.order_by("due_at")[:200])
    if is_dealer_role(actor, _dealer_of(actor), frozenset({Role.GENERAL_MANAGER, Role.SERVICE_MANAGER})):
        queryset = queryset.filter(dealer_id=_dealer_of(actor))
    else:
        queryset = queryset.filter(department_id=actor.organization_id)
    return list(queryset.order_by("due_at")[:200])


def _dealer_of(actor: User) -> int:
    org = actor.organization
    dealer = org.dealer if org is not None else None
    return dealer.pk if dealer is not None else -1


def may_send(actor: User, complaint: Complaint) -> bool:
    return is_dealer_role(actor, complaint.dealer_id, DESK_ROLES)


def may_answer(actor: User, sheet: ContactSheet) -> bool:
    """Someone of the department, the dealer's general manager, or the administrator."""
    if actor.is_kesu_admin:
        return True
    if not actor.is_active:
        return False
    if actor.organization_id == sheet.department_id:
        return True
    return is_dealer_role(actor, sheet.dealer_id, frozenset({Role.GENERAL_MANAGER}))


def may_decide(actor: User, complaint: Complaint) -> bool:
    return is_dealer_role(actor, complaint.dealer_id, frozenset({Role.GENERAL_MANAGER}))


# --- sending ---------------------------------------------------------------------------------------


def _due_problem(due_date: date | None, due: DueTimes) -> tuple[datetime | None, str | None]:
    if due_date is None:
        return due.default, None
    if due_date < timezone.localdate():
        return None, _("The due date %(day)s is in the past.") % {"day": due_date.isoformat()}
    due_at = due.on(due_date)
    if due_at is None:
        return None, _("The dealer is closed on %(day)s: choose a working day.") % {
            "day": due_date.isoformat()
        }
    if due_at <= timezone.now():
        return None, _("The working day %(day)s is over: choose a later day.") % {"day": due_date.isoformat()}
    return due_at, None


def _department_handler(department_id: int) -> int | None:
    """Who in the department gets the work item: its first active department staff member."""
    return (
        User.objects.filter(organization_id=department_id, is_active=True, role=Role.DEPARTMENT_STAFF)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _open_work_item(sheet: ContactSheet, complaint: Complaint) -> None:
    worklist.open_item(
        dealer_id=sheet.dealer_id,
        kind=WorkKind.CONTACT_SHEET,
        due_at=sheet.due_at,
        subject=_("Contact sheet %(number)s: %(question)s")
        % {"number": complaint.number, "question": sheet.question},
        ref_model=SHEET_REF,
        ref_id=sheet.pk,
        assignee_id=sheet.assignee_id,
        complaint_id=complaint.pk,
        customer_id=complaint.customer_id,
    )


@transaction.atomic
def send_sheets(
    *,
    actor: User,
    complaint_id: int,
    department_ids: Sequence[int],
    question: str,
    due_date: date | None,
    due: DueTimes,
) -> list[ContactSheet]:
    """Send a sheet to each department (404 out of scope; 403 a role not at the dealer's desk;
    409 a closed complaint; 422 naming ``department_ids``, ``question`` or ``due_date``)."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not may_send(actor, complaint):
        raise Forbidden(_("Only the dealer's desk sends contact sheets."))
    if complaint.status in TERMINAL_STATES:
        raise Conflict(_("The complaint is closed: no more contact sheets."))
    errors: dict[str, str] = {}
    wanted = list(dict.fromkeys(department_ids))
    departments = [department_of(complaint.dealer_id, pk) for pk in wanted]
    if not wanted:
        errors["department_ids"] = _("Choose at least one department.")
    elif any(d is None for d in departments):
        errors["department_ids"] = _("Choose departments of this complaint's dealer.")
    else:
        busy = set(
            ContactSheet.objects.filter(
                complaint=complaint, department_id__in=wanted, state__in=sorted(OPEN_SHEET_STATES)
            ).values_list("department__name", flat=True)
        )
        if busy:
            errors["department_ids"] = _("Already waiting for an answer from: %(names)s.") % {
                "names": "、".join(sorted(busy))
            }
    question = (question or "").strip()
    problem = text_problem(question)
    if problem:
        errors["question"] = problem
    due_at, problem = _due_problem(due_date, due)
    if problem:
        errors["due_date"] = problem
    raise_if(errors)
    assert due_at is not None
    sheets = []
    for department in departments:
        assert department is not None
        sheet = ContactSheet.objects.create(
            complaint=complaint,
            dealer_id=complaint.dealer_id,
            department=department,
            assignee_id=_department_handler(department.pk),
            question=question,
            due_at=due_at,
            sent_by=actor,
        )
        _open_work_item(sheet, complaint)
        events.record_resolution_step(
            complaint,
            actor,
            kind=EventKind.CONTACT_SHEET,
            action="sent",
            note=question,
            changes={
                "department_id": [None, department.pk],
                "due": [None, due_at.isoformat()],
                "sheet": [None, sheet.pk],
            },
        )
        sheets.append(sheet)
    return sheets


# --- answering and rework ------------------------------------------------------------------------


@dataclass
class Answer:
    facts: str
    root_cause: str
    dimension: str
    in_house: bool | None
    supplier: str = ""


@transaction.atomic
def answer_sheet(*, actor: User, sheet_id: int, answer: Answer) -> ContactSheet:
    """The department's answer (404 out of scope; 403 not the department; 409 not waiting for an
    answer; 422 naming ``facts``, ``root_cause``, ``dimension``, ``in_house`` or ``supplier``)."""
    sheet = get_sheet(actor=actor, sheet_id=sheet_id, for_update=True)
    if not may_answer(actor, sheet):
        raise Forbidden(_("Only the department the sheet was sent to answers it."))
    if not sheet.is_open:
        raise Conflict(_("This contact sheet is not waiting for an answer."))
    errors: dict[str, str] = {}
    facts, root_cause = (answer.facts or "").strip(), (answer.root_cause or "").strip()
    supplier = (answer.supplier or "").strip()
    for name, value in (("facts", facts), ("root_cause", root_cause)):
        problem = text_problem(value)
        if problem:
            errors[name] = problem
    if answer.dimension not in CauseDimension.values:
        errors["dimension"] = not_one_of(
            answer.dimension, [f"{v} ({label})" for v, label in CauseDimension.choices]
        )
    if answer.in_house is None:
        errors["in_house"] = _("Say whether the dealer can solve it in-house.")
    problem = text_problem(supplier, required=False, limit=120)
    if problem:
        errors["supplier"] = problem
    raise_if(errors)
    sheet.facts, sheet.root_cause, sheet.dimension = facts, root_cause, answer.dimension
    sheet.in_house, sheet.supplier = answer.in_house, supplier
    sheet.state, sheet.answered_by, sheet.answered_at = SheetState.ANSWERED, actor, timezone.now()
    sheet.save()
    worklist.close_item(ref_model=SHEET_REF, ref_id=sheet.pk, kind=WorkKind.CONTACT_SHEET, by=actor)
    changes: dict[str, list[object]] = {
        "department_id": [None, sheet.department_id],
        "dimension": [None, sheet.dimension],
        "in_house": [None, sheet.in_house],
        "sheet": [None, sheet.pk],
    }
    if supplier:
        changes["supplier"] = [None, supplier]
    events.record_resolution_step(
        sheet.complaint,
        actor,
        kind=EventKind.CONTACT_SHEET,
        action="answered",
        note=root_cause,
        changes=changes,
    )
    return sheet


@transaction.atomic
def rework_sheet(
    *, actor: User, sheet_id: int, reason: str, due_date: date | None, due: DueTimes
) -> ContactSheet:
    """Send an answered sheet back to its department, saying why (404; 403 not the desk; 409 not
    answered, or the GM has decided; 422 naming ``reason`` or ``due_date``)."""
    sheet = get_sheet(actor=actor, sheet_id=sheet_id, for_update=True)
    complaint = sheet.complaint
    if not may_send(actor, complaint):
        raise Forbidden(_("Only the dealer's desk sends a contact sheet back."))
    if sheet.state != SheetState.ANSWERED:
        raise Conflict(_("Only an answered contact sheet can be sent back for rework."))
    if FindingsDecision.objects.filter(complaint_id=complaint.pk).exists():
        raise Conflict(_("The general manager has decided the findings already."))
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    problem = text_problem(reason)
    if problem:
        errors["reason"] = _("Say why the answer goes back.") if not reason else problem
    if due_date is None and sheet.due_at > timezone.now():
        due_at: datetime | None = sheet.due_at
    else:
        due_at, problem = _due_problem(due_date, due)
        if problem:
            errors["due_date"] = problem
    raise_if(errors)
    assert due_at is not None
    sheet.state, sheet.rework_reason, sheet.due_at = SheetState.REWORK, reason, due_at
    sheet.round += 1
    sheet.save(update_fields=["state", "rework_reason", "due_at", "round"])
    _open_work_item(sheet, complaint)
    events.record_resolution_step(
        complaint,
        actor,
        kind=EventKind.CONTACT_SHEET,
        action="rework",
        note=reason,
        changes={
            "department_id": [None, sheet.department_id],
            "due": [None, due_at.isoformat()],
            "sheet": [None, sheet.pk],
        },
    )
    return sheet


# --- the general manager's decision --------------------------------------------------------------


@transaction.atomic
def decide_findings(
    *, actor: User, complaint_id: int, sheet_id: int | None, basis: str, reason: str, supplier: str = ""
) -> FindingsDecision:
    """The general manager decides which department's finding stands, and why (404 out of scope;
    403 not the dealer's GM; 409 decided already; 422 naming ``sheet_id``, ``basis``,
    ``supplier`` or ``reason``)."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not may_decide(actor, complaint):
        raise Forbidden(_("Only the dealer's general manager decides between the findings."))
    if FindingsDecision.objects.filter(complaint=complaint).exists():
        raise Conflict(_("The findings of this complaint have been decided already."), code="already_decided")
    errors: dict[str, str] = {}
    answered = {
        sheet.pk: sheet
        for sheet in ContactSheet.objects.filter(complaint=complaint, state=SheetState.ANSWERED)
    }
    sheet = answered.get(sheet_id) if sheet_id is not None else None
    if sheet is None:
        errors["sheet_id"] = _("Choose an answered contact sheet of this complaint.")
    if basis not in FindingsBasis.values:
        errors["basis"] = not_one_of(basis, FindingsBasis.values)
    elif basis == FindingsBasis.DISAGREEMENT and len(answered) < 2:
        errors["basis"] = _("Only one department has answered: there is no disagreement to settle.")
    supplier = (supplier or "").strip()
    if basis == FindingsBasis.SUPPLIER and not supplier:
        errors["supplier"] = _("Name the supplier.")
    problem = text_problem(supplier, required=False, limit=120)
    if problem:
        errors["supplier"] = problem
    reason = (reason or "").strip()
    problem = text_problem(reason)
    if problem:
        errors["reason"] = problem
    raise_if(errors)
    assert sheet is not None
    decision = FindingsDecision.objects.create(
        complaint=complaint, sheet=sheet, basis=basis, supplier=supplier, reason=reason, decided_by=actor
    )
    changes: dict[str, list[object]] = {
        "department_id": [None, sheet.department_id],
        "basis": [None, basis],
        "sheet": [None, sheet.pk],
    }
    if supplier:
        changes["supplier"] = [None, supplier]
    events.record_resolution_step(
        complaint, actor, kind=EventKind.FINDINGS, action="decided", note=reason, changes=changes
    )
    return decision
