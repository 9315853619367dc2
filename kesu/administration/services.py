"""Setting up the organisation without a shell: regions, dealers, departments, users, roles,
passwords. Every rule is here; the pages and the API only parse and render.

Who may do what:

* an administrator manages everything;
* a dealer's general manager manages that dealer's departments and the users of the dealer and
  its departments, granting at most their own rank (agent, department staff, service manager,
  general manager — see ``ROLE_RANK`` in kesu/organizations/permissions.py); they cannot change
  the dealer itself, their own role or their own account's state;
* a region manager reads their region's dealers, departments and users and changes nothing;
* nobody else sees these pages or endpoints.

Organisations are deactivated, never deleted (complaints and customers point at them); a user
is deactivated with ``is_active`` (they can no longer log in and their API tokens stop at once).
"""

import re
import secrets
import string
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kesu.core.errors import DomainError, Forbidden, NotFound, invalid, not_one_of, raise_if
from kesu.core.validators import normalize_mobile, too_long
from kesu.organizations.choices import OrgKind, Role
from kesu.organizations.models import ApiToken, Organization, User
from kesu.organizations.permissions import (
    ROLE_ORG_KINDS,
    Capability,
    administered_dealer_id,
    has_capability,
    role_rank,
)

from .choices import AdminAction
from .models import AdminLogEntry, OrganizationState
from .selectors import is_org_active, organizations_visible_to, users_visible_to


class Duplicate(DomainError):
    status = 409
    code = "duplicate"


# the kind of parent each kind of organisation hangs under (a manufacturer has none)
PARENT_KIND: dict[str, str | None] = {
    OrgKind.MANUFACTURER: None,
    OrgKind.REGION: OrgKind.MANUFACTURER,
    OrgKind.DEALER: OrgKind.REGION,
    OrgKind.DEPARTMENT: OrgKind.DEALER,
}
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
PHONE_PATTERN = re.compile(r"^[0-9+\-() ]{5,32}$")
AGENT_NUMBER_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,16}$")
GENERATED_PASSWORD_LENGTH = 12


# --- who may ------------------------------------------------------------------------------------


def may_view(actor: User) -> bool:
    """May see the administration pages at all (administrators, general managers, region managers)."""
    return has_capability(actor, Capability.ADMINISTER)


def may_change(actor: User) -> bool:
    """May change anything there (administrators and general managers)."""
    return actor.is_active and (actor.is_kesu_admin or administered_dealer_id(actor) is not None)


def require_view(actor: User) -> None:
    if not may_view(actor):
        raise Forbidden(_("Only administrators and general managers manage organisations and users."))


def _require_change(actor: User) -> None:
    require_view(actor)
    if not may_change(actor):
        raise Forbidden(_("Region managers can look but not change; ask an administrator."))


def manages_organization(actor: User, org: Organization) -> bool:
    """Administrators any; a general manager their dealer's departments (not the dealer itself)."""
    if actor.is_kesu_admin:
        return True
    dealer_id = administered_dealer_id(actor)
    return dealer_id is not None and org.kind == OrgKind.DEPARTMENT and org.parent_id == dealer_id


def may_place_users_in(actor: User, org: Organization | None) -> bool:
    """Administrators anywhere; a general manager in their dealer and its departments."""
    if actor.is_kesu_admin:
        return True
    dealer_id = administered_dealer_id(actor)
    return dealer_id is not None and org is not None and dealer_id in (org.pk, org.parent_id)


def effective_role(user: User) -> str:
    return Role.ADMIN if user.is_superuser else user.role


def may_grant(actor: User, role: str) -> bool:
    """Nobody grants a role above their own; only an administrator grants the carmaker's, the
    region's and the administrator's roles (the others are a dealer's)."""
    if actor.is_kesu_admin:
        return True
    dealer_roles = {Role.AGENT, Role.DEPARTMENT_STAFF, Role.SERVICE_MANAGER, Role.GENERAL_MANAGER}
    return role in dealer_roles and role_rank(role) <= role_rank(effective_role(actor))


def manages_user(actor: User, user: User) -> bool:
    """May change ``user``: in the actor's organisations and not above the actor's rank."""
    if actor.is_kesu_admin:
        return True
    return may_place_users_in(actor, user.organization) and role_rank(effective_role(user)) <= role_rank(
        effective_role(actor)
    )


