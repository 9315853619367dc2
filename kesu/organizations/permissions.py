"""What each role may do, declared once. Endpoints and pages name a capability; nobody checks
roles by hand."""

from collections.abc import Callable
from enum import StrEnum
from typing import cast

from django.http import HttpRequest, HttpResponse

from kesu.web.access import page as guarded_page

from .choices import OrgKind, Role
from .models import Organization, User
from .scope import user_dealer_id


class Capability(StrEnum):
    VIEW = "view"
    CREATE_COMPLAINT = "create_complaint"
    EDIT_COMPLAINT = "edit_complaint"
    EDIT_CUSTOMER = "edit_customer"
    REVEAL_PHONE = "reveal_phone"
    # PIPL: customers' names, plates and VINs unmasked on every page and API answer (the others
    # read 张**, 粤B·***45 and the VIN without its serial; kesu/core/privacy.py, docs/security.md)
    SEE_IDENTITIES = "see_identities"
    MERGE_CUSTOMERS = "merge_customers"
    # PIPL: erase a customer's personal data on request (kesu/flows/erasure.py), see the log of
    # reveals, exports and erasures (/manage/privacy/)
    ERASE_CUSTOMER = "erase_customer"
    VIEW_PRIVACY_LOG = "view_privacy_log"
    # exports (kesu/exports): who may download a list, whose names/phones appear unmasked
    EXPORT = "export"
    EXPORT_NAMES = "export_names"
    EXPORT_FULL_PHONES = "export_full_phones"
    VIEW_EXPORT_LOGS = "view_export_logs"
    # loading a dealer's DMS export of customers and vehicles (kesu/customers/importing.py)
    IMPORT_CUSTOMERS = "import_customers"
    # the administration pages and API (kesu/administration): organisations, users, hours, robots
    # — who may change what is decided there; the region manager only reads
    ADMINISTER = "administer"
    # kesu.approvals: authority limits (核决权限) are set by administrators; approved money and
    # gifts are paid and handed over by the dealer's managers and departments (财务部, 行政)
    EDIT_AUTHORITY_LIMITS = "edit_authority_limits"
    SETTLE_PAYMENTS = "settle_payments"
    # the call log (kesu/calls): who logs calls at a dealer's phone desk, who audits them (电访稽核)
    LOG_CALLS = "log_calls"
    AUDIT_CALLS = "audit_calls"
    # follow-up calls (kesu/followups): who makes them and posts the service visits and deliveries
    # that generate them — the dealer's desk
    WORK_FOLLOW_UPS = "work_follow_ups"
    # appointments (kesu/appointments): who books, confirms, reschedules and marks arrivals
    BOOK_APPOINTMENTS = "book_appointments"
    # the optional AI assistant (kesu/assistant): who asks it for a summary or a reply draft on a
    # complaint they work on; who switches it on for their dealer and reads what was sent
    USE_ASSISTANT = "use_assistant"
    CONFIGURE_ASSISTANT = "configure_assistant"
    # improvement actions (kesu/improvements): who opens, assigns, reopens and cancels them (an
    # action's owner moves their own along whatever their role); who publishes cases (案例分享)
    MANAGE_IMPROVEMENTS = "manage_improvements"
    PUBLISH_CASES = "publish_cases"


_ALL = frozenset(Role)
_FRONT_DESK = frozenset({Role.AGENT, Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.CRC_AGENT, Role.ADMIN})

