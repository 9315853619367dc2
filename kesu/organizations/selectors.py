"""Who holds which role around a dealer: read by the sweep's ladder and the crisis alert."""

from collections import defaultdict

from .models import Organization, User
from .tree import ancestor_chains


class RoleHolders:
    """Who holds each role around a dealer (its departments, region and manufacturer), loaded once
    per dealer: the sweep and the crisis alert both walk the ladder with it."""

    def __init__(self) -> None:
        self._by_dealer: dict[int, dict[str, list[User]]] = {}
        self.users: dict[int, User] = {}  # everyone loaded so far (and assignees), by id

    def load(self, dealer_ids: set[int]) -> None:
        """The people around each of these dealers, in three queries whatever their number."""
        missing = dealer_ids - set(self._by_dealer)
        if not missing:
            return
        chains = ancestor_chains(missing)
        departments: dict[int, list[int]] = defaultdict(list)
        for pk, parent in Organization.objects.filter(parent_id__in=missing).values_list("pk", "parent_id"):
            departments[parent].append(pk)
        orgs = {dealer: chains[dealer] + departments[dealer] for dealer in missing}
        users: dict[int, list[User]] = defaultdict(list)
        wanted = {o for ids in orgs.values() for o in ids}
        for user in User.objects.filter(is_active=True, organization_id__in=wanted):
            users[user.organization_id].append(user)  # type: ignore[index]
            self.users[user.pk] = user
        for dealer, ids in orgs.items():
            people: dict[str, list[User]] = defaultdict(list)
            for org_id in ids:
                for user in users[org_id]:
                    people[user.role].append(user)
            self._by_dealer[dealer] = people

    def holding(self, dealer_id: int, role: str) -> list[User]:
        self.load({dealer_id})
        return self._by_dealer[dealer_id].get(role, [])
