"""Improvement actions and the case library over the API (mounted at ``/api/v1``):
``/improvements`` and ``/cases``. Everything is in the caller's scope (another organisation's
action or case is a 404); edits carry the version read (409 when stale)."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply

from kesu.core.errors import invalid
from kesu.core.schemas import schema_of, to_dataclass
from kesu.organizations.permissions import actor

from . import selectors, services
from .models import Case, ImprovementAction

router = Router(tags=["improvements"])

if TYPE_CHECKING:
    ActionIn: TypeAlias = services.ActionInput
    ActionPatch: TypeAlias = services.ActionChanges
    CaseIn: TypeAlias = services.CaseInput
    CasePatch: TypeAlias = services.CaseChanges
else:
    ActionIn = schema_of(services.ActionInput, name="ImprovementIn")
    ActionPatch = schema_of(services.ActionChanges, name="ImprovementPatch")
    CaseIn = schema_of(services.CaseInput, name="CaseIn")
    CasePatch = schema_of(services.CaseChanges, name="CasePatch")


class ImprovementActionOut(Schema):
    id: int
    organization_id: int
    title: str
    description: str
    owner_id: int
    deadline: date
    priority: str
    status: str
    version: int
    source: str
    source_chart: str
    month: date | None
    category: str
    fault_area: str
    quality_signal_id: int | None
    complaint_ids: list[int]
    evidence_text: str
    evidence_name: str
    completed_at: datetime | None
    note: str
    effectiveness: str
    checked_at: datetime | None
    count_before: int | None
    count_after: int | None
    overdue: bool
    actions: list[str]  # the moves the caller may take now
    created_by_id: int
    created_at: datetime


class ActionPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ImprovementActionOut]


class ActionQuery(Schema):
    status: str = ""
    overdue: bool = False
    owner_id: int | None = None
    organization_id: int | None = None
    complaint_id: int | None = None
    page: int = 1
    page_size: int = 50


class ImprovementTransitionIn(Schema):
    action: str
    version: int
    reason: str = ""
    evidence_text: str = ""


class CaseOut(Schema):
    id: int
    complaint_id: int
    organization_id: int
    title: str
    category: str
    case_text: str
    analysis: str
    commentary: str
    version: int
    published: bool
    published_at: datetime | None


class CaseQuery(Schema):
    q: str = ""
    drafts: bool = False


def _out(action: ImprovementAction, user: Any) -> dict[str, Any]:
    from django.utils import timezone

    fields = ImprovementActionOut.model_fields
    data = {name: getattr(action, name) for name in fields if hasattr(action, name)}
    data["complaint_ids"] = sorted(action.complaints.values_list("pk", flat=True))
    data["overdue"] = action.status in ("open", "in_progress") and action.deadline < timezone.localdate()
    data["actions"] = services.available_moves(actor=user, action=action)
    return data


def _case_out(case: Case) -> dict[str, Any]:
    data = {name: getattr(case, name) for name in CaseOut.model_fields if hasattr(case, name)}
    data["published"] = case.is_published
    return data


def _page(query: ActionQuery) -> tuple[int, int]:
    if not 1 <= query.page_size <= 200:
        raise invalid("page_size", _("Between 1 and 200."))
    if query.page < 1:
        raise invalid("page", _("Pages start at 1."))
    return (query.page - 1) * query.page_size, query.page_size


@router.get("/improvements", response=ActionPage)
def list_actions(request: HttpRequest, query: Query[ActionQuery]) -> dict[str, Any]:
    """Filters: ``status``, ``overdue=true``, ``owner_id``, ``organization_id``, ``complaint_id``."""
    user = actor(request)
    start, size = _page(query)
    filters = selectors.checked_filters(
        status=query.status,
        overdue=query.overdue,
        owner_id=query.owner_id,
        organization_id=query.organization_id,
        complaint_id=query.complaint_id,
    )
    actions = selectors.actions_for(actor=user, filters=filters)
    return {
        "count": actions.count(),
        "page": query.page,
        "page_size": size,
        "results": [_out(a, user) for a in actions[start : start + size]],
    }


@router.post("/improvements", response={201: ImprovementActionOut})
def create_action(request: HttpRequest, payload: ActionIn) -> Reply:
    """A new action (managers): 422 naming the field for a bad title, priority, deadline in the
    past, category or fault area; 404 for an organisation, complaint or signal out of scope."""
    user = actor(request)
    action = services.create_action(actor=user, data=to_dataclass(services.ActionInput, payload))
    return Reply(201, _out(action, user))


@router.get("/improvements/{action_id}", response=ImprovementActionOut)
def get_action(request: HttpRequest, action_id: int) -> dict[str, Any]:
    user = actor(request)
    return _out(services.get_action(actor=user, action_id=action_id), user)


@router.patch("/improvements/{action_id}", response=ImprovementActionOut)
def update_action(request: HttpRequest, action_id: int, payload: ActionPatch) -> dict[str, Any]:
    """Title, description, owner, deadline, priority (managers); ``version`` as read, else 409."""
    user = actor(request)
    changes = to_dataclass(services.ActionChanges, payload)
    return _out(services.update_action(actor=user, action_id=action_id, changes=changes), user)


@router.post("/improvements/{action_id}/transition", response=ImprovementActionOut)
def transition(request: HttpRequest, action_id: int, payload: ImprovementTransitionIn) -> dict[str, Any]:
    """``start`` (open → in progress), ``complete`` (needs ``evidence_text`` unless recorded),
    ``reopen`` and ``cancel`` (managers, need ``reason``). 409 from the wrong status or a stale
    ``version``."""
    user = actor(request)
    action = services.transition(
        actor=user,
        action_id=action_id,
        move=payload.action,
        version=payload.version,
        reason=payload.reason,
        evidence_text=payload.evidence_text,
    )
    return _out(action, user)


@router.get("/cases", response=list[CaseOut])
def list_cases(request: HttpRequest, query: Query[CaseQuery]) -> list[dict[str, Any]]:
    """Published cases in scope, ``q`` searched like the queue (two-character words found);
    ``drafts=true`` adds unpublished ones for those who publish."""
    user = actor(request)
    drafts = query.drafts and services.may_publish(user)
    return [_case_out(c) for c in selectors.cases_for(actor=user, q=query.q, drafts=drafts)[:200]]


@router.post("/cases", response={201: CaseOut})
def create_case(request: HttpRequest, payload: CaseIn) -> Reply:
    """A draft case from a closed complaint (managers), names, phones, plates and VINs masked;
    409 naming ``complaint_id`` when the complaint is not closed or is a case already."""
    case = services.create_case(actor=actor(request), data=to_dataclass(services.CaseInput, payload))
    return Reply(201, _case_out(case))


@router.get("/cases/{case_id}", response=CaseOut)
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _case_out(services.get_case(actor=actor(request), case_id=case_id))


@router.patch("/cases/{case_id}", response=CaseOut)
def update_case(request: HttpRequest, case_id: int, payload: CasePatch) -> dict[str, Any]:
    changes = to_dataclass(services.CaseChanges, payload)
    return _case_out(services.update_case(actor=actor(request), case_id=case_id, changes=changes))


@router.post("/cases/{case_id}/publish", response=CaseOut)
def publish_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _case_out(services.set_published(actor=actor(request), case_id=case_id, published=True))


@router.post("/cases/{case_id}/unpublish", response=CaseOut)
def unpublish_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _case_out(services.set_published(actor=actor(request), case_id=case_id, published=False))
