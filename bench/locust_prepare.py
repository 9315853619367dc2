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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kesu_bench")
    parser.add_argument("--tokens", type=Path, default=RESULTS / "tokens.json")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--out", type=Path, default=RESULTS / "locust-users.json")
    args = parser.parse_args(argv)
    django_setup(args.database_url)
    tokens = json.loads(args.tokens.read_text())["users"]
    users = prepare(tokens, args.users, seed=16)
    args.out.write_text(json.dumps(users, ensure_ascii=False), encoding="utf-8")
    print(f"{len(users)} desk users → {args.out}")


if __name__ == "__main__":
    main()
