"""Administration API: organisations, users, passwords, business hours, group robots.

Administrators manage everything; a dealer's general manager their dealer's departments and
users; a region manager reads their region; anyone else gets 403. Objects outside the caller's
reach answer 404."""

from datetime import date, datetime, time
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja import Status as Reply
from pydantic import ConfigDict

from kesu import flows
from kesu.organizations.permissions import actor

from . import selectors, services

router = Router(tags=["administration"])


class OrganizationOut(Schema):
    id: int
    kind: str
    name: str
    code: str
    parent_id: int | None
    phone: str
    is_active: bool


class OrganizationIn(Schema):
    kind: str
    name: str
    code: str
    parent_id: int | None = None
    phone: str = ""


class OrganizationPatch(Schema):
    model_config = ConfigDict(extra="forbid")  # kind and code never change: sending them is a 422
    name: str | None = None
    phone: str | None = None
    parent_id: int | None = None
    is_active: bool | None = None


class OrganizationFilters(Schema):
    kind: str = ""
    parent_id: int | None = None
    q: str = ""
    include_inactive: bool = True


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    organization_id: int | None
    mobile: str
    agent_number: str
    email: str
    is_active: bool
    last_login: datetime | None


class UserIn(Schema):
    username: str
    display_name: str
    role: str
    organization_id: int | None = None
    mobile: str = ""
    agent_number: str = ""
    email: str = ""
    password: str = ""  # blank: a password is generated and answered once


class UserCreatedOut(UserOut):
    password: str  # the generated password (shown once), or "" when one was given


class UserPatch(Schema):
    model_config = ConfigDict(extra="forbid")  # the username never changes
    display_name: str | None = None
    role: str | None = None
    organization_id: int | None = None
    mobile: str | None = None
    agent_number: str | None = None
    email: str | None = None
    is_active: bool | None = None


class UserFilters(Schema):
    organization_id: int | None = None
    role: str = ""
    q: str = ""
    is_active: bool | None = None
    limit: int = 200
    offset: int = 0


class PasswordIn(Schema):
    password: str = ""


class PasswordOut(Schema):
    user_id: int
    password: str  # generated (shown once), or "" when the caller chose it


class HoursIO(Schema):
    monday: str = ""
    tuesday: str = ""
    wednesday: str = ""
    thursday: str = ""
    friday: str = ""
    saturday: str = ""
    sunday: str = ""


class OverrideIn(Schema):
    date: date
    is_open: bool = False
    opens: time | None = None
    closes: time | None = None
    note: str = ""


class OverrideOut(OverrideIn):
    id: int


class RobotIn(Schema):
    provider: str
    url: str
    secret: str = ""
    kinds: list[str] = []


class RobotOut(Schema):
    id: int
    organization_id: int
    provider: str
    url: str
    has_secret: bool
    kinds: list[str]
    is_active: bool


class RobotPatch(Schema):
    is_active: bool


def _org_out(org: Any, inactive: set[int]) -> dict[str, Any]:
    return {
        "id": org.pk,
        "kind": org.kind,
        "name": org.name,
        "code": org.code,
        "parent_id": org.parent_id,
        "phone": org.phone,
        "is_active": org.pk not in inactive,
    }


def _robot_out(robot: Any) -> dict[str, Any]:
    return {
        "id": robot.pk,
        "organization_id": robot.organization_id,
        "provider": robot.provider,
        "url": robot.url,
        "has_secret": bool(robot.secret),
        "kinds": robot.kinds,
        "is_active": robot.is_active,
    }


# --- organisations ------------------------------------------------------------------------------


@router.get("/organizations", response=list[OrganizationOut])
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilters]) -> list[dict[str, Any]]:
    user = actor(request)
    services.require_view(user)
    orgs = selectors.organizations_visible_to(user).order_by("code")
    if filters.kind:
        orgs = orgs.filter(kind=filters.kind)
    if filters.parent_id is not None:
        orgs = orgs.filter(parent_id=filters.parent_id)
    if filters.q:
        orgs = orgs.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    inactive = selectors.inactive_org_ids()
    if not filters.include_inactive:
        orgs = orgs.exclude(pk__in=inactive)
    return [_org_out(org, inactive) for org in orgs[:5000]]


@router.get("/organizations/{organization_id}", response=OrganizationOut)
def get_organization(request: HttpRequest, organization_id: int) -> dict[str, Any]:
    org = services.get_organization(actor=actor(request), organization_id=organization_id)
    return _org_out(org, selectors.inactive_org_ids())


@router.post("/organizations", response={201: OrganizationOut})
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Reply:
    org = services.create_organization(
        actor=actor(request), data=services.OrganizationInput(**payload.model_dump())
    )
    return Reply(201, _org_out(org, set()))


@router.patch("/organizations/{organization_id}", response=OrganizationOut)
def update_organization(
    request: HttpRequest, organization_id: int, payload: OrganizationPatch
) -> dict[str, Any]:
    org = services.update_organization(
        actor=actor(request),
        organization_id=organization_id,
        changes=services.OrganizationChanges(**payload.model_dump()),
    )
    return _org_out(org, selectors.inactive_org_ids())


