"""Accountability (seed 002 §3.5): who is responsible for a complaint — a department and/or a
person, a supplier (then the general manager decides), or nobody — and penalty notices
(奖罚通知单): the amount proposed by the service manager, approved by the general manager,
acknowledged by the person concerned, who sees only their own. Each month the managers review
the serious complaints (重大 / 危机) closed the month before that still await a decision."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import events
from kesu.complaints.choices import EventKind, Severity, Status
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import Forbidden, NotFound, not_one_of, raise_if
from kesu.organizations.choices import Role
from kesu.organizations.models import User

from ..choices import NoticeKind, NoticeState, ResponsibleKind
from ..models import PenaltyNotice, Responsibility
from .common import MANAGERS, department_of, is_dealer_role, person_of, text_problem
from .sheets import Conflict

SERIOUS = (Severity.MAJOR, Severity.CRISIS)
MAX_AMOUNT = Decimal("99999999.99")
GM = frozenset({Role.GENERAL_MANAGER})
SM = frozenset({Role.SERVICE_MANAGER})
# Who reads the monthly list (the dealer's managers; a region its dealers'; the administrator).
REVIEWERS = frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.REGION_MANAGER})


def amount_problem(amount: Decimal | None) -> str | None:
    """An amount in CNY: a finite number ≥ 0 with at most two decimal places, below 100 million."""
    if amount is None:
        return _("Give an amount such as 1200.50.")
    try:
        if not amount.is_finite():
            return _("Give an amount such as 1200.50.")
        if amount < 0:
            return _("The amount cannot be negative.")
        if amount > MAX_AMOUNT:
            return _("At most %(limit)s.") % {"limit": MAX_AMOUNT}
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(Decimal("0.01")):
            return _("At most two decimal places (fen).")
    except InvalidOperation:
        return _("Give an amount such as 1200.50.")
    return None


# --- responsibility ------------------------------------------------------------------------------


def responsibility_of(*, actor: User, complaint_id: int) -> Responsibility | None:
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)
    return Responsibility.objects.filter(complaint=complaint).select_related("department", "person").first()


def may_find_responsibility(actor: User, complaint: Complaint) -> bool:
    return is_dealer_role(actor, complaint.dealer_id, MANAGERS)


@dataclass
class Finding:
    kind: str
    reason: str
    department_id: int | None = None
    person_id: int | None = None
    supplier: str = ""


@transaction.atomic
def record_responsibility(*, actor: User, complaint_id: int, finding: Finding) -> Responsibility:
    """Record who is responsible (404 out of scope; 403 not the dealer's manager, or a supplier
    named by anyone but the general manager; 409 decided already; 422 naming ``kind``,
    ``department_id``, ``person_id``, ``supplier`` or ``reason``)."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not may_find_responsibility(actor, complaint):
        raise Forbidden(_("Only the dealer's service manager or general manager records responsibility."))
    if finding.kind == ResponsibleKind.SUPPLIER and not is_dealer_role(actor, complaint.dealer_id, GM):
        raise Forbidden(_("A supplier's responsibility is decided by the general manager."))
    if Responsibility.objects.filter(complaint=complaint).exists():
        raise Conflict(
            _("Responsibility for this complaint has been decided already."), code="already_decided"
        )
    errors: dict[str, str] = {}
    if finding.kind not in ResponsibleKind.values:
        errors["kind"] = not_one_of(finding.kind, ResponsibleKind.values)
    department = department_of(complaint.dealer_id, finding.department_id)
    if finding.department_id is not None and department is None:
        errors["department_id"] = _("Choose a department of this complaint's dealer.")
    elif finding.kind == ResponsibleKind.DEPARTMENT and department is None:
        errors["department_id"] = _("Choose the department responsible.")
    person = person_of(complaint.dealer_id, finding.person_id)
    if finding.person_id is not None and person is None:
        errors["person_id"] = _("Choose a person who works for this complaint's dealer.")
    elif finding.kind == ResponsibleKind.PERSON and person is None:
        errors["person_id"] = _("Choose the person responsible.")
    supplier = (finding.supplier or "").strip()
    if finding.kind == ResponsibleKind.SUPPLIER and not supplier:
        errors["supplier"] = _("Name the supplier.")
    problem = text_problem(supplier, required=False, limit=120)
    if problem:
        errors["supplier"] = problem
    reason = (finding.reason or "").strip()
    problem = text_problem(reason)
    if problem:
        errors["reason"] = problem
    raise_if(errors)
    decided = Responsibility.objects.create(
        complaint=complaint,
        kind=finding.kind,
        department=department,
        person=person,
        supplier=supplier,
        reason=reason,
        decided_by=actor,
    )
    changes: dict[str, list[object]] = {"responsible": [None, finding.kind]}
    if department is not None:
        changes["department_id"] = [None, department.pk]
    if supplier:
        changes["supplier"] = [None, supplier]
    events.record_resolution_step(
        complaint, actor, kind=EventKind.ACCOUNTABILITY, action="responsibility", note=reason, changes=changes
    )
    return decided


