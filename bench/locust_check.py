"""After the locust run and the fault drill: were acknowledged writes lost, was any message sent
twice, is everything back? (`python -m bench.locust_check`; bench/README.md.)

- every id in bench/results/locust-acked.txt (each a 201 a user saw) must be in the database;
- deliveries: counts by status; a non-development channel with attempts > 1 that is "sent" was
  retried after a refusal or an unopened connection (safe), but one "uncertain" waits for a person
  and none may have been resent by itself;
- the health check's view (workers beating, backlogs), read through the same code as /healthz.

Prints one JSON object; exit status 1 if an acknowledged write is missing.
"""

import argparse
import json
import sys
from pathlib import Path

from bench.measure import RESULTS, django_setup


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kesu_bench")
    parser.add_argument("--acked", type=Path, default=RESULTS / "locust-acked.txt")
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
    print(json.dumps(result, ensure_ascii=False, default=str, indent=1))
    sys.exit(1 if result["lost_count"] else 0)


if __name__ == "__main__":
    main()
