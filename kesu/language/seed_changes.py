"""Bringing seeded forbidden phrases to new values in a data migration (issue 15).

Each migration that changes the seed's wordings freezes its own ``changes`` (seed key -> field ->
(value seeded before, new value)) and calls :func:`apply` both ways. A field is changed only where
it still holds the seeded value, so an organisation's own edit is left alone; each list touched
gets a new stamp, so every process recompiles its matcher. Migrations run this code whenever they
run: keep its behaviour as it is (a different rule needs a new function).
"""

import uuid
from typing import Any

Changes = dict[str, dict[str, tuple[str, str]]]


def apply(apps: Any, changes: Changes, *, new: bool) -> None:
    """Forward (``new=True``) or back, on the historical models of ``apps``."""
    phrases = apps.get_model("language", "ForbiddenPhrase")
    profiles = apps.get_model("language", "LanguageProfile")
    touched: set[int] = set()
    for seed_key, fields in changes.items():
        for field, (before, after) in fields.items():
            old, value = (before, after) if new else (after, before)
            rows = phrases.objects.filter(seed_key=seed_key, **{field: old})
            touched.update(rows.values_list("organization_id", flat=True))
            rows.update(**{field: value})
    for organization_id in touched:
        profiles.objects.filter(organization_id=organization_id).update(stamp=uuid.uuid4().hex)