# --- penalty notices (奖罚通知单) -------------------------------------------------------------------


def notices(*, actor: User, complaint_id: int | None = None, state: str = "") -> QuerySet[PenaltyNotice]:
    """The notices the actor may see: their own, or (a manager) the dealer's."""
    queryset = PenaltyNotice.objects.visible_to(actor).select_related("person", "complaint", "department")
    if complaint_id is not None:
        queryset = queryset.filter(complaint_id=complaint_id)
    if state:
        queryset = queryset.filter(state=state)
    return queryset


def get_notice(*, actor: User, notice_id: int, for_update: bool = False) -> PenaltyNotice:
    queryset = PenaltyNotice.objects.visible_to(actor)
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    notice = queryset.select_related("person", "complaint", "department").filter(pk=notice_id).first()
    if notice is None:
        raise NotFound(_("No such penalty notice."))
    return notice


def may_propose(actor: User, complaint: Complaint) -> bool:
    return is_dealer_role(actor, complaint.dealer_id, SM)


def may_approve(actor: User, notice: PenaltyNotice) -> bool:
    return is_dealer_role(actor, notice.dealer_id, GM)


@dataclass
class NoticeInput:
    person_id: int | None
    amount: Decimal | None
    reason: str
    kind: str = NoticeKind.PENALTY
    department_id: int | None = None