def _log(
    actor: User,
    action: AdminAction,
    *,
    organization: Organization | None = None,
    user: User | None = None,
    summary: str = "",
) -> None:
    AdminLogEntry.objects.create(
        actor=actor, action=action, organization=organization, user=user, summary=summary[:300]
    )


def record(
    *, actor: User, action: AdminAction, organization_id: int | None = None, summary: str = ""
) -> None:
    """Log a change made elsewhere (business hours, robots) from the administration pages."""
    AdminLogEntry.objects.create(actor=actor, action=action, organization_id=organization_id, summary=summary)


# --- organisations ------------------------------------------------------------------------------


def get_organization(*, actor: User, organization_id: int) -> Organization:
    """An organisation the actor sees (404 otherwise, revealing nothing)."""
    require_view(actor)
    org = organizations_visible_to(actor).filter(pk=organization_id).first()
    if org is None:
        raise NotFound(_("No such organisation."))
    return org


def _clean_name(errors: dict[str, str], name: str) -> str:
    name = " ".join(name.split())
    if not name:
        errors["name"] = _("Enter a name.")
    elif len(name) > 120:
        errors["name"] = too_long(120)
    return name


def _clean_phone(errors: dict[str, str], phone: str) -> str:
    phone = phone.strip()
    if phone and not PHONE_PATTERN.match(phone):
        errors["phone"] = _("A phone number has digits, spaces, +, - and brackets only (5 to 32).")
    return phone


def _check_parent(actor: User, kind: str, parent_id: int | None) -> Organization | None:
    wanted = PARENT_KIND[kind]
    if wanted is None:
        if parent_id is not None:
            raise invalid("parent_id", _("A manufacturer has no parent."))
        return None
    if parent_id is None:
        raise invalid("parent_id", _("Choose the %(kind)s it belongs to.") % {"kind": OrgKind(wanted).label})
    parent = organizations_visible_to(actor).filter(pk=parent_id).first()
    if parent is None:
        raise invalid("parent_id", _("No such organisation."))
    if parent.kind != wanted:
        raise invalid(
            "parent_id",
            _("A %(kind)s belongs to a %(parent)s; %(name)s is a %(actual)s.")
            % {
                "kind": OrgKind(kind).label,
                "parent": OrgKind(wanted).label,
                "name": parent.name,
                "actual": OrgKind(parent.kind).label,
            },
        )
    if not is_org_active(parent.pk):
        raise invalid("parent_id", _("%(name)s is deactivated.") % {"name": parent.name})
    return parent


@dataclass
class OrganizationInput:
    kind: str
    name: str
    code: str
    parent_id: int | None = None
    phone: str = ""


@transaction.atomic
def create_organization(*, actor: User, data: OrganizationInput) -> Organization:
    """A region, dealer or department (a manufacturer: administrators only) with a unique code."""
    _require_change(actor)
    if data.kind not in OrgKind.values:
        raise invalid("kind", not_one_of(data.kind, OrgKind.values))
    if not actor.is_kesu_admin:
        if data.kind != OrgKind.DEPARTMENT:
            message = _("A general manager adds departments only.")
            raise Forbidden(message, fields={"kind": message})
        if data.parent_id != administered_dealer_id(actor):
            message = _("A general manager adds departments to their own dealer only.")
            raise Forbidden(message, fields={"parent_id": message})
    parent = _check_parent(actor, data.kind, data.parent_id)
    errors: dict[str, str] = {}
    name = _clean_name(errors, data.name)
    phone = _clean_phone(errors, data.phone)
    code = data.code.strip().upper()
    if not CODE_PATTERN.match(code):
        errors["code"] = _("A code has 1 to 32 letters, digits, - or _, such as D12 or D12-CS.")
    raise_if(errors)
    _check_unique(code=code, name=name, parent_id=data.parent_id)
    try:
        with transaction.atomic():
            org = Organization.objects.create(
                kind=data.kind, name=name, code=code, parent=parent, phone=phone
            )
    except IntegrityError as exc:  # a simultaneous create took the code
        raise _duplicate_code(code) from exc
    _log(actor, AdminAction.ORG_CREATED, organization=org, summary=f"{org.code} {org.name}")
    return org


def _duplicate_code(code: str) -> Duplicate:
    message = _("The code %(code)s is already taken.") % {"code": code}
    return Duplicate(message, fields={"code": message})


