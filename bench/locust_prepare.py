"""Prepare the locust scenario (issue 16 item 5): 50 desk users with their tokens, their dealer's
customers and vehicles and some complaint ids, written to bench/results/locust-users.json so the
locust process needs no Django (`python -m bench.locust_prepare`; see bench/README.md)."""

import argparse
import json
import random
from pathlib import Path
from typing import Any

from bench.measure import RESULTS, django_setup


def prepare(tokens: dict[str, Any], users: int, seed: int) -> list[dict[str, Any]]:
    from kesu.complaints.models import Complaint
    from kesu.customers.models import Vehicle

    rng = random.Random(seed)
    agents = sorted((u, t) for u, t in tokens.items() if t["role"] == "agent" and t.get("dealer_id"))
    chosen = rng.sample(agents, min(users, len(agents)))
    prepared = []
    for username, token in chosen:
        dealer_id = token["dealer_id"]
        vehicles = list(
            Vehicle.objects.filter(customer__dealer_id=dealer_id)
            .order_by("?")
            .values_list("customer_id", "pk")[:40]
        )
        complaints = list(
            Complaint.objects.filter(dealer_id=dealer_id).order_by("-pk").values_list("pk", flat=True)[:200]
        )
        prepared.append(
            {
                "username": username,
                "token": token["token"],
                "dealer_id": dealer_id,
                "vehicles": vehicles,
                "complaints": complaints,
            }
        )
    return prepared


ROBOT_MARK = "bench-robot"


def point_robots(dealer_ids: list[int], base_url: str) -> int:
    """One WeCom robot per chosen dealer, pointed at ``bench.robot_sink`` (the service's host
    check is for real robots; these rows are the bench's own). Earlier bench robots are removed
    first, so a second run counts only its own messages."""
    from kesu.notifications.models import WebhookTarget

    WebhookTarget.objects.filter(secret=ROBOT_MARK).delete()
    WebhookTarget.objects.bulk_create(
        WebhookTarget(
            organization_id=dealer_id,
            provider=WebhookTarget.Provider.WECOM,
            url=f"{base_url.rstrip('/')}/{dealer_id}",
            secret=ROBOT_MARK,  # unused by WeCom; marks the rows as the bench's
        )
        for dealer_id in sorted(set(dealer_ids))
    )
    return len(set(dealer_ids))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kesu_bench")
    parser.add_argument("--tokens", type=Path, default=RESULTS / "tokens.json")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--out", type=Path, default=RESULTS / "locust-users.json")
    parser.add_argument(
        "--robot-url",
        default="http://127.0.0.1:8899/robot",
        help="group robots of the chosen dealers post here (bench.robot_sink); '' for none",
    )
    args = parser.parse_args(argv)
    django_setup(args.database_url)
    tokens = json.loads(args.tokens.read_text())["users"]
    users = prepare(tokens, args.users, seed=16)
    args.out.write_text(json.dumps(users, ensure_ascii=False), encoding="utf-8")
    print(f"{len(users)} desk users → {args.out}")
    if args.robot_url:
        robots = point_robots([u["dealer_id"] for u in users], args.robot_url)
        print(f"{robots} group robots → {args.robot_url}/<dealer id>")


if __name__ == "__main__":
    main()
