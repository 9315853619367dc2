"""Improvement actions (整改) and the case library (案例分享): the rules.

An action has an owner, a deadline and a priority (seed 003: 整改应分缓急轻重, 整改应有责任人和完成
时间); it moves only along ``choices.TRANSITIONS``; completing it needs evidence; a month after
completion the worker counts whether that kind of complaint came back (``check_effectiveness``);
an action past its deadline tells its owner and their manager once per deadline
(``notify_overdue``). A closed complaint becomes a case with every personal detail masked.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints.choices import Category, Status
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import (
    Forbidden,
    IllegalTransition,
    NotFound,
    StaleVersion,
    invalid,
    one_of,
    raise_if,
    required_message,
)
from kesu.core.privacy import unmasked
from kesu.core.search import document_tokens
from kesu.insights.choices import FaultArea
from kesu.insights.models import QualitySignal
from kesu.notifications.choices import Kind
from kesu.notifications.outbox import Message, send_messages
from kesu.organizations.choices import OrgKind, Role
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import user_dealer_id
from kesu.organizations.selectors import RoleHolders
from kesu.organizations.tree import dealer_ids_under

from .anonymise import anonymise
from .choices import (
    ACTION_LABELS,
    OPEN_STATES,
    TRANSITIONS,
    ActionStatus,
    Effectiveness,
    Priority,
    Source,
)
from .models import Case, ImprovementAction, organization_ids_seen_by
from .months import windows_around

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# Whom an owner answers to, for the overdue notice: the next rung up at the same dealer.
MANAGER_OF: dict[str, str] = {
    Role.AGENT: Role.SERVICE_MANAGER,
    Role.DEPARTMENT_STAFF: Role.SERVICE_MANAGER,
    Role.SERVICE_MANAGER: Role.GENERAL_MANAGER,
    Role.GENERAL_MANAGER: Role.REGION_MANAGER,
}


# --- reading ------------------------------------------------------------------------------------


def get_action(*, actor: User, action_id: int, for_update: bool = False) -> ImprovementAction:
    """An action in the actor's scope, or NotFound (the same answer whether it exists or not)."""
    queryset = ImprovementAction.objects.visible_to(actor)
    if for_update:
        queryset = queryset.select_for_update()
    action = queryset.filter(pk=action_id).first()
    if action is None:
        raise NotFound(_("No such improvement action."))
    return action


def may_manage(user: User) -> bool:
    return has_capability(user, Capability.MANAGE_IMPROVEMENTS)


def available_moves(*, actor: User, action: ImprovementAction) -> list[str]:
    """The moves the table allows from the action's status that this actor may take."""
    manager, owner = may_manage(actor), action.owner_id == actor.pk
    return [
        name
        for name, move in TRANSITIONS.items()
        if action.status in move.sources and (manager or (owner and not move.managers_only))
    ]


# --- creating and editing -----------------------------------------------------------------------


@dataclass
class ActionInput:
    title: str
    owner_id: int
    deadline: date
    priority: str
    description: str = ""
    organization_id: int | None = None  # default: the complaint's dealer, else the actor's
    source: str = Source.MANUAL
    source_chart: str = ""  # which dashboard chart (source "chart")
    month: str = ""  # YYYY-MM, the chart's month
    category: str = ""
    fault_area: str = ""
    quality_signal_id: int | None = None
    complaint_ids: list[int] = field(default_factory=list)


@dataclass
class ActionChanges:
    version: int
    title: str | None = None
    description: str | None = None
    owner_id: int | None = None
    deadline: date | None = None
    priority: str | None = None


def _parse_month(value: str) -> date | None:
    if not value:
        return None
    try:
        month = datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise invalid("month", _("Give the month as YYYY-MM.")) from None
    if month > timezone.localdate() or month.year < 2000:
        raise invalid("month", _("Give a month between 2000 and this month."))
    return month