def _check_unique(*, code: str | None, name: str | None, parent_id: int | None, exclude: int = 0) -> None:
    if code is not None and Organization.objects.filter(code__iexact=code).exclude(pk=exclude).exists():
        raise _duplicate_code(code)
    if (
        name is not None
        and parent_id is not None
        and Organization.objects.filter(parent_id=parent_id, name=name).exclude(pk=exclude).exists()
    ):
        message = _("There is already a %(name)s there.") % {"name": name}
        raise Duplicate(message, fields={"name": message})


@dataclass
class OrganizationChanges:
    """What a PATCH changes (None: unchanged). The kind and the code never change."""

    name: str | None = None
    phone: str | None = None
    parent_id: int | None = None
    is_active: bool | None = None


@transaction.atomic
def update_organization(*, actor: User, organization_id: int, changes: OrganizationChanges) -> Organization:
    org = get_organization(actor=actor, organization_id=organization_id)
    _require_change(actor)
    if not manages_organization(actor, org):
        raise Forbidden(_("You can change your dealer's departments only."))
    org = Organization.objects.select_for_update().get(pk=org.pk)
    errors: dict[str, str] = {}
    said: list[str] = []
    if changes.name is not None:
        name = _clean_name(errors, changes.name)
        if not errors and name != org.name:
            _check_unique(code=None, name=name, parent_id=org.parent_id, exclude=org.pk)
            said.append(f"{org.name} → {name}")
            org.name = name
    if changes.phone is not None:
        org.phone = _clean_phone(errors, changes.phone)
    raise_if(errors)
    if changes.parent_id is not None and changes.parent_id != org.parent_id:
        if not actor.is_kesu_admin:
            message = _("Only an administrator moves an organisation.")
            raise Forbidden(message, fields={"parent_id": message})
        parent = _check_parent(actor, org.kind, changes.parent_id)
        said.append(_("moved under %(name)s") % {"name": parent.name if parent else "-"})
        org.parent = parent
    org.save()  # forgets cached chains and token lookups: scopes may have moved
    if said or changes.phone is not None:
        _log(actor, AdminAction.ORG_CHANGED, organization=org, summary="; ".join(said))
    if changes.is_active is not None:
        _set_org_active(actor, org, changes.is_active)
    return org


def _set_org_active(actor: User, org: Organization, active: bool) -> None:
    if active == is_org_active(org.pk):
        return
    if active:
        if org.parent_id is not None and not is_org_active(org.parent_id):
            raise invalid("is_active", _("Reactivate %(name)s first.") % {"name": org.parent})
    else:
        people = User.objects.filter(organization=org, is_active=True).count()
        children = Organization.objects.filter(parent=org).exclude(pk__in=_inactive_ids()).count()
        if people or children:
            raise invalid(
                "is_active",
                _(
                    "%(name)s still has %(people)d active users and %(children)d active units: "
                    "deactivate or move them first."
                )
                % {"name": org.name, "people": people, "children": children},
            )
    OrganizationState.objects.update_or_create(
        organization=org, defaults={"is_active": active, "changed_by": actor}
    )
    _log(actor, AdminAction.ORG_REACTIVATED if active else AdminAction.ORG_DEACTIVATED, organization=org)


def _inactive_ids() -> list[int]:
    return list(OrganizationState.objects.filter(is_active=False).values_list("organization_id", flat=True))


# --- users --------------------------------------------------------------------------------------


def get_user(*, actor: User, user_id: int) -> User:
    require_view(actor)
    user = users_visible_to(actor).filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("No such user."))
    return user


def _check_role(actor: User, role: str, org: Organization | None) -> None:
    """The role exists, the actor may grant it, and it fits the organisation's kind."""
    if role not in Role.values:
        raise invalid("role", not_one_of(role, Role.values))
    if not may_grant(actor, role):
        message = _("You cannot grant the role %(role)s: it is above your own or outside your dealer.") % {
            "role": Role(role).label
        }
        raise Forbidden(message, fields={"role": message})
    kinds = ROLE_ORG_KINDS[Role(role)]
    if org is None:
        if role != Role.ADMIN:
            raise invalid("organization_id", _("Choose the organisation this person works for."))
        return
    if org.kind not in kinds:
        message = _("A %(role)s works at a %(kinds)s; %(name)s is a %(kind)s.") % {
            "role": Role(role).label,
            "kinds": " / ".join(str(OrgKind(k).label) for k in sorted(kinds)),
            "name": org.name,
            "kind": OrgKind(org.kind).label,
        }
        raise invalid("role", message)


