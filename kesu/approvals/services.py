"""Authority limits (核决权限) and approvals: what a role may promise, the chain of approvers a
bigger promise climbs, their decisions, the approval clock, and the payment and gift tasks.

A leaf: it reads complaints and organisations through their models and selectors and writes the
timeline (complaints.events), notifications (notifications.outbox) and work items
(worklist.items) inside its own transaction. What an approval means for the subject (an option
proposed to the customer) is composed in ``kesu.flows.approvals``.

The ladder (seed 002: 营业单位不得超越核决权限): service manager → general manager → the
carmaker's region manager. A request goes to the first rung above the requester whose limit
covers the total and every remedy; when that rung is the region, the dealer's general manager
signs first (the dealer's own sign-off before the case leaves it) unless the requester is the
general manager. No covering rung with someone holding it → ``over_authority`` (422).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import events
from kesu.complaints.models import Complaint
from kesu.core.errors import DomainError, Forbidden, InvalidInput, NotFound, invalid, not_one_of
from kesu.notifications.choices import Kind
from kesu.notifications.outbox import Message, send_messages
from kesu.organizations import tree
from kesu.organizations.choices import DEALER_ROLES, OrgKind, Role
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import user_dealer_id
from kesu.resolutions.choices import Remedy
from kesu.sla.selectors import add_working_days
from kesu.worklist import items
from kesu.worklist.choices import WorkKind

from .choices import (
    LADDER,
    LIMIT_ROLES,
    MONEY_REMEDIES,
    Decision,
    RequestStatus,
    StepState,
    TaskKind,
    TaskStatus,
)
from .defaults import DEFAULTS
from .models import ApprovalDecision, ApprovalRequest, ApprovalStep, AuthorityLimit, PaymentTask

MAX_AMOUNT = Decimal("9999999999.99")  # 12 digits, 2 places (the columns)
MAX_SUMMARY = 2000
MAX_COMMENT = 2000
STEP_WORKING_DAYS: int = getattr(settings, "KESU_APPROVAL_STEP_WORKING_DAYS", 1)
OVERDUE_BATCH = 500
SUBJECT_MODEL_MAX = 40


class Conflict(DomainError):
    status = 409
    code = "conflict"


class OverAuthority(DomainError):
    status = 422
    code = "over_authority"


# --- amounts and remedies ---------------------------------------------------------------------


def money(value: object, field: str) -> Decimal:
    """A CNY amount: a finite Decimal ≥ 0 with at most 2 places and 12 digits, else 422 on
    ``field``. Floats are refused (they are never exact)."""
    if isinstance(value, (bool, float)):
        raise invalid(field, _("Give an amount such as 1200.50."))
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise invalid(field, _("Give an amount such as 1200.50.")) from None
    if not amount.is_finite():
        raise invalid(field, _("Give an amount such as 1200.50."))
    if amount < 0:
        raise invalid(field, _("An amount cannot be negative."))
    if amount > MAX_AMOUNT:
        raise invalid(field, _("At most %(limit)s.") % {"limit": f"{MAX_AMOUNT:,}"})
    if amount != amount.quantize(Decimal("0.01")):
        raise invalid(field, _("At most 2 decimal places (fen)."))
    return amount.quantize(Decimal("0.01"))


def remedy_list(values: Iterable[object], field: str = "remedies") -> list[str]:
    """Known remedy codes, each once, in the vocabulary's order."""
    chosen = set()
    for value in values:
        if value not in Remedy.values:
            raise invalid(field, not_one_of(value, Remedy.values))
        chosen.add(str(value))
    return [code for code in Remedy.values if code in chosen]


