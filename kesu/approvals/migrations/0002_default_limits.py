"""The installation's default authority limits (核决权限, issue 12): used wherever a dealer, its
region and the manufacturer set none of their own. Editable afterwards by an administrator
(PUT /api/v1/authority-limits)."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = {
    # seed 003's storm wiper: the agent's quick fix, a meal, a small gift — no money promised
    "agent": (Decimal("500.00"), ["free_repair", "apology", "gift"]),
    "department_staff": (Decimal("0.00"), []),
    # no return and no exchange: those go up
    "service_manager": (
        Decimal("2000.00"),
        ["discount", "free_repair", "compensation", "apology", "gift", "towing", "transport", "loaner", "other"],
    ),
    "general_manager": (
        Decimal("20000.00"),
        [
            "exchange",
            "discount",
            "free_repair",
            "compensation",
            "apology",
            "gift",
            "towing",
            "transport",
            "loaner",
            "other",
        ],
    ),
    # the carmaker's region decides a return and anything above the general manager
    "region_manager": (
        Decimal("1000000.00"),
        [
            "return",
            "exchange",
            "discount",
            "free_repair",
            "compensation",
            "apology",
            "gift",
            "towing",
            "transport",
            "loaner",
            "other",
        ],
    ),
}


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    AuthorityLimit = apps.get_model("approvals", "AuthorityLimit")
    for role, (max_total, remedies) in DEFAULTS.items():
        AuthorityLimit.objects.get_or_create(
            organization=None, role=role, defaults={"max_total": max_total, "remedies": remedies}
        )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("approvals", "AuthorityLimit").objects.filter(organization=None).delete()


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_authority_and_approvals")]
    operations = [migrations.RunPython(seed, unseed)]
