"""The installation's default policy: 2-3-7 (reply in 2 working hours, close in 3 working days,
revisit within 7 days) and a written decision within 7 days."""

from django.db import migrations

LADDER = [
    {"role": "service_manager", "after_minutes": 0},
    {"role": "general_manager", "after_minutes": 120},
    {"role": "region_manager", "after_minutes": 1440},
    {"role": "crc_agent", "after_minutes": 2880},
]


def create(apps, schema_editor):
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    if not SlaPolicy.objects.filter(family="default").exists():
        SlaPolicy.objects.create(family="default", version=1, name="2-3-7", ladder=LADDER)


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