# --- business hours, calendar dates, group robots -------------------------------------------------


@router.get("/organizations/{organization_id}/business-hours", response=HoursIO)
def get_business_hours(request: HttpRequest, organization_id: int) -> dict[str, str]:
    org = services.get_organization(actor=actor(request), organization_id=organization_id)
    return selectors.hours_text(org.pk)


@router.put("/organizations/{organization_id}/business-hours", response=HoursIO)
def set_business_hours(request: HttpRequest, organization_id: int, payload: HoursIO) -> dict[str, str]:
    flows.dealer_setup.set_business_hours(
        actor=actor(request), organization_id=organization_id, days=payload.model_dump()
    )
    return selectors.hours_text(organization_id)


@router.get("/organizations/{organization_id}/calendar-overrides", response=list[OverrideOut])
def list_overrides(request: HttpRequest, organization_id: int) -> list[Any]:
    org = services.get_organization(actor=actor(request), organization_id=organization_id)
    return list(selectors.overrides_of(org.pk))


@router.post("/organizations/{organization_id}/calendar-overrides", response={201: OverrideOut})
def add_override(request: HttpRequest, organization_id: int, payload: OverrideIn) -> Reply:
    override = flows.dealer_setup.add_override(
        actor=actor(request),
        organization_id=organization_id,
        day=payload.date,
        is_open=payload.is_open,
        opens=payload.opens,
        closes=payload.closes,
        note=payload.note,
    )
    return Reply(201, override)


@router.delete("/organizations/{organization_id}/calendar-overrides/{override_id}", response={204: None})
def remove_override(request: HttpRequest, organization_id: int, override_id: int) -> Reply:
    flows.dealer_setup.remove_override(
        actor=actor(request), organization_id=organization_id, override_id=override_id
    )
    return Reply(204, None)


@router.get("/organizations/{organization_id}/robots", response=list[RobotOut])
def list_robots(request: HttpRequest, organization_id: int) -> list[dict[str, Any]]:
    org = services.get_organization(actor=actor(request), organization_id=organization_id)
    return [_robot_out(robot) for robot in selectors.robots_of(org.pk)]


@router.post("/organizations/{organization_id}/robots", response={201: RobotOut})
def add_robot(request: HttpRequest, organization_id: int, payload: RobotIn) -> Reply:
    robot = flows.dealer_setup.add_robot(
        actor=actor(request), organization_id=organization_id, **payload.model_dump()
    )
    return Reply(201, _robot_out(robot))


@router.patch("/robots/{robot_id}", response=RobotOut)
def update_robot(request: HttpRequest, robot_id: int, payload: RobotPatch) -> dict[str, Any]:
    robot = flows.dealer_setup.set_robot_active(
        actor=actor(request), robot_id=robot_id, is_active=payload.is_active
    )
    return _robot_out(robot)


# --- users --------------------------------------------------------------------------------------


@router.get("/users", response=list[UserOut])
def list_users(request: HttpRequest, filters: Query[UserFilters]) -> list[Any]:
    user = actor(request)
    services.require_view(user)
    people = selectors.users_visible_to(user).order_by("username")
    if filters.organization_id is not None:
        people = people.filter(organization_id=filters.organization_id)
    if filters.role:
        people = people.filter(role=filters.role)
    if filters.is_active is not None:
        people = people.filter(is_active=filters.is_active)
    if filters.q:
        people = people.filter(
            Q(username__icontains=filters.q)
            | Q(display_name__icontains=filters.q)
            | Q(agent_number__icontains=filters.q)
        )
    offset, limit = max(filters.offset, 0), min(max(filters.limit, 1), 1000)
    return list(people[offset : offset + limit])


@router.get("/users/{user_id}", response=UserOut)
def get_user(request: HttpRequest, user_id: int) -> Any:
    return services.get_user(actor=actor(request), user_id=user_id)


@router.post("/users", response={201: UserCreatedOut})
def create_user(request: HttpRequest, payload: UserIn) -> Reply:
    made = services.create_user(actor=actor(request), data=services.UserInput(**payload.model_dump()))
    body = UserOut.from_orm(made.user).model_dump()
    return Reply(201, {**body, "password": made.password})


@router.patch("/users/{user_id}", response=UserOut)
def update_user(request: HttpRequest, user_id: int, payload: UserPatch) -> Any:
    return services.update_user(
        actor=actor(request), user_id=user_id, changes=services.UserChanges(**payload.model_dump())
    )


@router.post("/users/{user_id}/reset-password", response=PasswordOut)
def reset_password(request: HttpRequest, user_id: int, payload: PasswordIn) -> dict[str, Any]:
    made = services.reset_password(actor=actor(request), user_id=user_id, password=payload.password)
    return {"user_id": made.user.pk, "password": made.password}
