"""Issue 13: the agent's day (``GET /api/v1/worklist``) with 1,000,000 complaints and 5,000,000
work items in the database, timed per request in process, for agents of several dealers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m bench.worklist_bench

The first run adds work items set-based (``INSERT … SELECT generate_series``) until the table
holds ``--items`` rows: spread over every dealer, 20 % open, half of the open ones given to one of
the dealer's agents, the rest on the desk; due times from a month ago to a month ahead; kinds
mixed. Then ``--agents`` agents each call the endpoint ``--runs`` times after ``--warm`` calls;
prints and saves (bench/results/worklist-<time>.json) median and p95, and the plan of the
heaviest query with ``--explain``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # pragma: no cover - CLI bootstrap
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()

from django.db import connection
from django.test import Client

RESULTS = Path(__file__).resolve().parent / "results"

FILL = """
INSERT INTO worklist_workitem
    (dealer_id, assignee_id, kind, state, due_at, subject, ref_model, ref_id, created_at)
SELECT d.dealer_id,
       CASE WHEN g % 10 < 1 THEN d.user_id END,
       (ARRAY['follow_up','care_call','confirmation','callback','care_call'])[1 + g % 5],
       CASE WHEN g % 5 = 0 THEN 'open' ELSE 'done' END,
       now() - interval '30 days' + (g % 86400) * interval '60 seconds',
       '回访 ' || g,
       'bench.item',
       {start} + g,
       now()
FROM generate_series(1, {count}) AS g
JOIN (
    SELECT row_number() OVER (ORDER BY u.id) - 1 AS slot, u.id AS user_id,
           CASE WHEN o.kind = 'dealer' THEN o.id ELSE o.parent_id END AS dealer_id
    FROM organizations_user u JOIN organizations_organization o ON o.id = u.organization_id
    WHERE u.role = 'agent'
) AS d ON d.slot = g % {agents}
"""


def fill(target: int) -> int:
    """Add work items until the table holds ``target`` rows; returns how many were added."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(max(ref_id), 0) FROM worklist_workitem")
        have, start = cursor.fetchone()
        missing = target - have
        if missing <= 0:
            return 0
        cursor.execute("SELECT count(*) FROM organizations_user WHERE role = 'agent'")
        (agents,) = cursor.fetchone()
        # integers only, formatted in; no parameters, so psycopg leaves the modulo signs alone
        cursor.execute(FILL.format(start=int(start), count=int(missing), agents=int(agents)))
        cursor.execute("ANALYZE worklist_workitem")
    return missing


def measure(agents: int, runs: int, warm: int) -> dict[str, Any]:
    from kesu.organizations.models import ApiToken, User

    users = list(User.objects.filter(role="agent").order_by("id")[:agents])
    timings: list[float] = []
    sizes: list[int] = []
    for user in users:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")
        for _ in range(warm):
            client.get("/api/v1/worklist")
        for _ in range(runs):
            began = time.perf_counter()
            response = client.get("/api/v1/worklist")
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.content
            sizes.append(response.json()["total"])
    timings.sort()
    return {
        "requests": len(timings),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "open_items_per_agent_median": statistics.median(sizes),
    }


def explain(user_id: int, dealer_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT kind, count(id) FROM worklist_workitem "
            "WHERE assignee_id IS NULL AND dealer_id = %s AND state = 'open' GROUP BY kind",
            [dealer_id],
        )
        plan = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM worklist_workitem "
            "WHERE assignee_id = %s AND state = 'open' ORDER BY due_at, id LIMIT 100",
            [user_id],
        )
        return "\n".join(plan + [""] + [row[0] for row in cursor.fetchall()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5_000_000)
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--explain", action="store_true")
    options = parser.parse_args()
    began = time.monotonic()
    added = fill(options.items)
    print(f"work items added: {added} in {time.monotonic() - began:.1f}s")
    result = {"items": options.items, "added": added, **measure(options.agents, options.runs, options.warm)}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"worklist-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(result, indent=2))
    if options.explain:
        from kesu.organizations.models import User

        user = User.objects.filter(role="agent").select_related("organization").order_by("id").first()
        print(explain(user.pk, user.organization.parent_id))  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
