"""Load the seed forbidden-phrase list and reply library into every existing list owner.

Organisations created later get them on first use (``services.guard.ensure_profile``).
"""

from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from kesu.language.services.seeding import LIST_OWNER_KINDS, seed_into

    Organization = apps.get_model("organizations", "Organization")
    for org_id in Organization.objects.filter(kind__in=LIST_OWNER_KINDS).values_list("pk", flat=True):
        seed_into(
            org_id,
            profile_model=apps.get_model("language", "LanguageProfile"),
            phrase_model=apps.get_model("language", "ForbiddenPhrase"),
            template_model=apps.get_model("language", "ReplyTemplate"),
        )


class Migration(migrations.Migration):
    dependencies = [("language", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