def _resolve_org(actor: User, organization_id: int | None) -> Organization | None:
    if organization_id is None:
        return None
    org = organizations_visible_to(actor).filter(pk=organization_id).first()
    if org is None:
        raise invalid("organization_id", _("No such organisation."))
    if not may_place_users_in(actor, org):
        message = _("You can add people to your own dealer and its departments only.")
        raise Forbidden(message, fields={"organization_id": message})
    if not is_org_active(org.pk):
        raise invalid("organization_id", _("%(name)s is deactivated.") % {"name": org.name})
    return org


def _clean_person(
    errors: dict[str, str],
    *,
    display_name: str | None,
    mobile: str | None,
    agent_number: str | None,
    email: str | None,
) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    if display_name is not None:
        display_name = " ".join(display_name.split())
        if not display_name:
            errors["display_name"] = _("Enter the name colleagues know this person by.")
        elif len(display_name) > 60:
            errors["display_name"] = too_long(60)
        cleaned["display_name"] = display_name
    if mobile is not None:
        cleaned["mobile"] = ""
        if mobile.strip():
            try:
                cleaned["mobile"] = normalize_mobile(mobile)
            except ValueError as exc:
                errors["mobile"] = str(exc)
    if agent_number is not None:
        cleaned["agent_number"] = agent_number.strip()
        if cleaned["agent_number"] and not AGENT_NUMBER_PATTERN.match(cleaned["agent_number"]):
            errors["agent_number"] = _("An agent number has up to 16 letters, digits or -.")
    if email is not None:
        cleaned["email"] = email.strip()
        if cleaned["email"]:
            try:
                validate_email(cleaned["email"])
            except ValidationError:
                errors["email"] = _("Enter an email address such as name@example.com.")
    return cleaned


def _check_agent_number(number: str, org: Organization | None, exclude: int = 0) -> None:
    """An agent number (工号) is unique within a dealer."""
    dealer = org.dealer if org is not None else None
    if not number or dealer is None:
        return
    taken = (
        User.objects.filter(agent_number=number)
        .filter(organization__in=Organization.objects.filter(pk=dealer.pk) | dealer.children.all())
        .exclude(pk=exclude)
        .exists()
    )
    if taken:
        message = _("Agent number %(n)s is already used at this dealer.") % {"n": number}
        raise Duplicate(message, fields={"agent_number": message})


