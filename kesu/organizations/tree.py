"""Walking the organisation tree: ancestor chains (one query per level for many at once, or a
cached chain of one), the manufacturer above a dealer, and the dealers under an organisation."""

from typing import cast

from kesu.core.caches import ProcessCache

from .choices import OrgKind
from .models import Organization

CHAIN_TTL_SECONDS = 60
_CHAINS: ProcessCache[int, list[tuple[int, str, str]]] = ProcessCache(
    "organizations.chains", ttl=CHAIN_TTL_SECONDS
)


def ancestor_chains(org_ids: set[int]) -> dict[int, list[int]]:
    """Each organisation with its parent chain (≤ 10 levels), one query per level."""
    parent: dict[int, int | None] = {}
    frontier = set(org_ids)
    for _level in range(10):
        if not frontier:
            break
        rows = dict(Organization.objects.filter(pk__in=frontier).values_list("pk", "parent_id"))
        parent.update(rows)
        frontier = {p for p in rows.values() if p is not None and p not in parent}
    chains: dict[int, list[int]] = {}
    for org_id in org_ids:
        chain, current = [org_id], parent.get(org_id)
        while current is not None and len(chain) < 10:
            chain.append(current)
            current = parent.get(current)
        chains[org_id] = chain
    return chains


def forget() -> None:
    """Drop the cached chains (an organisation was saved or deleted in this process)."""
    _CHAINS.clear()


def chain(organization_id: int | None) -> list[tuple[int, str, str]]:
    """(id, code, kind) of the organisation and its ancestors, nearest first (up to 4 levels).

    Every intake asks (for the nearest trained model): cached per process for CHAIN_TTL_SECONDS,
    and cleared at once when this process saves an organisation."""
    if organization_id is None:
        return []
    return _CHAINS.get_or_set(organization_id, lambda: _chain_from_database(organization_id))


def _chain_from_database(organization_id: int) -> list[tuple[int, str, str]]:
    row = (
        Organization.objects.filter(pk=organization_id)
        .values_list(
            "pk",
            "code",
            "kind",
            "parent_id",
            "parent__code",
            "parent__kind",
            "parent__parent_id",
            "parent__parent__code",
            "parent__parent__kind",
            "parent__parent__parent_id",
            "parent__parent__parent__code",
            "parent__parent__parent__kind",
        )
        .first()
    )
    if row is None:
        return []
    # values_list types the row as a tuple of int | str | None; a present level has all three
    return [
        cast(tuple[int, str, str], (row[i], row[i + 1], row[i + 2]))
        for i in range(0, 12, 3)
        if row[i] is not None
    ]


def manufacturer_of(organization_id: int | None) -> int | None:
    for pk, _code, kind in chain(organization_id):
        if kind == OrgKind.MANUFACTURER:
            return pk
    return None


def dealer_ids_under(organization: Organization) -> frozenset[int]:
    """The dealers at or below ``organization`` (one query per level below it)."""
    if organization.kind == OrgKind.DEALER:
        return frozenset({organization.pk})
    found: set[int] = set()
    frontier = [organization.pk]
    while frontier:
        children = list(Organization.objects.filter(parent_id__in=frontier).values_list("pk", "kind"))
        found.update(pk for pk, kind in children if kind == OrgKind.DEALER)
        frontier = [pk for pk, kind in children if kind != OrgKind.DEALER]
    return frozenset(found)
