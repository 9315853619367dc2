"""Where a dealer sits: dealer → region → manufacturer, in one query."""

import time
from typing import cast

from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization

CHAIN_TTL_SECONDS = 60
_CHAINS: dict[int, tuple[float, list[tuple[int, str, str]]]] = {}


def forget() -> None:
    """Drop the cached chains (an organisation was saved or deleted in this process)."""
    _CHAINS.clear()


def chain(organization_id: int | None) -> list[tuple[int, str, str]]:
    """(id, code, kind) of the organisation and its ancestors, nearest first (up to 4 levels).

    Every intake asks (for the nearest trained model): cached per process for CHAIN_TTL_SECONDS,
    and cleared at once when this process saves an organisation."""
    if organization_id is None:
        return []
    cached = _CHAINS.get(organization_id)
    if cached is not None and time.monotonic() - cached[0] < CHAIN_TTL_SECONDS:
        return cached[1]
    found = _chain_from_database(organization_id)
    _CHAINS[organization_id] = (time.monotonic(), found)
    return found


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


def dealer_ids_under(organization: Organization) -> list[int]:
    if organization.kind == OrgKind.DEALER:
        return [organization.pk]
    found: list[int] = []
    frontier = [organization.pk]
    while frontier:
        children = list(Organization.objects.filter(parent_id__in=frontier).values_list("pk", "kind"))
        found += [pk for pk, kind in children if kind == OrgKind.DEALER]
        frontier = [pk for pk, kind in children if kind != OrgKind.DEALER]
    return found