def generate_password() -> str:
    """12 letters and digits (no 0/O, 1/l/I), at least one of each: read out over the phone."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(GENERATED_PASSWORD_LENGTH))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        message = " ".join(str(m) for m in exc.messages)
        raise invalid("password", message) from exc


@dataclass
class UserInput:
    username: str
    display_name: str
    role: str
    organization_id: int | None = None
    mobile: str = ""
    agent_number: str = ""
    email: str = ""
    password: str = ""  # blank: one is generated and shown once


@dataclass
class NewPassword:
    user: User
    password: str = ""  # the generated password, shown once; blank when the actor chose it


@transaction.atomic
def create_user(*, actor: User, data: UserInput) -> NewPassword:
    _require_change(actor)
    org = _resolve_org(actor, data.organization_id)
    _check_role(actor, data.role, org)
    errors: dict[str, str] = {}
    username = data.username.strip()
    try:
        User.username_validator(username)
    except ValidationError:
        errors["username"] = _("A username has letters, digits and @/./+/-/_ only.")
    if not username:
        errors["username"] = _("Enter a username.")
    elif len(username) > 150:
        errors["username"] = too_long(150)
    person = _clean_person(
        errors,
        display_name=data.display_name,
        mobile=data.mobile,
        agent_number=data.agent_number,
        email=data.email,
    )
    raise_if(errors)
    if User.objects.filter(username__iexact=username).exists():
        raise _duplicate_username(username)
    _check_agent_number(person["agent_number"], org)
    user = User(username=username, role=data.role, organization=org, **person)
    generated = ""
    if data.password:
        _check_password(data.password, user)
        user.set_password(data.password)
    else:
        generated = generate_password()
        user.set_password(generated)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise _duplicate_username(username) from exc
    _log(actor, AdminAction.USER_CREATED, organization=org, user=user, summary=f"{username} {user.role}")
    return NewPassword(user, generated)


def _duplicate_username(username: str) -> Duplicate:
    message = _("The username %(u)s is already taken.") % {"u": username}
    return Duplicate(message, fields={"username": message})


@dataclass
class UserChanges:
    """What a PATCH changes (None: unchanged). The username never changes."""

    display_name: str | None = None
    role: str | None = None
    organization_id: int | None = None
    mobile: str | None = None
    agent_number: str | None = None
    email: str | None = None
    is_active: bool | None = None


def _managed_user(actor: User, user_id: int, *, for_update: bool = True) -> User:
    user = get_user(actor=actor, user_id=user_id)
    _require_change(actor)
    if not manages_user(actor, user):
        raise Forbidden(_("You cannot change an account above your own rank or outside your dealer."))
    if for_update:
        user = (
            User.objects.select_for_update(of=("self",))
            .select_related("organization__parent")
            .get(pk=user.pk)
        )
    return user


@transaction.atomic
def update_user(*, actor: User, user_id: int, changes: UserChanges) -> User:
    user = _managed_user(actor, user_id)
    said: list[str] = []
    org = user.organization
    if changes.organization_id is not None and changes.organization_id != user.organization_id:
        org = _resolve_org(actor, changes.organization_id)
        said.append(_("moved to %(name)s") % {"name": org})
    role = changes.role if changes.role is not None else user.role
    if user.pk == actor.pk and (role != user.role or org != user.organization):
        message = _("You cannot change your own role or organisation; ask an administrator.")
        raise Forbidden(message, fields={"role" if role != user.role else "organization_id": message})
    if role != user.role or org != user.organization:
        _check_role(actor, role, org)
        if role != user.role:
            said.append(f"{user.role} → {role}")
    errors: dict[str, str] = {}
    person = _clean_person(
        errors,
        display_name=changes.display_name,
        mobile=changes.mobile,
        agent_number=changes.agent_number,
        email=changes.email,
    )
    raise_if(errors)
    if person.get("agent_number") or org != user.organization:
        _check_agent_number(person.get("agent_number", user.agent_number), org, exclude=user.pk)
    for name, value in person.items():
        if getattr(user, name) != value:
            said.append(name)
            setattr(user, name, value)
    user.role, user.organization = role, org
    deactivating = changes.is_active is False and user.is_active
    reactivating = changes.is_active is True and not user.is_active
    if deactivating and user.pk == actor.pk:
        message = _("You cannot deactivate your own account.")
        raise Forbidden(message, fields={"is_active": message})
    if reactivating and org is not None and not is_org_active(org.pk):
        raise invalid("is_active", _("%(name)s is deactivated.") % {"name": org.name})
    if changes.is_active is not None:
        user.is_active = changes.is_active
    user.save()  # post_save forgets the user's cached token lookups in every process
    if deactivating:
        ApiToken.objects.filter(user=user).delete()  # their API tokens stop at once
        _log(actor, AdminAction.USER_DEACTIVATED, organization=org, user=user)
    elif reactivating:
        _log(actor, AdminAction.USER_REACTIVATED, organization=org, user=user)
    if said:
        _log(actor, AdminAction.USER_CHANGED, organization=org, user=user, summary="; ".join(said))
    return user


@transaction.atomic
def reset_password(*, actor: User, user_id: int, password: str = "") -> NewPassword:
    """Set a temporary password (checked by the installation's password validators) or generate
    one, shown once. Sessions end (Django checks the password hash) and API tokens are revoked."""
    user = _managed_user(actor, user_id)
    generated = ""
    if password:
        _check_password(password, user)
    else:
        password = generated = generate_password()
    user.set_password(password)
    user.save()
    ApiToken.objects.filter(user=user).delete()
    _log(actor, AdminAction.PASSWORD_RESET, organization=user.organization, user=user)
    return NewPassword(user, generated)


def log_entries(*, actor: User, limit: int = 200) -> list[AdminLogEntry]:
    """The latest changes: everything for administrators, their dealer's for a general manager."""
    _require_change(actor)
    entries = AdminLogEntry.objects.select_related("actor", "organization", "user")
    if not actor.is_kesu_admin:
        entries = entries.filter(organization__in=organizations_visible_to(actor))
    return list(entries[:limit])
