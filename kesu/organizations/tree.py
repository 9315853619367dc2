"""Walking the organisation tree for many organisations at once (one query per level)."""

from .models import Organization


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
