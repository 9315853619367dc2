"""Whose list is it, who may see it, who may change it.

Each organisation that talks to customers keeps its own forbidden-phrase list and reply library:
a dealer (for everybody working there, departments included), or the manufacturer / a region
for their own staff. Scope comes from ``organizations.scope``: a region manager may read the
lists of the region's dealers; nobody reads another dealer's list.
"""

from kesu.organizations.choices import Role
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import scope_for, user_dealer_id

# Who curates the list and approves standard replies (DOMAIN.md: the service manager signs,
# the general manager approves).
MANAGER_ROLES = frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER})
# Who may propose a standard reply: everybody who talks to customers.
PROPOSER_ROLES = frozenset(
    {
        Role.AGENT,
        Role.SERVICE_MANAGER,
        Role.GENERAL_MANAGER,
        Role.DEPARTMENT_STAFF,
        Role.CRC_AGENT,
    }
)


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def list_owner_id(user: User) -> int | None:
    """The organisation whose list applies to ``user`` (None: an administrator without one)."""
    if not _active(user):
        return None
    dealer_id = user_dealer_id(user)
    if dealer_id is not None:
        return dealer_id
    return user.organization_id


def viewable_org_ids(user: User) -> frozenset[int] | None:
    """Organisations whose lists ``user`` may read; None means all (administrators)."""
    if not _active(user):
        return frozenset()
    if user.is_kesu_admin:
        return None
    own = list_owner_id(user)
    ids = set(scope_for(user).dealer_ids)
    if own is not None:
        ids.add(own)
    return frozenset(ids)


def can_view(user: User, organization_id: int) -> bool:
    ids = viewable_org_ids(user)
    return ids is None or organization_id in ids


def can_manage(user: User, organization_id: int) -> bool:
    """Edit the phrase list and decide on proposed replies of ``organization_id``."""
    if not _active(user):
        return False
    if user.is_kesu_admin:
        return True
    return user.role in MANAGER_ROLES and list_owner_id(user) == organization_id


def can_propose(user: User) -> bool:
    return _active(user) and (user.is_kesu_admin or user.role in PROPOSER_ROLES)


def can_reply(user: User) -> bool:
    """Send a reply from a complaint: whoever may edit the complaint."""
    return has_capability(user, Capability.EDIT_COMPLAINT)