def _field_errors(
    *, title: str | None, deadline: date | None, priority: str | None, today: date, new: bool
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if title is not None:
        if not title.strip():
            errors["title"] = required_message(_("action"))
        elif len(title) > 200:
            errors["title"] = _("At most 200 characters.")
    if priority is not None and priority not in Priority.values:
        errors["priority"] = one_of(Priority.values)
    if deadline is not None and new and deadline < today:
        errors["deadline"] = _("The deadline cannot be in the past.")
    return errors


def _check_owner(owner_id: int, organization_id: int) -> User:
    owner = User.objects.filter(pk=owner_id, is_active=True).select_related("organization").first()
    seen = organization_ids_seen_by(owner) if owner else frozenset()
    if owner is None or (seen is not None and organization_id not in seen):
        raise invalid("owner_id", _("The owner must be a colleague of the organisation the action is for."))
    return owner


def _organization_for(actor: User, data: ActionInput, complaints: list[Complaint]) -> Organization:
    seen = organization_ids_seen_by(actor)
    org_id = data.organization_id
    if org_id is None:
        org_id = complaints[0].dealer_id if complaints else user_dealer_id(actor) or actor.organization_id
    if org_id is None or (seen is not None and org_id not in seen):
        raise NotFound(_("No such organisation."), fields={"organization_id": _("No such organisation.")})
    org = Organization.objects.get(pk=org_id)
    if org.kind == OrgKind.DEPARTMENT:
        raise invalid("organization_id", _("Actions belong to a dealer, a region or the carmaker."))
    return org


def _complaints(actor: User, ids: list[int]) -> list[Complaint]:
    found = list(Complaint.objects.visible_to(actor).filter(pk__in=set(ids)).select_related("insight"))
    if len(found) != len(set(ids)):
        raise NotFound(_("No such complaint."), fields={"complaint_ids": _("No such complaint.")})
    return found


def _signal(actor: User, signal_id: int | None) -> QualitySignal | None:
    if signal_id is None:
        return None
    signal = QualitySignal.objects.visible_to(actor).filter(pk=signal_id).first()
    if signal is None:
        raise NotFound(
            _("No such quality signal."), fields={"quality_signal_id": _("No such quality signal.")}
        )
    return signal


@transaction.atomic
def create_action(*, actor: User, data: ActionInput) -> ImprovementAction:
    """A new action. The kind of complaint it answers (category, fault area) is taken from the
    chart's filters, else the signal, else the first complaint — the effectiveness check counts it."""
    if not may_manage(actor):
        raise Forbidden(_("Only managers open improvement actions."))
    errors = _field_errors(
        title=data.title, deadline=data.deadline, priority=data.priority, today=timezone.localdate(), new=True
    )
    if data.source not in Source.values:
        errors["source"] = one_of(Source.values)
    if data.category and data.category not in Category.values:
        errors["category"] = one_of(Category.values, or_empty=True)
    if data.fault_area and data.fault_area not in FaultArea.values:
        errors["fault_area"] = one_of(FaultArea.values, or_empty=True)
    if len(data.description) > 5000:
        errors["description"] = _("At most 5000 characters.")
    raise_if(errors)
    month = _parse_month(data.month)
    complaints = _complaints(actor, data.complaint_ids)
    signal = _signal(actor, data.quality_signal_id)
    organization = _organization_for(actor, data, complaints)
    owner = _check_owner(data.owner_id, organization.pk)
    first = complaints[0] if complaints else None
    insight = getattr(first, "insight", None) if first else None
    action = ImprovementAction.objects.create(
        organization=organization,
        title=data.title.strip(),
        description=data.description.strip(),
        owner=owner,
        deadline=data.deadline,
        priority=data.priority,
        source=data.source,
        source_chart=data.source_chart[:40],
        month=month,
        category=data.category or (first.category if first else ""),
        fault_area=data.fault_area
        or (signal.fault_area if signal else "")
        or (insight.fault_area if insight else ""),
        quality_signal=signal,
        created_by=actor,
    )
    if signal is not None and not complaints:  # the signal's complaints the actor may see
        complaints = list(Complaint.objects.visible_to(actor).filter(quality_signals=signal))
    if complaints:
        action.complaints.add(*complaints)
    return action


def _locked(actor: User, action_id: int, version: int) -> ImprovementAction:
    action = get_action(actor=actor, action_id=action_id, for_update=True)
    if action.version != version:
        raise _stale()
    return action


def _stale() -> StaleVersion:
    return StaleVersion(_("Someone else changed this action since you opened it; reload and try again."))


@transaction.atomic
def update_action(*, actor: User, action_id: int, changes: ActionChanges) -> ImprovementAction:
    """Edit what the action is, who owns it and by when (managers); 409 when ``version`` is stale."""
    action = get_action(actor=actor, action_id=action_id, for_update=True)
    if not may_manage(actor):
        raise Forbidden(_("Only managers edit improvement actions."))
    errors = _field_errors(
        title=changes.title,
        deadline=changes.deadline,
        priority=changes.priority,
        today=timezone.localdate(),
        new=changes.deadline is not None and changes.deadline != action.deadline,
    )
    if changes.description is not None and len(changes.description) > 5000:
        errors["description"] = _("At most 5000 characters.")
    raise_if(errors)
    if action.version != changes.version:
        raise _stale()
    if action.status not in OPEN_STATES:
        raise IllegalTransition(_("A finished action is reopened before it is edited."))
    if changes.owner_id is not None:
        action.owner = _check_owner(changes.owner_id, action.organization_id)
    for name in ("title", "description", "deadline", "priority"):
        value = getattr(changes, name)
        if value is not None:
            setattr(action, name, value.strip() if isinstance(value, str) else value)
    action.version = F("version") + 1
    action.save()
    action.refresh_from_db()
    return action


def _check_file(upload: UploadedFile) -> None:
    if upload.size is not None and upload.size > MAX_EVIDENCE_BYTES:
        raise invalid("evidence_file", _("At most 20 MB."))
    if not upload.name:
        raise invalid("evidence_file", _("The file has no name."))


@transaction.atomic
def record_evidence(
    *, actor: User, action_id: int, version: int, text: str, upload: UploadedFile | None = None
) -> ImprovementAction:
    """What shows the action was done (a note, a photo, a procedure): the owner or a manager."""
    action = get_action(actor=actor, action_id=action_id, for_update=True)
    if not (may_manage(actor) or action.owner_id == actor.pk):
        raise Forbidden(_("Only the owner or a manager records evidence."))
    errors: dict[str, str] = {}
    if not text.strip() and upload is None:
        errors["evidence_text"] = required_message(_("evidence of completion"))
    if len(text) > 5000:
        errors["evidence_text"] = _("At most 5000 characters.")
    raise_if(errors)
    if upload is not None:
        _check_file(upload)
    if action.version != version:
        raise _stale()
    if action.status == ActionStatus.CANCELLED:
        raise IllegalTransition(_("A cancelled action takes no evidence."))
    if text.strip():
        action.evidence_text = text.strip()
    if upload is not None:
        name = upload.name or "evidence"
        action.evidence_name = name[:200]
        action.evidence_file.save(name, upload, save=False)
    action.version = F("version") + 1
    action.save()
    action.refresh_from_db()
    return action


@transaction.atomic
def transition(
    *,
    actor: User,
    action_id: int,
    move: str,
    version: int,
    reason: str = "",
    evidence_text: str = "",
) -> ImprovementAction:
    """Take one move of the table. Unknown move 422; not the owner nor a manager 403; not from
    this status 409; a missing input 422 naming it; a stale version 409."""
    action = get_action(actor=actor, action_id=action_id, for_update=True)
    rule = TRANSITIONS.get(move)
    if rule is None:
        raise invalid("action", one_of(TRANSITIONS))
    if not (may_manage(actor) or (action.owner_id == actor.pk and not rule.managers_only)):
        raise Forbidden(_("You may not %(move)s this action.") % {"move": ACTION_LABELS[move]})
    if action.version != version:
        raise _stale()
    if action.status not in rule.sources:
        raise IllegalTransition(
            _("An action that is %(status)s cannot be %(move)s.")
            % {"status": action.get_status_display(), "move": ACTION_LABELS[move]}
        )
    given = {"reason": reason.strip(), "evidence_text": evidence_text.strip() or action.evidence_text}
    raise_if({name: required_message(name) for name in rule.needs if not given[name]})
    now = timezone.now()
    action.status = rule.target
    if move == "complete":
        action.evidence_text = given["evidence_text"]
        action.completed_at = now
    elif move == "reopen":  # the check starts again from the next completion
        action.completed_at = None
        action.effectiveness = Effectiveness.PENDING
        action.checked_at = action.count_before = action.count_after = None
    if rule.needs and "reason" in rule.needs:
        action.note = given["reason"]
    action.version = F("version") + 1
    action.save()
    action.refresh_from_db()
    return action


# --- the worker: effectiveness and overdue notices ----------------------------------------------


def _same_kind(action: ImprovementAction) -> Q:
    """Complaints of the kind the action answers: its dealers, its category and fault area."""
    org = Organization.objects.get(pk=action.organization_id)
    where = Q(dealer_id__in=dealer_ids_under(org))
    if action.category:
        where &= Q(category=action.category)
    if action.fault_area:
        where &= Q(insight__fault_area=action.fault_area)
    if not (action.category or action.fault_area):
        where &= Q(pk__in=[])  # nothing to compare: the action named no kind of complaint
    return where


def effectiveness_counts(action: ImprovementAction) -> tuple[int, int]:
    """(complaints of that kind in the month before completion, in the month after)."""
    assert action.completed_at is not None
    (b0, b1), (a0, a1) = windows_around(action.completed_at)
    kind = Complaint.objects.filter(_same_kind(action))
    before = kind.filter(received_at__gte=b0, received_at__lt=b1).count()
    after = kind.filter(received_at__gte=a0, received_at__lt=a1).count()
    return before, after


def judge(before: int, after: int) -> str:
    if after == 0:
        return Effectiveness.EFFECTIVE
    return Effectiveness.REDUCED if after < before else Effectiveness.RECURRED


def check_effectiveness(*, now: datetime | None = None, limit: int = 500) -> int:
    """Judge every action completed a month ago or more and not judged yet (idempotent: a judged
    action is never counted again). Returns how many were judged."""
    now = now or timezone.now()
    judged = 0
    with transaction.atomic():
        due = (
            ImprovementAction.objects.select_for_update(skip_locked=True)
            .filter(status=ActionStatus.DONE, effectiveness=Effectiveness.PENDING, completed_at__isnull=False)
            .order_by("completed_at")[:limit]
        )
        for action in due:
            assert action.completed_at is not None
            _, (_, after_end) = windows_around(action.completed_at)
            if after_end > now:
                continue
            before, after = effectiveness_counts(action)
            action.count_before, action.count_after = before, after
            action.effectiveness = judge(before, after)
            action.checked_at = now
            action.save(
                update_fields=["count_before", "count_after", "effectiveness", "checked_at", "updated_at"]
            )
            judged += 1
    return judged


def managers_of(owner: User, action: ImprovementAction, holders: RoleHolders) -> list[User]:
    """The owner's manager: the next rung at their dealer (agent → service manager → GM →
    region manager); else whoever opened the action."""
    above = MANAGER_OF.get(owner.role)
    dealer_id = user_dealer_id(owner)
    people: list[User] = []
    if above and dealer_id is not None:
        people = [u for u in holders.holding(dealer_id, above) if u.pk != owner.pk]
    if not people and action.created_by_id != owner.pk:
        people = [action.created_by]
    return people


def notify_overdue(*, today: date | None = None, limit: int = 1000) -> int:
    """Tell the owner and their manager about each action past its deadline, once per deadline
    (a new deadline that passes again is a new event). Returns how many actions were notified."""
    today = today or timezone.localdate()
    holders = RoleHolders()
    with transaction.atomic():
        due = list(
            ImprovementAction.objects.select_for_update(skip_locked=True, of=("self",))
            .overdue(today)
            .exclude(overdue_notified_for=F("deadline"))
            .select_related("owner", "owner__organization", "created_by")
            .order_by("deadline", "pk")[:limit]
        )
        messages: list[Message] = []
        for action in due:
            title = _("Improvement action overdue: %(title)s") % {"title": action.title}
            body = _("Deadline %(deadline)s, owner %(owner)s.") % {
                "deadline": action.deadline.isoformat(),
                "owner": action.owner,
            }
            key = f"improvement:{action.pk}:overdue:{action.deadline.isoformat()}"
            for person in [action.owner, *managers_of(action.owner, action, holders)]:
                messages.append(
                    Message(recipient=person, kind=Kind.SLA_BREACH, title=title, body=body, key=key)
                )
        send_messages(messages)
        ImprovementAction.objects.filter(pk__in=[a.pk for a in due]).update(
            overdue_notified_for=F("deadline")
        )
    return len(due)


# --- the case library ---------------------------------------------------------------------------


@dataclass
class CaseInput:
    complaint_id: int
    title: str
    analysis: str
    commentary: str
    case_text: str = ""  # default: the complaint's words, facts and what was done


@dataclass
class CaseChanges:
    version: int
    title: str | None = None
    case_text: str | None = None
    analysis: str | None = None
    commentary: str | None = None


CASE_TEXTS = ("title", "case_text", "analysis", "commentary")


def may_publish(user: User) -> bool:
    return has_capability(user, Capability.PUBLISH_CASES)


def get_case(*, actor: User, case_id: int, for_update: bool = False) -> Case:
    """A case in scope: published for everyone there, drafts only for those who publish."""
    queryset = Case.objects.visible_to(actor)
    if not may_publish(actor):
        queryset = queryset.published()
    if for_update:
        queryset = queryset.select_for_update()
    case = queryset.filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such case."))
    return case


def _personal_values(complaint: Complaint) -> dict[str, list[str]]:
    with unmasked():  # what the case's texts must not contain: the stored values
        return _stored_values(complaint)


def _stored_values(complaint: Complaint) -> dict[str, list[str]]:
    customer, vehicle = complaint.customer, complaint.vehicle
    return {
        "names": [customer.name] if customer else [],
        "phones": [customer.mobile] if customer else [],
        "plates": [vehicle.plate] if vehicle and vehicle.plate else [],
        "vins": [vehicle.vin] if vehicle and vehicle.vin else [],
    }


def default_case_text(complaint: Complaint) -> str:
    parts = [
        complaint.verbatim,
        complaint.facts,
        _("Cause: %(cause)s") % {"cause": complaint.root_cause} if complaint.root_cause else "",
        _("What was done: %(plan)s") % {"plan": complaint.plan} if complaint.plan else "",
    ]
    return "\n".join(p for p in parts if p)


def _case_errors(values: dict[str, str | None]) -> dict[str, str]:
    errors: dict[str, str] = {}
    labels = {
        "title": _("title"),
        "case_text": _("case"),
        "analysis": _("analysis"),
        "commentary": _("commentary"),
    }
    for name, value in values.items():
        if value is None:
            continue
        if not value.strip():
            errors[name] = required_message(labels[name])
        elif len(value) > (200 if name == "title" else 10000):
            errors[name] = _("At most %(n)s characters.") % {"n": 200 if name == "title" else 10000}
    return errors


def _masked(case: Case, complaint: Complaint) -> None:
    personal = _personal_values(complaint)
    for name in CASE_TEXTS:
        setattr(case, name, anonymise(getattr(case, name).strip(), **personal))
    case.search_tokens = document_tokens(*(getattr(case, name) for name in CASE_TEXTS))


@transaction.atomic
def create_case(*, actor: User, data: CaseInput) -> Case:
    """A draft case from a closed complaint, every text masked; publish it to show it."""
    complaint = get_complaint(actor=actor, complaint_id=data.complaint_id, for_update=True)
    if not may_publish(actor):
        raise Forbidden(_("Only managers write cases."))
    case_text = data.case_text if data.case_text.strip() else default_case_text(complaint)
    raise_if(
        _case_errors(
            {
                "title": data.title,
                "case_text": case_text,
                "analysis": data.analysis,
                "commentary": data.commentary,
            }
        )
    )
    if complaint.status != Status.CLOSED:
        raise IllegalTransition(
            _("Only a closed complaint becomes a case."),
            fields={"complaint_id": _("The complaint is not closed.")},
        )
    if Case.objects.filter(complaint_id=complaint.pk).exists():
        raise IllegalTransition(
            _("This complaint is a case already."),
            fields={"complaint_id": _("This complaint is a case already.")},
        )
    case = Case(
        complaint=complaint,
        organization_id=complaint.dealer_id,
        title=data.title,
        category=complaint.category,
        case_text=case_text,
        analysis=data.analysis,
        commentary=data.commentary,
        written_by=actor,
    )
    _masked(case, complaint)
    case.save()
    return case


@transaction.atomic
def update_case(*, actor: User, case_id: int, changes: CaseChanges) -> Case:
    case = get_case(actor=actor, case_id=case_id, for_update=True)
    if not may_publish(actor):
        raise Forbidden(_("Only managers edit cases."))
    raise_if(_case_errors({name: getattr(changes, name) for name in CASE_TEXTS}))
    if case.version != changes.version:
        raise _stale()
    for name in CASE_TEXTS:
        value = getattr(changes, name)
        if value is not None:
            setattr(case, name, value)
    _masked(case, Complaint.objects.select_related("customer", "vehicle").get(pk=case.complaint_id))
    case.version = F("version") + 1
    case.save()
    case.refresh_from_db()
    return case


@transaction.atomic
def set_published(*, actor: User, case_id: int, published: bool) -> Case:
    """Publish a case for training (or take it back); managers only."""
    case = get_case(actor=actor, case_id=case_id, for_update=True)
    if not may_publish(actor):
        raise Forbidden(_("Only managers publish cases."))
    case.published_at = timezone.now() if published else None
    case.published_by = actor if published else None
    case.version = F("version") + 1
    case.save()
    case.refresh_from_db()
    return case