def cny(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def remedy_labels(codes: Iterable[str]) -> str:
    labels = dict(Remedy.choices)
    return "、".join(str(labels.get(code, code)) for code in codes)


# --- authority ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Authority:
    """What one role may promise on its own at one organisation."""

    role: str
    max_total: Decimal
    remedies: frozenset[str]
    source_org_id: int | None = None  # where the limit was set; None: the installation's default

    def covers(self, total: Decimal, remedies: Iterable[str]) -> bool:
        return total <= self.max_total and set(remedies) <= self.remedies

    def describe(self) -> str:
        """ "区域经理：最多 ¥1,000,000.00；退货、换货…" — how an error names the limit."""
        role = str(Role(self.role).label) if self.role in Role.values else self.role
        remedies = remedy_labels(code for code in Remedy.values if code in self.remedies) or _("none")
        return _("%(role)s: at most %(total)s; remedies: %(remedies)s") % {
            "role": role,
            "total": cny(self.max_total),
            "remedies": remedies,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "max_total": str(self.max_total),
            "remedies": [code for code in Remedy.values if code in self.remedies],
            "source_organization_id": self.source_org_id,
        }


NO_AUTHORITY = Decimal("0.00")


def _org_chain(organization_id: int | None) -> list[int]:
    return [pk for pk, _code, _kind in tree.chain(organization_id)]


def limits_at(organization_id: int | None, roles: Iterable[str] = LIMIT_ROLES) -> dict[str, Authority]:
    """The effective limit of each role at an organisation: its own row, else the nearest
    ancestor's, else the installation's row, else the default in code (defaults.py); a role with
    none may promise nothing."""
    roles = list(roles)
    chain = _org_chain(organization_id)
    rank = {org_id: position for position, org_id in enumerate(chain)}
    rows = AuthorityLimit.objects.filter(role__in=roles).filter(
        Q(organization_id__in=chain) | Q(organization__isnull=True)
    )
    best: dict[str, AuthorityLimit] = {}
    for row in rows:
        position = rank.get(row.organization_id, len(chain)) if row.organization_id else len(chain)
        current = best.get(row.role)
        current_position = (
            rank.get(current.organization_id, len(chain))
            if current and current.organization_id
            else len(chain)
        )
        if current is None or position < current_position:
            best[row.role] = row
    found: dict[str, Authority] = {}
    for role in roles:
        limit = best.get(role)
        if limit:
            found[role] = Authority(role, limit.max_total, frozenset(limit.remedies), limit.organization_id)
        elif role in DEFAULTS:
            max_total, remedies = DEFAULTS[role]
            found[role] = Authority(role, max_total, frozenset(remedies))
        else:
            found[role] = Authority(role, NO_AUTHORITY, frozenset())
    return found


def _home_org(user: User) -> int | None:
    """Where a user's limit is looked up: their dealer for the dealer's people, else their
    organisation (a region manager's region)."""
    if user.role in DEALER_ROLES:
        return user_dealer_id(user)
    return user.organization_id


def authority_of(user: User) -> Authority:
    """What ``user`` may promise on their own (a role without a limit: nothing)."""
    if not user.is_active or user.role not in LIMIT_ROLES:
        return Authority(user.role, NO_AUTHORITY, frozenset())
    return limits_at(_home_org(user), [user.role])[user.role]


def within_authority(*, user: User, total: Decimal, remedies: Sequence[str]) -> bool:
    """May ``user`` promise this on their own, without an approval?"""
    return authority_of(user).covers(money(total, "total"), remedy_list(remedies))


def ladder_index(role: str) -> int:
    """The first rung above a role: 0 (service manager) for agents and everyone off the ladder."""
    return LADDER.index(Role(role)) + 1 if role in LADDER else 0


def compute_chain(
    *,
    requester_role: str,
    limits: Mapping[str, Authority],
    staffed: Iterable[str],
    total: Decimal,
    remedies: Iterable[str],
) -> list[str]:
    """The roles that must approve, in order (pure: the chain's rules in one place).

    ``limits``: each ladder role's authority at the dealer; ``staffed``: the ladder roles someone
    active holds there. Raises OverAuthority naming the highest rung's limit when no staffed rung
    above the requester covers the request."""
    remedies = set(remedies)
    staffed = set(staffed)
    start = ladder_index(requester_role)
    covering = next(
        (role for role in LADDER[start:] if role in staffed and limits[role].covers(total, remedies)),
        None,
    )
    if covering is None:
        top = limits[LADDER[-1]]
        message = _(
            "Beyond every authority limit (核决权限): nobody can approve %(total)s with %(remedies)s. "
            "The highest limit is %(limit)s."
        ) % {
            "total": cny(total),
            "remedies": remedy_labels(remedies) or _("no remedy"),
            "limit": top.describe(),
        }
        field = "total" if total > top.max_total else "remedies"
        raise OverAuthority(message, fields={field: message}, details={"limit": top.as_dict()})
    chain = [covering]
    if (
        covering == Role.REGION_MANAGER
        and start <= LADDER.index(Role.GENERAL_MANAGER)
        and Role.GENERAL_MANAGER in staffed
    ):
        chain.insert(0, Role.GENERAL_MANAGER)  # the dealer signs before the carmaker decides
    return [str(role) for role in chain]


def _region_of(dealer_id: int) -> int | None:
    return next((pk for pk, _code, kind in tree.chain(dealer_id) if kind == OrgKind.REGION), None)


def _approver_org(role: str, dealer_id: int) -> int | None:
    return _region_of(dealer_id) if role == Role.REGION_MANAGER else dealer_id


def is_approver(user: User, *, role: str, organization_id: int) -> bool:
    """Does ``user`` decide a step of ``role`` at ``organization_id`` (a dealer for its service
    and general managers, the region for its region manager)?"""
    if not user.is_active or user.role != role:
        return False
    if role in DEALER_ROLES:
        return user_dealer_id(user) == organization_id
    return user.organization_id == organization_id


def approvers_of(*, role: str, organization_id: int) -> list[User]:
    """The people who decide such a step, in a stable order."""
    if role in DEALER_ROLES:
        orgs = Organization.objects.filter(Q(pk=organization_id) | Q(parent_id=organization_id))
        people = User.objects.filter(is_active=True, role=role, organization__in=orgs)
    else:
        people = User.objects.filter(is_active=True, role=role, organization_id=organization_id)
    return list(people.select_related("organization__parent").order_by("pk"))


def _staffed(dealer_id: int) -> set[str]:
    staffed = set()
    for role in LADDER:
        org = _approver_org(role, dealer_id)
        if org is not None and approvers_of(role=role, organization_id=org):
            staffed.add(str(role))
    return staffed


# --- requests ----------------------------------------------------------------------------------


def _step_due(dealer_id: int, start: datetime) -> datetime:
    return add_working_days(organization_id=dealer_id, start=start, days=STEP_WORKING_DAYS)


def _changes(request: ApprovalRequest, **extra: Any) -> dict[str, Any]:
    return {
        "approval_id": [None, request.pk],
        "total": [None, str(request.total)],
        "remedies": [None, list(request.remedies)],
        **{key: [None, value] for key, value in extra.items()},
    }


def _subject_title(request: ApprovalRequest, complaint_number: str) -> str:
    return _("%(number)s: approve %(total)s (%(remedies)s)") % {
        "number": complaint_number,
        "total": cny(request.total),
        "remedies": remedy_labels(request.remedies) or _("no remedy"),
    }


def _start_step(request: ApprovalRequest, step: ApprovalStep, complaint: Complaint, now: datetime) -> None:
    """Make ``step`` the current one: due in STEP_WORKING_DAYS, a work item for its first
    approver, a notification to everyone who decides it."""
    step.state = StepState.PENDING
    step.due_at = _step_due(request.dealer_id, now)
    step.save(update_fields=["state", "due_at"])
    request.current_position = step.position
    request.approver_role = step.role
    request.approver_org_id = step.organization_id
    request.due_at = step.due_at
    request.overdue_notified = False
    people = approvers_of(role=step.role, organization_id=step.organization_id)
    title = _subject_title(request, complaint.number)
    items.open_item(
        dealer_id=request.dealer_id,
        kind=WorkKind.APPROVAL,
        due_at=step.due_at,
        subject=title,
        ref_model=items.ref_of(step),
        ref_id=step.pk,
        assignee_id=people[0].pk if people else None,
        complaint_id=complaint.pk,
        customer_id=complaint.customer_id,
    )
    send_messages(
        [
            Message(
                recipient=person,
                kind=Kind.ASSIGNED,
                title=_("Waiting for your approval: %(title)s") % {"title": title},
                body=request.summary[:500],
                key=f"approval:{request.pk}:{step.position}",
                complaint_id=complaint.pk,
            )
            for person in people
        ]
    )


def _validated_summary(summary: str) -> str:
    summary = (summary or "").strip()
    if not summary:
        raise invalid("summary", _("Say what is to be approved."))
    if len(summary) > MAX_SUMMARY:
        raise invalid("summary", _("At most %(n)d characters.") % {"n": MAX_SUMMARY})
    return summary


def _supersede(actor: User | None, reason: str, **which: Any) -> int:
    now = timezone.now()
    with transaction.atomic():
        pending = list(
            ApprovalRequest.objects.select_for_update(of=("self",))
            .filter(status=RequestStatus.PENDING, **which)
            .select_related("complaint")
        )
        for request in pending:
            request.status = RequestStatus.SUPERSEDED
            request.decided_at = now
            request.approver_role = ""
            request.save(update_fields=["status", "decided_at", "approver_role"])
            open_steps = request.steps.filter(state__in=(StepState.WAITING, StepState.PENDING))
            for step in open_steps:
                items.close_item(
                    ref_model=items.ref_of(step), ref_id=step.pk, kind=WorkKind.APPROVAL, cancelled=True
                )
            open_steps.update(state=StepState.CANCELLED)
            events.record_approval(
                request.complaint, actor, action="superseded", note=reason, changes=_changes(request)
            )
    return len(pending)


def supersede(*, actor: User, subject_model: str, subject_id: int, reason: str = "") -> int:
    """Withdraw the pending requests about a subject (a new request replaces them): their
    approvers can no longer decide them (409 ``superseded``). Returns how many."""
    return _supersede(actor, reason, subject_model=subject_model, subject_id=subject_id)


def supersede_request(*, actor: User, request_id: int, reason: str = "") -> bool:
    """Withdraw one pending request (its subject changed: e.g. a locked option was revised).
    False when it was no longer pending."""
    reason = reason or _("What it asked to approve has changed.")
    return _supersede(actor, reason, pk=request_id) > 0


def open_request(
    *,
    actor: User,
    complaint: Complaint,
    subject_model: str,
    subject_id: int,
    total: Decimal,
    remedies: Sequence[str],
    summary: str,
    amounts: Mapping[str, Decimal] | None = None,
) -> ApprovalRequest:
    """Ask for approval of a promise beyond the actor's authority: the chain computed from the
    dealer's limits, the first step started (due in one working day), a timeline entry. A
    pending request about the same subject is superseded. ``amounts`` (remedy → CNY), when
    known, tell finance what to pay once approved.

    Raises InvalidInput naming the field, OverAuthority (422) when nobody may approve it."""
    total = money(total, "total")
    chosen = remedy_list(remedies)
    summary = _validated_summary(summary)
    if not subject_model or len(subject_model) > SUBJECT_MODEL_MAX:
        raise invalid("subject_model", _("Name the record to approve."))
    priced = {
        remedy_list([code], f"amounts.{code}")[0]: str(money(value, f"amounts.{code}"))
        for code, value in (amounts or {}).items()
    }
    dealer_id = complaint.dealer_id
    limits = limits_at(dealer_id, LADDER)
    roles = compute_chain(
        requester_role=actor.role, limits=limits, staffed=_staffed(dealer_id), total=total, remedies=chosen
    )
    with transaction.atomic():
        supersede(
            actor=actor,
            subject_model=subject_model,
            subject_id=subject_id,
            reason=_("A new approval request replaces it."),
        )
        request = ApprovalRequest.objects.create(
            complaint=complaint,
            dealer_id=dealer_id,
            subject_model=subject_model,
            subject_id=subject_id,
            total=total,
            remedies=chosen,
            amounts=priced,
            summary=summary,
            requested_by=actor,
        )
        steps = [
            ApprovalStep.objects.create(
                request=request,
                position=position,
                role=role,
                organization_id=_approver_org(role, dealer_id) or dealer_id,  # staffed: never None
            )
            for position, role in enumerate(roles)
        ]
        now = timezone.now()
        _start_step(request, steps[0], complaint, now)
        request.save()
        events.record_approval(
            complaint,
            actor,
            action="requested",
            note=summary,
            changes=_changes(request, chain=roles),
        )
    return request


def record_within_authority(
    *,
    actor: User,
    complaint: Complaint,
    subject_model: str,
    subject_id: int,
    total: Decimal,
    remedies: Sequence[str],
    summary: str,
    amounts: Mapping[str, Decimal] | None = None,
) -> tuple[ApprovalRequest, list[PaymentTask]]:
    """A promise of money or a gift within the actor's own authority (核决权限): recorded as a
    request approved at once by the actor's own limit — one step of their role, decided by them,
    the limit named in the comment — so finance (财务部) pays and administration (行政) hands the
    gift over exactly as for a promise approved up the ladder, and the record says who
    authorised it. A timeline entry ``within_authority``. OverAuthority (422) when it is not
    within the actor's authority."""
    total = money(total, "total")
    chosen = remedy_list(remedies)
    summary = _validated_summary(summary)
    authority = authority_of(actor)
    if not authority.covers(total, chosen):
        message = _("Beyond your authority limit (核决权限): %(limit)s") % {"limit": authority.describe()}
        raise OverAuthority(message, fields={"total": message}, details={"limit": authority.as_dict()})
    priced = {
        remedy_list([code], f"amounts.{code}")[0]: str(money(value, f"amounts.{code}"))
        for code, value in (amounts or {}).items()
    }
    dealer_id = complaint.dealer_id
    now = timezone.now()
    comment = _("Within my own authority limit: %(limit)s") % {"limit": authority.describe()}
    with transaction.atomic():
        request = ApprovalRequest.objects.create(
            complaint=complaint,
            dealer_id=dealer_id,
            subject_model=subject_model,
            subject_id=subject_id,
            total=total,
            remedies=chosen,
            amounts=priced,
            summary=summary,
            requested_by=actor,
            status=RequestStatus.APPROVED,
            decided_at=now,
        )
        ApprovalStep.objects.create(
            request=request,
            position=0,
            role=actor.role,
            organization_id=_approver_org(actor.role, dealer_id) or dealer_id,
            state=StepState.APPROVED,
        )
        ApprovalDecision.objects.create(
            request=request, position=0, actor=actor, decision=Decision.APPROVE, comment=comment
        )
        events.record_approval(
            complaint,
            actor,
            action="within_authority",
            note=summary,
            changes=_changes(request, role=actor.role, status=request.status),
        )
        tasks = open_tasks(request=request, amounts={k: Decimal(v) for k, v in priced.items()})
    return request, tasks


# --- decisions ---------------------------------------------------------------------------------


def get_request(*, actor: User, request_id: int) -> ApprovalRequest:
    """A request on a complaint the actor may see, or NotFound (the same answer either way)."""
    request = (
        ApprovalRequest.objects.visible_to(actor)
        .select_related("complaint", "requested_by", "approver_org")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound(_("No such approval request."))
    return request


def _validated_decision(decision: str, comment: str) -> tuple[str, str]:
    if decision not in Decision.values:
        raise invalid("decision", not_one_of(decision, Decision.values))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise invalid("comment", _("At most %(n)d characters.") % {"n": MAX_COMMENT})
    if decision != Decision.APPROVE and not comment:
        raise invalid("comment", _("Say why, so the requester knows what to change."))
    return decision, comment


def decide(*, actor: User, request_id: int, decision: str, comment: str) -> ApprovalRequest:
    """The current step's approver decides: approve (the next step starts, or the request is
    approved), reject, or send back for rework. Refused: not visible 404; one's own request
    403; not this step's approver 403; decided or superseded 409; the same decision twice 409.
    Two approvers at once: the request row is locked, the second sees the first's decision."""
    decision, comment = _validated_decision(decision, comment)
    get_request(actor=actor, request_id=request_id)  # 404 before anything is locked
    with transaction.atomic():
        request = ApprovalRequest.objects.select_for_update().get(pk=request_id)
        if request.requested_by_id == actor.pk:
            raise Forbidden(_("Nobody approves their own request."))
        earlier = {d.position: d for d in request.decisions.select_related("actor")}
        mine = next((d for d in earlier.values() if d.actor_id == actor.pk), None)
        if mine is not None:
            raise Conflict(
                _("You already decided this request (%(decision)s).")
                % {"decision": mine.get_decision_display()},
                code="already_decided",
                details={"status": request.status},
            )
        if request.status == RequestStatus.SUPERSEDED:
            raise Conflict(
                _("This request was superseded by a newer one; decide that one instead."),
                code="superseded",
                details={"status": request.status},
            )
        if request.status != RequestStatus.PENDING:
            raise Conflict(
                _("This request is already decided: %(status)s.") % {"status": request.get_status_display()},
                code="already_decided",
                details={"status": request.status},
            )
        steps = list(request.steps.order_by("position"))
        step = steps[request.current_position]
        if not is_approver(actor, role=step.role, organization_id=step.organization_id):
            for position, done in earlier.items():
                past = steps[position]
                if is_approver(actor, role=past.role, organization_id=past.organization_id):
                    raise Conflict(
                        _("%(name)s already decided your step of this request.") % {"name": done.actor},
                        code="already_decided",
                        details={"status": request.status},
                    )
            raise Forbidden(_("This step waits for the %(role)s.") % {"role": Role(step.role).label})
        now = timezone.now()
        ApprovalDecision.objects.create(
            request=request, position=step.position, actor=actor, decision=decision, comment=comment
        )
        step.state = {
            Decision.APPROVE: StepState.APPROVED,
            Decision.REJECT: StepState.REJECTED,
            Decision.SEND_BACK: StepState.SENT_BACK,
        }[Decision(decision)]
        step.save(update_fields=["state"])
        items.close_item(ref_model=items.ref_of(step), ref_id=step.pk, kind=WorkKind.APPROVAL, by=actor)
        complaint = Complaint.objects.get(pk=request.complaint_id)
        following = steps[step.position + 1 :]
        if decision == Decision.APPROVE and following:
            _start_step(request, following[0], complaint, now)
        else:
            request.status = {
                Decision.APPROVE: RequestStatus.APPROVED,
                Decision.REJECT: RequestStatus.REJECTED,
                Decision.SEND_BACK: RequestStatus.SENT_BACK,
            }[Decision(decision)]
            request.decided_at = now
            request.approver_role = ""
            request.due_at = None
            for later in following:
                later.state = StepState.CANCELLED
                later.save(update_fields=["state"])
            _tell_requester(request, complaint)
        request.save()
        events.record_approval(
            complaint,
            actor,
            action=decision,
            note=comment,
            changes=_changes(request, role=step.role, status=request.status),
        )
    request.complaint = complaint
    return request


def _tell_requester(request: ApprovalRequest, complaint: Complaint) -> None:
    requester = User.objects.get(pk=request.requested_by_id)
    title = _("%(number)s: your approval request was %(status)s") % {
        "number": complaint.number,
        "status": request.get_status_display(),
    }
    send_messages(
        [
            Message(
                recipient=requester,
                kind=Kind.ASSIGNED,
                title=title,
                key=f"approval:{request.pk}:{request.status}",
                complaint_id=complaint.pk,
            )
        ]
    )


# --- what waits for whom -------------------------------------------------------------------------


def approver_key(user: User) -> tuple[str, int] | None:
    """(role, organisation) whose steps ``user`` decides, or None for people off the ladder."""
    if not user.is_active or user.role not in LADDER:
        return None
    org = _home_org(user)
    return (user.role, org) if org is not None else None


def waiting_for(user: User) -> Any:
    """The pending requests whose current step ``user`` decides, soonest due first (one range of
    the approval_waiting index); an empty queryset for everyone else."""
    key = approver_key(user)
    if key is None:
        return ApprovalRequest.objects.none()
    role, org = key
    return (
        ApprovalRequest.objects.filter(status=RequestStatus.PENDING, approver_role=role, approver_org_id=org)
        .exclude(requested_by_id=user.pk)
        .order_by("due_at", "id")
    )


def requested_by(user: User) -> Any:
    return ApprovalRequest.objects.filter(requested_by_id=user.pk).order_by("-created_at", "-id")


# --- the approval clock ------------------------------------------------------------------------


def _next_rung(role: str, dealer_id: int) -> list[User]:
    """Who is told when a step of ``role`` is late: the rung above (a region's step: the
    carmaker's CRC)."""
    if role == Role.SERVICE_MANAGER:
        return approvers_of(role=Role.GENERAL_MANAGER, organization_id=dealer_id)
    if role == Role.GENERAL_MANAGER:
        region = _region_of(dealer_id)
        return approvers_of(role=Role.REGION_MANAGER, organization_id=region) if region else []
    manufacturer = tree.manufacturer_of(dealer_id)
    return approvers_of(role=Role.CRC_AGENT, organization_id=manufacturer) if manufacturer else []


def escalate_overdue(*, now: datetime | None = None, batch: int = OVERDUE_BATCH) -> int:
    """Tell the rung above (and remind the approvers) of every step past its due time — once per
    step (the flag on the request, and the notifications' dedupe keys). Rows are taken with SKIP
    LOCKED, so several workers share the work. Returns how many steps were escalated."""
    now = now or timezone.now()
    done = 0
    while True:
        with transaction.atomic():
            late = list(
                ApprovalRequest.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=RequestStatus.PENDING, overdue_notified=False, due_at__lte=now)
                .select_related("complaint")
                .order_by("due_at")[:batch]
            )
            if not late:
                return done
            messages: list[Message] = []
            for request in late:
                role = Role(request.approver_role)
                current = approvers_of(role=role, organization_id=request.approver_org_id or 0)
                above = _next_rung(role, request.dealer_id)
                title = _("Approval overdue: %(title)s (waiting for the %(role)s since %(due)s)") % {
                    "title": _subject_title(request, request.complaint.number),
                    "role": role.label,
                    "due": timezone.localtime(request.due_at).strftime("%m-%d %H:%M")
                    if request.due_at
                    else "",
                }
                key = f"approval-overdue:{request.pk}:{request.current_position}"
                messages += [
                    Message(
                        recipient=person,
                        kind=Kind.ESCALATION,
                        title=title,
                        body=request.summary[:500],
                        key=key,
                        complaint_id=request.complaint_id,
                    )
                    for person in {p.pk: p for p in current + above}.values()
                ]
                events.record_approval(
                    request.complaint,
                    None,
                    action="overdue",
                    changes=_changes(
                        request,
                        role=request.approver_role,
                        notified=[str(p) for p in above],
                    ),
                )
            send_messages(messages)
            ApprovalRequest.objects.filter(pk__in=[r.pk for r in late]).update(overdue_notified=True)
            done += len(late)


# --- authority limits: read and set --------------------------------------------------------------


@dataclass(frozen=True)
class LimitInput:
    role: str
    max_total: Decimal
    remedies: list[str]


def _organization(organization_id: int | None) -> Organization | None:
    if organization_id is None:
        return None
    org = Organization.objects.filter(pk=organization_id).first()
    if org is None:
        raise NotFound(_("No such organisation."))
    return org


def _may_read_limits(actor: User, organization: Organization | None) -> bool:
    """Administrators any; everyone else the organisations at or below their own (a dealer's
    people their dealer, a region manager the dealers of the region) and the defaults."""
    if not actor.is_active:
        return False
    if actor.is_kesu_admin or organization is None:
        return True
    home = _home_org(actor)
    return home is not None and home in _org_chain(organization.pk)


def read_limits(*, actor: User, organization_id: int | None) -> dict[str, Authority]:
    """The effective limit of every role at an organisation (None: the installation defaults):
    administrators any; others their own organisation, its ancestors and (a region manager) the
    dealers under them — another dealer's limits are 404."""
    organization = _organization(organization_id)
    if not _may_read_limits(actor, organization):
        raise NotFound(_("No such organisation."))
    return limits_at(organization_id)


def _limit_role(role: str, field: str, seen: Mapping[str, object]) -> str:
    if role not in LIMIT_ROLES:
        raise invalid(field, not_one_of(role, [str(r) for r in LIMIT_ROLES]))
    if role in seen:
        raise invalid(field, _("This role is listed twice."))
    return role


def set_limits(
    *, actor: User, organization_id: int | None, limits: Sequence[LimitInput]
) -> dict[str, Authority]:
    """Replace an organisation's own limits (None: the installation defaults). Roles left out fall
    back to the nearest ancestor's limit. Administrators only."""
    if not has_capability(actor, Capability.EDIT_AUTHORITY_LIMITS):
        raise Forbidden(_("Only an administrator sets authority limits."))
    _organization(organization_id)
    rows: dict[str, LimitInput] = {}
    errors: dict[str, str] = {}
    for index, item in enumerate(limits):
        checked: dict[str, Any] = {}
        for name, check in (
            ("role", lambda v, f: _limit_role(v, f, rows)),
            ("max_total", money),
            ("remedies", remedy_list),
        ):
            try:
                checked[name] = check(getattr(item, name), f"limits.{index}.{name}")
            except InvalidInput as exc:
                errors.update(exc.fields)
        if len(checked) == 3:
            rows[item.role] = LimitInput(**checked)
    if errors:
        raise InvalidInput("; ".join(f"{k}: {v}" for k, v in errors.items()), fields=errors)
    with transaction.atomic():
        own = (
            AuthorityLimit.objects.filter(organization_id=organization_id)
            if organization_id is not None
            else AuthorityLimit.objects.filter(organization__isnull=True)
        )
        own.exclude(role__in=rows).delete()
        for item in rows.values():
            AuthorityLimit.objects.update_or_create(
                organization=_organization(organization_id),
                role=item.role,
                defaults={"max_total": item.max_total, "remedies": item.remedies, "updated_by": actor},
            )
    return limits_at(organization_id)


# --- payment and gift tasks ------------------------------------------------------------------------


def open_tasks(
    *, request: ApprovalRequest, amounts: Mapping[str, Decimal] | None = None
) -> list[PaymentTask]:
    """An approved request's tasks: money (return, discount, compensation, towing, transport) for
    finance (财务部), a gift for administration (行政); each a work item at the dealer. Known
    ``amounts`` per remedy say what to pay; without them a money request pays its total."""
    if request.status != RequestStatus.APPROVED:
        return []
    priced = {code: Decimal(value) for code, value in (amounts or request.amounts or {}).items()}
    complaint = Complaint.objects.get(pk=request.complaint_id)
    tasks: list[PaymentTask] = []
    money_codes = [code for code in request.remedies if code in MONEY_REMEDIES]
    if money_codes:
        paid = (
            sum((priced.get(code, Decimal(0)) for code in money_codes), Decimal(0))
            if priced
            else request.total
        )
        if paid > 0:
            tasks.append(
                _open_task(
                    request, complaint, TaskKind.PAYMENT, paid, _("Pay %(amount)s: %(remedies)s"), money_codes
                )
            )
    if Remedy.GIFT in request.remedies:
        tasks.append(
            _open_task(
                request,
                complaint,
                TaskKind.GIFT,
                priced.get(Remedy.GIFT, Decimal(0)),
                _("Hand over the gift (%(amount)s): %(remedies)s"),
                [Remedy.GIFT],
            )
        )
    return tasks


def _open_task(
    request: ApprovalRequest, complaint: Complaint, kind: str, amount: Decimal, text: str, codes: list[str]
) -> PaymentTask:
    description = (text % {"amount": cny(amount), "remedies": remedy_labels(codes)})[:200]
    task, _created = PaymentTask.objects.get_or_create(
        request=request,
        kind=kind,
        defaults={
            "complaint": complaint,
            "dealer_id": request.dealer_id,
            "amount": amount.quantize(Decimal("0.01")),
            "description": description,
        },
    )
    items.open_item(
        dealer_id=request.dealer_id,
        kind=WorkKind.PAYMENT if kind == TaskKind.PAYMENT else WorkKind.GIFT,
        due_at=_step_due(request.dealer_id, timezone.now()),
        subject=f"{complaint.number} {description}",
        ref_model=items.ref_of(task),
        ref_id=task.pk,
        complaint_id=complaint.pk,
        customer_id=complaint.customer_id,
    )
    return task


def get_task(*, actor: User, task_id: int) -> PaymentTask:
    task = PaymentTask.objects.visible_to(actor).select_related("complaint").filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("No such task."))
    return task


