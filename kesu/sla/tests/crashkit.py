"""Runs one step of the crash tests in its own process: `python -m kesu.sla.tests.crashkit STEP`.

STEP is seed | sweep | deliver | report. The database comes from DATABASE_URL, so the test can
kill -9 a worker mid-way and start another against the same data.
"""

import json
import os
import sys


def main(step: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if step == "seed":
        seed(int(os.environ.get("CRASH_COMPLAINTS", "40")))
    elif step == "sweep":
        from datetime import datetime

        from kesu.sla.calendar import SHANGHAI
        from kesu.sla.sweep import sweep

        print(sweep(now=datetime(2026, 3, 20, 12, 0, tzinfo=SHANGHAI)), flush=True)
    elif step == "deliver":
        from kesu.notifications.delivery import deliver_due

        print(deliver_due(limit=100_000), flush=True)
    elif step == "report":
        print(json.dumps(report()))


def seed(count: int) -> None:
    from datetime import datetime, timedelta

    from kesu.complaints.tests.factories import make_complaint, make_customer
    from kesu.demo.builder import build_organizations
    from kesu.sla.calendar import SHANGHAI

    demo = build_organizations("x")
    for index, name in enumerate(["manager1", "gm1", "agent1", "region1", "crc1"]):
        user = demo.users[name]
        user.email, user.mobile = f"{name}@example.cn", f"1390000{index:04d}"
        user.save()
    customer = make_customer(demo, 1)
    start = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
    for index in range(count):
        make_complaint(
            demo,
            1,
            customer=customer,
            received_at=start + timedelta(minutes=index),
            assignee_id=demo.users["agent1"].pk,
        )


def report() -> dict[str, object]:
    from django.db.models import Count

    from kesu.complaints.models import TimelineEntry
    from kesu.notifications.models import Delivery, Notification
    from kesu.sla.models import Breach, Clock, EscalationStep

    return {
        "clocks": Clock.objects.count(),
        "breached_clocks": Clock.objects.filter(state="breached").count(),
        "breaches": Breach.objects.count(),
        "breach_entries": TimelineEntry.objects.filter(kind="sla_breach").count(),
        "escalation_entries": TimelineEntry.objects.filter(kind="escalation").count(),
        "steps": EscalationStep.objects.count(),
        "notifications": Notification.objects.count(),
        "deliveries": Delivery.objects.count(),
        "sms_deliveries": Delivery.objects.filter(channel="sms").count(),
        "pending": Delivery.objects.exclude(status="sent").count(),
        "duplicate_steps": EscalationStep.objects.values("clock", "level")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count(),
        "due_clocks_left": Clock.objects.filter(
            next_check_at__isnull=False, next_check_at__lte="2026-03-20T04:00:00Z"
        ).count(),
    }


if __name__ == "__main__":
    main(sys.argv[1])
