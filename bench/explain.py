"""What one request costs in SQL: the queries of each benchmarked endpoint, with their plans.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m bench.explain

Runs each request once in process (Django's test client, bearer token from tokens.json), prints
the number of queries and their time, and ``EXPLAIN (ANALYZE, BUFFERS)`` of every SELECT on
complaints. The create request runs in a transaction that is rolled back. Output also goes to
bench/results/explain.txt.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import time
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any
from urllib.parse import quote

if __name__ == "__main__":  # pragma: no cover - CLI bootstrap
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kesu.customers.models import Vehicle

RESULTS = Path(__file__).resolve().parent / "results"


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def show(title: str, token: str, method: str, path: str, body: dict | None = None) -> None:
    client = Client()
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client.get("/api/v1/complaints?page_size=1", **headers)  # warm the worker-like caches
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            started = time.monotonic()
            if method == "GET":
                response = client.get(path, **headers)
            else:
                response = client.post(path, json.dumps(body), "application/json", **headers)
            elapsed = (time.monotonic() - started) * 1000
        print(f"\n=== {title}: {method} {path} → {response.status_code}, {elapsed:.1f} ms, "
              f"{len(captured.captured_queries)} queries")  # fmt: skip
        for query in captured.captured_queries:
            print(f"  {float(query['time']) * 1000:7.2f} ms  {query['sql'][:400]}")
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.startswith("SELECT") and "complaints_complaint" in sql.split("WHERE")[0]:
                print(f"\n--- plan: {sql[:160]}…")
                print(explain(sql))
        transaction.set_rollback(True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=Path, default=RESULTS / "tokens.json")
    parser.add_argument("--agent", default="", help="default: agent of the largest dealer")
    parser.add_argument("--word2", default="刹车")
    parser.add_argument("--word4", default="刹车失灵")
    args = parser.parse_args(argv)
    from bench.measure import pick_agents

    users = json.loads(args.tokens.read_text())["users"]
    agent = args.agent or pick_agents(users)[0]
    dealer_id = users[agent]["dealer_id"]
    admin = next(u for u, t in users.items() if t["role"] == "admin")
    vehicle = Vehicle.objects.filter(customer__dealer_id=dealer_id).first()
    assert vehicle is not None
    out = io.StringIO()
    with redirect_stdout(out):
        print(f"agent {agent}, dealer {dealer_id}")
        t_agent, t_admin = users[agent]["token"], users[admin]["token"]
        show("work queue", t_agent, "GET", "/api/v1/complaints?status=investigating")
        show("queue, no filter", t_agent, "GET", "/api/v1/complaints")
        for word in (args.word2, args.word4):
            show(f"search {word} (agent)", t_agent, "GET", f"/api/v1/complaints?q={quote(word)}")
            show(f"search {word} (admin)", t_admin, "GET", f"/api/v1/complaints?q={quote(word)}")
        body = {"customer_id": vehicle.customer_id, "vehicle_id": vehicle.pk, "channel": "phone",
                "verbatim": "刹车有异响，修了三次还没有修好", "severity": "normal"}  # fmt: skip
        show("create", t_agent, "POST", "/api/v1/complaints", body)
    text = out.getvalue()
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "explain.txt").write_text(text)


if __name__ == "__main__":
    main()
