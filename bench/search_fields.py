"""Issue 11: the queue's search by customer and vehicle — name, plate fragment, phone tail (and
VIN / number fragments) — timed per request, as an agent and as the carmaker's CRC.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m bench.search_fields

Runs ``GET /api/v1/complaints?q=<term>`` in process (Django's test client, bearer tokens from
bench/results/tokens.json: the agent of the largest dealer and ``bench-crc``) for ``--terms``
different terms of each kind, taken from that user's own customers (the CRC's: customers with an
escalated complaint), after ``--warm`` requests to warm the process. Prints and saves
(bench/results/search-fields-<time>.json) the median and p95 per kind and user, how many
requests found nothing (should be 0: each term belongs to a complaint in scope) and, with
``--explain``, the plans of one search of each kind.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

if __name__ == "__main__":  # pragma: no cover - CLI bootstrap
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

RESULTS = Path(__file__).resolve().parent / "results"
KINDS = ("name", "plate", "phone_tail", "vin", "number")


def terms_for(user_kind: str, dealer_id: int | None, count: int, rng: random.Random) -> dict[str, list[str]]:
    """``count`` search terms of each kind, each belonging to a complaint the user sees."""
    from kesu.complaints.models import Complaint

    complaints = Complaint.objects.filter(vehicle__isnull=False)
    if user_kind == "agent":
        complaints = complaints.filter(dealer_id=dealer_id)
    else:
        complaints = complaints.filter(escalated_at__isnull=False)
    ids = list(complaints.order_by().values_list("pk", flat=True)[:200_000])
    sample = rng.sample(ids, min(len(ids), count))
    rows = list(
        Complaint.objects.filter(pk__in=sample).values_list(
            "number", "customer__name", "customer__mobile", "vehicle__plate", "vehicle__vin"
        )
    )
    terms: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for i, (number, name, mobile, plate, vin) in enumerate(rows):
        terms["name"].append(name)
        # 粤B12 style (province + 2) and b123 style (lower case, no province), alternately
        terms["plate"].append(plate[:4] if i % 2 == 0 else plate[1:5].lower())
        terms["phone_tail"].append(mobile[-4:])
        terms["vin"].append(vin[-6:])
        terms["number"].append(number[-6:])
    return terms


def timed(client: Client, token: str, term: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(f"/api/v1/complaints?q={quote(term)}", HTTP_AUTHORIZATION=f"Bearer {token}")
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return elapsed, int(response.json()["count"])


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def explain_one(token: str, term: str) -> str:
    client = Client()
    lines = []
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/api/v1/complaints?q={quote(term)}", HTTP_AUTHORIZATION=f"Bearer {token}")
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.startswith("SELECT") and ("customers_" in sql or "complaints_complaint" in sql):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            lines.append(f"--- {float(query['time']) * 1000:.1f} ms: {sql[:300]}\n{plan}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=Path, default=RESULTS / "tokens.json")
    parser.add_argument("--terms", type=int, default=60)
    parser.add_argument("--warm", type=int, default=10)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    from bench.measure import pick_agents

    users = json.loads(args.tokens.read_text())["users"]
    agent, dealer_id, _agents = pick_agents(users)
    crc = next(u for u, t in users.items() if t["role"] == "crc_agent")
    rng = random.Random(args.seed)
    client = Client()
    report: dict[str, Any] = {"agent": agent, "dealer_id": dealer_id, "crc": crc, "results": []}
    explained = []
    for user_kind, username in (("agent", agent), ("crc", crc)):
        token = users[username]["token"]
        terms = terms_for(user_kind, dealer_id, args.terms, rng)
        for term in terms["name"][: args.warm]:
            timed(client, token, term)
        for kind in KINDS:
            times, empty, counts = [], 0, []
            for term in terms[kind]:
                elapsed, count = timed(client, token, term)
                times.append(elapsed)
                counts.append(count)
                empty += count == 0
            row = {
                "user": user_kind,
                "kind": kind,
                "n": len(times),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(p95(times), 1),
                "max_ms": round(max(times), 1),
                "median_matches": statistics.median(counts),
                "found_nothing": empty,
                "example": terms[kind][0],
            }
            report["results"].append(row)
            print(
                f"{user_kind:5} {kind:10} n={row['n']:3}  median {row['median_ms']:6.1f} ms  "
                f"p95 {row['p95_ms']:6.1f} ms  max {row['max_ms']:6.1f} ms  "
                f"matches(median) {row['median_matches']:>6}  none {empty}  e.g. {row['example']}"
            )
            if args.explain:
                explained.append(
                    f"\n=== {user_kind} {kind} {terms[kind][0]}\n" + explain_one(token, terms[kind][0])
                )
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"search-fields-{stamp}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    if explained:
        text = "\n".join(explained)
        (RESULTS / f"search-fields-explain-{stamp}.txt").write_text(text)
        print(text)
    return report


if __name__ == "__main__":
    main()