@transaction.atomic
def propose_notice(*, actor: User, complaint_id: int, data: NoticeInput) -> PenaltyNotice:
    """The service manager proposes a notice (404 out of scope; 403 not the dealer's service
    manager; 422 naming ``person_id``, ``kind``, ``amount``, ``department_id`` or ``reason``)."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not may_propose(actor, complaint):
        raise Forbidden(_("Only the dealer's service manager proposes a penalty notice."))
    errors: dict[str, str] = {}
    person = person_of(complaint.dealer_id, data.person_id)
    if person is None:
        errors["person_id"] = _("Choose a person who works for this complaint's dealer.")
    if data.kind not in NoticeKind.values:
        errors["kind"] = not_one_of(data.kind, NoticeKind.values)
    problem = amount_problem(data.amount)
    if problem:
        errors["amount"] = problem
    department = department_of(complaint.dealer_id, data.department_id)
    if data.department_id is not None and department is None:
        errors["department_id"] = _("Choose a department of this complaint's dealer.")
    reason = (data.reason or "").strip()
    problem = text_problem(reason)
    if problem:
        errors["reason"] = problem
    raise_if(errors)
    assert person is not None and data.amount is not None
    if (
        department is None
        and person.organization is not None
        and person.organization.parent_id == complaint.dealer_id
    ):
        department = person.organization
    notice = PenaltyNotice.objects.create(
        complaint=complaint,
        dealer_id=complaint.dealer_id,
        person=person,
        department=department,
        kind=data.kind,
        amount=data.amount.quantize(Decimal("0.01")),
        reason=reason,
        proposed_by=actor,
    )
    # the timeline is read by the whole desk: the notice's person and amount stay on the notice
    events.record_resolution_step(
        complaint,
        actor,
        kind=EventKind.ACCOUNTABILITY,
        action="notice_proposed",
        changes={"notice": [None, notice.pk]},
    )
    return notice


@transaction.atomic
def decide_notice(*, actor: User, notice_id: int, decision: str, comment: str) -> PenaltyNotice:
    """The general manager approves or rejects a proposed notice (404 not visible; 403 not the
    dealer's GM, or their own notice; 409 decided already; 422 naming ``decision`` or ``comment``)."""
    notice = get_notice(actor=actor, notice_id=notice_id, for_update=True)
    if not may_approve(actor, notice):
        raise Forbidden(_("Only the dealer's general manager approves a penalty notice."))
    if actor.pk in (notice.person_id, notice.proposed_by_id):
        raise Forbidden(_("Nobody decides a notice about themselves or proposed by themselves."))
    if notice.state != NoticeState.PROPOSED:
        raise Conflict(_("This penalty notice has been decided already."), code="already_decided")
    errors: dict[str, str] = {}
    if decision not in ("approve", "reject"):
        errors["decision"] = not_one_of(decision, ["approve", "reject"])
    comment = (comment or "").strip()
    problem = text_problem(comment, required=decision == "reject")
    if problem:
        errors["comment"] = _("Say why the notice is rejected.") if not comment else problem
    raise_if(errors)
    notice.state = NoticeState.APPROVED if decision == "approve" else NoticeState.REJECTED
    notice.decided_by, notice.decided_at, notice.decision_comment = actor, timezone.now(), comment
    notice.save(update_fields=["state", "decided_by", "decided_at", "decision_comment"])
    events.record_resolution_step(
        notice.complaint,
        actor,
        kind=EventKind.ACCOUNTABILITY,
        action="notice_approved" if decision == "approve" else "notice_rejected",
        changes={"notice": [None, notice.pk]},
    )
    return notice


@transaction.atomic
def acknowledge_notice(*, actor: User, notice_id: int) -> PenaltyNotice:
    """The person concerned acknowledges an approved notice (404 not visible; 403 someone else;
    409 not approved, or acknowledged already)."""
    notice = get_notice(actor=actor, notice_id=notice_id, for_update=True)
    if notice.person_id != actor.pk:
        raise Forbidden(_("Only the person concerned acknowledges a penalty notice."))
    if notice.state != NoticeState.APPROVED:
        raise Conflict(_("Only an approved notice that is not yet acknowledged can be acknowledged."))
    notice.state, notice.acknowledged_at = NoticeState.ACKNOWLEDGED, timezone.now()
    notice.save(update_fields=["state", "acknowledged_at"])
    events.record_resolution_step(
        notice.complaint,
        actor,
        kind=EventKind.ACCOUNTABILITY,
        action="notice_acknowledged",
        changes={"notice": [None, notice.pk]},
    )
    return notice


# --- the monthly list ----------------------------------------------------------------------------


def month_bounds(month: date | None) -> tuple[date, datetime, datetime]:
    """The month (default: last month, local time) as [start, end) aware datetimes."""
    if month is None:
        first_of_this = timezone.localdate().replace(day=1)
        month = (first_of_this - timedelta(days=1)).replace(day=1)
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (
        first,
        datetime.combine(first, time(), tzinfo=zone),
        datetime.combine(following, time(), tzinfo=zone),
    )


def may_review(actor: User) -> bool:
    return actor.is_kesu_admin or (actor.is_active and actor.role in REVIEWERS)


def awaiting_decision(*, actor: User, month: date | None = None) -> tuple[date, list[Complaint]]:
    """Serious complaints (重大 / 危机) closed in ``month`` (default last month) in the actor's
    scope with no responsibility decided yet (403 a role that does not review them)."""
    if not may_review(actor):
        raise Forbidden(_("Only the managers review accountability."))
    first, start, end = month_bounds(month)
    complaints = list(
        Complaint.objects.visible_to(actor)
        .filter(status=Status.CLOSED, severity__in=SERIOUS, closed_at__gte=start, closed_at__lt=end)
        .exclude(pk__in=Responsibility.objects.values("complaint_id"))
        .select_related("department", "dealer")
        .order_by("closed_at", "pk")[:500]
    )
    return first, complaints