ROLES_WITH: dict[Capability, frozenset[Role]] = {
    Capability.VIEW: _ALL,
    Capability.CREATE_COMPLAINT: _FRONT_DESK,
    Capability.EDIT_COMPLAINT: _FRONT_DESK | {Role.DEPARTMENT_STAFF},
    Capability.EDIT_CUSTOMER: _FRONT_DESK,
    Capability.REVEAL_PHONE: _FRONT_DESK,
    # those who talk to the customer or work on their car (a department finds the car by its
    # plate or VIN, calls back about a message left for it, pays compensation to a named
    # person); the region, PR and quality work from statistics and the case, not the person
    Capability.SEE_IDENTITIES: _FRONT_DESK | {Role.DEPARTMENT_STAFF},
    Capability.MERGE_CUSTOMERS: frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN}),
    Capability.ERASE_CUSTOMER: frozenset({Role.GENERAL_MANAGER, Role.ADMIN}),
    Capability.VIEW_PRIVACY_LOG: frozenset({Role.GENERAL_MANAGER, Role.ADMIN}),
    # Everyone but the departments exports what they see; names only for the roles that talk to
    # customers (others get 张**); full phones only for the dealer's managers, and only when
    # asked for (default masked); the logs for the admin and the dealer's general manager.
    Capability.EXPORT: _ALL - {Role.DEPARTMENT_STAFF},
    Capability.EXPORT_NAMES: _FRONT_DESK,
    Capability.EXPORT_FULL_PHONES: frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN}),
    Capability.VIEW_EXPORT_LOGS: frozenset({Role.GENERAL_MANAGER, Role.ADMIN}),
    Capability.IMPORT_CUSTOMERS: frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN}),
    Capability.ADMINISTER: frozenset({Role.GENERAL_MANAGER, Role.REGION_MANAGER, Role.ADMIN}),
    Capability.EDIT_AUTHORITY_LIMITS: frozenset({Role.ADMIN}),
    Capability.SETTLE_PAYMENTS: frozenset(
        {Role.SERVICE_MANAGER, Role.DEPARTMENT_STAFF, Role.GENERAL_MANAGER, Role.ADMIN}
    ),
    # a dealer's people log calls (a department's colleague logs the callback of a message left
    # for them); the manufacturer's roles have no phone desk at a dealer
    Capability.LOG_CALLS: frozenset(
        {Role.AGENT, Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.DEPARTMENT_STAFF, Role.ADMIN}
    ),
    Capability.AUDIT_CALLS: frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN}),
    Capability.WORK_FOLLOW_UPS: frozenset(
        {Role.AGENT, Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN}
    ),
    Capability.BOOK_APPOINTMENTS: frozenset(
        {Role.AGENT, Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN}
    ),
    Capability.USE_ASSISTANT: _FRONT_DESK | {Role.DEPARTMENT_STAFF},
    Capability.CONFIGURE_ASSISTANT: frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN}),
    Capability.MANAGE_IMPROVEMENTS: frozenset(
        {
            Role.SERVICE_MANAGER,
            Role.GENERAL_MANAGER,
            Role.REGION_MANAGER,
            Role.CRC_AGENT,
            Role.QUALITY,
            Role.ADMIN,
        }
    ),
    Capability.PUBLISH_CASES: frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN}),
}


def has_capability(user: User, capability: Capability) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_kesu_admin:
        return True
    return user.role in ROLES_WITH[capability]


def actor(request: HttpRequest) -> User:
    """The acting user of a request; pages and endpoints only run once authenticated."""
    return cast(User, request.user)


def page(
    capability: Capability = Capability.VIEW,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A page that needs ``capability`` (login first; 403 page when the role lacks it)."""
    return guarded_page(lambda request: has_capability(actor(request), capability))


# --- administration: the rank of each role and where each role works ----------------------------
# "Nobody grants a role above their own" reads this table: a higher number is a higher role.
# The manufacturer's roles (CRC, PR, quality) rank above the region and the dealers but are peers
# of one another; only administrators grant them (the organisation rule in
# kesu/administration/services.py keeps a general manager inside their own dealer), and only an
# administrator grants "admin".
ROLE_RANK: dict[Role, int] = {
    Role.AGENT: 1,
    Role.DEPARTMENT_STAFF: 1,
    Role.SERVICE_MANAGER: 2,
    Role.GENERAL_MANAGER: 3,
    Role.REGION_MANAGER: 4,
    Role.CRC_AGENT: 5,
    Role.PR: 5,
    Role.QUALITY: 5,
    Role.ADMIN: 9,
}

# The kinds of organisation a role's holder may belong to (an administrator may belong to none).
ROLE_ORG_KINDS: dict[Role, frozenset[OrgKind]] = {
    Role.AGENT: frozenset({OrgKind.DEALER, OrgKind.DEPARTMENT}),
    Role.SERVICE_MANAGER: frozenset({OrgKind.DEALER, OrgKind.DEPARTMENT}),
    Role.DEPARTMENT_STAFF: frozenset({OrgKind.DEPARTMENT}),
    Role.GENERAL_MANAGER: frozenset({OrgKind.DEALER}),
    Role.REGION_MANAGER: frozenset({OrgKind.REGION}),
    Role.CRC_AGENT: frozenset({OrgKind.MANUFACTURER}),
    Role.PR: frozenset({OrgKind.MANUFACTURER}),
    Role.QUALITY: frozenset({OrgKind.MANUFACTURER}),
    Role.ADMIN: frozenset({OrgKind.MANUFACTURER}),
}


def role_rank(role: str) -> int:
    return ROLE_RANK.get(Role(role), 0) if role in Role.values else 0


def administered_dealer_id(user: User) -> int | None:
    """The dealer a general manager administers (its users, departments, hours and robots)."""
    if not user.is_active or user.is_kesu_admin or user.role != Role.GENERAL_MANAGER:
        return None
    return user_dealer_id(user)


def may_configure(user: User, organization: Organization | None) -> bool:
    """May ``user`` change the settings of ``organization`` (business hours, calendar dates,
    group robots)? Administrators: any (None: the installation's defaults); a general manager:
    their own dealer and its departments."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_kesu_admin:
        return True
    dealer_id = administered_dealer_id(user)
    if organization is None or dealer_id is None:
        return False
    return organization.pk == dealer_id or organization.parent_id == dealer_id
