"""Loading the seed lists into an organisation — at migration time and lazily on first use.

Written against model classes passed in, so the data migration can use its historical models.
"""

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from kesu.language.seed import SEED_PHRASES, SEED_REPLIES, SeedPhrase

LIST_OWNER_KINDS = ("manufacturer", "region", "dealer")
CONTEXT_FIELDS = ("variants", "polite_before", "polite_after")


def _context(item: SeedPhrase, phrase_model: Any) -> dict[str, str]:
    """The paraphrases and polite contexts of a seed phrase, when the (possibly historical)
    model has their fields: migration 0002 runs before 0003 added them."""
    names = {field.name for field in phrase_model._meta.get_fields()}
    if not set(CONTEXT_FIELDS) <= names:
        return {}
    return {
        "variants": item["variants"],
        "polite_before": item["polite_before"],
        "polite_after": item["polite_after"],
    }


def new_stamp() -> str:
    return uuid.uuid4().hex


def seed_into(
    organization_id: int,
    *,
    profile_model: Any,
    phrase_model: Any,
    template_model: Any,
) -> Any:
    """Give ``organization_id`` the seed phrases and replies, once each. Returns its profile.

    Concurrent first uses are safe: the profile row is locked, and a list that an organisation
    emptied on purpose is never refilled (the ``*_seeded_at`` stamps stay set).
    """
    with transaction.atomic():
        profile, _ = profile_model.objects.get_or_create(
            organization_id=organization_id, defaults={"stamp": new_stamp()}
        )
        profile = profile_model.objects.select_for_update().get(pk=profile.pk)
        now = timezone.now()
        changed = False
        if profile.phrases_seeded_at is None:
            phrase_model.objects.bulk_create(
                [
                    phrase_model(
                        organization_id=organization_id,
                        phrase=item["phrase"],
                        pattern=item["pattern"],
                        exceptions=item["exceptions"],
                        **_context(item, phrase_model),
                        alternative=item["alternative"],
                        situation=item["situation"],
                        seed_key=item["key"],
                    )
                    for item in SEED_PHRASES
                ],
                ignore_conflicts=True,
            )
            profile.phrases_seeded_at = now
            profile.stamp = new_stamp()
            changed = True
        if profile.replies_seeded_at is None:
            template_model.objects.bulk_create(
                [
                    template_model(
                        organization_id=organization_id,
                        title=item["title"],
                        situation=item["situation"],
                        objection_nature=item["objection_nature"],
                        objection_content=item["objection_content"],
                        text=item["text"],
                        status="approved",
                        decided_at=now,
                        seed_key=item["key"],
                    )
                    for item in SEED_REPLIES
                ]
            )
            profile.replies_seeded_at = now
            changed = True
        if changed:
            profile.save()
        return profile