def complete_task(*, actor: User, task_id: int, voucher: str, note: str = "") -> PaymentTask:
    """Finance paid (with the voucher number, 凭证号) or administration handed the gift over (the
    slip number, optional). Done once: a second time is 409."""
    get_task(actor=actor, task_id=task_id)
    if not has_capability(actor, Capability.SETTLE_PAYMENTS):
        raise Forbidden(_("Your role does not settle payments."))
    voucher, note = (voucher or "").strip(), (note or "").strip()
    with transaction.atomic():
        task = PaymentTask.objects.select_for_update().select_related("complaint").get(pk=task_id)
        if task.status == TaskStatus.DONE:
            raise Conflict(
                _("Already done (voucher %(voucher)s).") % {"voucher": task.voucher or "—"},
                code="already_done",
            )
        if task.kind == TaskKind.PAYMENT and not voucher:
            raise invalid("voucher", _("Give the voucher number of the payment."))
        if len(voucher) > 40:
            raise invalid("voucher", _("At most %(n)d characters.") % {"n": 40})
        if len(note) > 500:
            raise invalid("note", _("At most %(n)d characters.") % {"n": 500})
        task.status, task.voucher, task.note = TaskStatus.DONE, voucher, note
        task.done_at, task.done_by = timezone.now(), actor
        task.save(update_fields=["status", "voucher", "note", "done_at", "done_by"])
        items.close_item(
            ref_model=items.ref_of(task),
            ref_id=task.pk,
            kind=WorkKind.PAYMENT if task.kind == TaskKind.PAYMENT else WorkKind.GIFT,
            by=actor,
        )
        events.record_approval(
            task.complaint,
            actor,
            action="paid" if task.kind == TaskKind.PAYMENT else "gift_handed",
            note=note,
            changes={
                "approval_id": [None, task.request_id],
                "amount": [None, str(task.amount)],
                "voucher": [None, voucher],
            },
        )
    return task
