"""After the locust run and the fault drill: were acknowledged writes lost, was any message sent
twice, is everything back? (`python -m bench.locust_check`; bench/README.md.)

- every id in bench/results/locust-acked.txt (each a 201 a user saw) must be in the database;
- deliveries: counts by status; a non-development channel with attempts > 1 that is "sent" was
  retried after a refusal or an unopened connection (safe), but one "uncertain" waits for a person
  and none may have been resent by itself;
- the group robots' side (bench.robot_sink's log): every message the robots received, counted;
  one received twice is a doubled notification (must be 0), and each robot delivery the outbox
  calls sent must have arrived;
- the health check's view (workers beating, backlogs), read through the same code as /healthz.

Prints one JSON object; exit status 1 if an acknowledged write is missing.
"""

import argparse
import json
import sys
from pathlib import Path

from bench.locust_prepare import ROBOT_MARK
from bench.measure import RESULTS, django_setup


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kesu_bench")
    parser.add_argument("--acked", type=Path, default=RESULTS / "locust-acked.txt")
    parser.add_argument("--robot-log", type=Path, default=RESULTS / "robot-sink.jsonl")
    args = parser.parse_args(argv)
    django_setup(args.database_url)
    from django.db.models import Count

    from kesu.complaints.models import Complaint
    from kesu.notifications.models import Delivery
    from kesu.ops.health import report

    acked = {int(line) for line in args.acked.read_text().split()} if args.acked.exists() else set()
    found = set(Complaint.objects.filter(pk__in=acked).values_list("pk", flat=True))
    status, health = report()
    result = {
        "acknowledged_creates": len(acked),
        "lost": sorted(acked - found)[:50],
        "lost_count": len(acked - found),
        "deliveries_by_status": dict(Delivery.objects.values_list("status").annotate(n=Count("pk"))),
        "uncertain": list(
            Delivery.objects.filter(status="uncertain").values("pk", "channel", "attempts", "claimed_at")[:50]
        ),
        "health_status": status,
        "health": health,
    }
    result["robots"] = robot_side(args.robot_log)
    print(json.dumps(result, ensure_ascii=False, default=str, indent=1))
    sys.exit(1 if result["lost_count"] or result["robots"]["doubled_count"] else 0)


def robot_side(log: Path) -> dict[str, object]:
    """What the robots received against what the outbox says it sent to them."""
    from collections import Counter

    from kesu.notifications.models import Delivery, WebhookTarget

    received: Counter[tuple[str, str]] = Counter()
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            received[(entry["path"].rsplit("/", 1)[-1], entry["text"])] += 1
    robots = dict(WebhookTarget.objects.filter(secret=ROBOT_MARK).values_list("pk", "organization_id"))
    by_status: Counter[str] = Counter()
    sent_missing, uncertain_arrived = 0, 0
    for target, subject, body, status in Delivery.objects.filter(
        channel="webhook", target__in=[str(pk) for pk in robots]
    ).values_list("target", "subject", "body", "status"):
        by_status[status] += 1
        arrived = received.get((str(robots[int(target)]), f"**{subject}**\n\n{body}"), 0)
        sent_missing += status == "sent" and arrived == 0
        uncertain_arrived += status == "uncertain" and arrived > 0
    doubled = {f"{path}: {text[:60]}": n for (path, text), n in received.items() if n > 1}
    return {
        "messages_received": sum(received.values()),
        "distinct_messages": len(received),
        "doubled_count": len(doubled),
        "doubled": dict(list(doubled.items())[:20]),
        "robot_deliveries_by_status": dict(by_status),
        "sent_but_not_received": sent_missing,
        "uncertain_that_had_arrived": uncertain_arrived,
    }


if __name__ == "__main__":
    main()
