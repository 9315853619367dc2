"""Give the seeded phrases of every existing list their paraphrases and polite contexts (issue 15).

Only rows still carrying a seed key and with the three new fields empty are filled, so an
organisation's own edits are never overwritten; each touched list gets a new stamp, so every
process recompiles its matcher.
"""

import uuid

from django.db import migrations


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    from kesu.language.seed import SEED_CONTEXT

    ForbiddenPhrase = apps.get_model("language", "ForbiddenPhrase")
    LanguageProfile = apps.get_model("language", "LanguageProfile")
    touched: set[int] = set()
    rows = ForbiddenPhrase.objects.filter(
        seed_key__in=list(SEED_CONTEXT), variants="", polite_before="", polite_after=""
    )
    for row in rows.iterator():
        context = SEED_CONTEXT[row.seed_key]
        row.variants = context["variants"]
        row.polite_before = context["polite_before"]
        row.polite_after = context["polite_after"]
        row.save(update_fields=["variants", "polite_before", "polite_after"])
        touched.add(row.organization_id)
    for organization_id in touched:
        LanguageProfile.objects.filter(organization_id=organization_id).update(stamp=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [("language", "0003_phrase_variants_and_context")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
