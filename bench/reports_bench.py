"""Issue 14: the dashboard and the monthly review pack on 1,000,000 complaints.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m kesu migrate reports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m kesu report-facts --rebuild
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m bench.reports_bench
    # → bench/results/reports-<time>.json and reports-explain-<time>.txt

``GET /api/v1/insights/dashboard?month=…&org=…`` through Django's test client in this process
(the whole request: bearer token, middleware, the catch-up check, every figure, JSON), for one
dealer (its service manager), one region (its region manager), the whole carmaker (the admin,
``org`` = the manufacturer: all 150 dealers) and the carmaker's CRC (escalated complaints of all
dealers); then the monthly pack (XLSX + PDF) for a region, as the worker makes it. Each query a
dashboard call makes is explained (``EXPLAIN (ANALYZE, BUFFERS)``) and checked for a sequential
scan of the complaint or fact table. Figures are reported, never judged.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import datetime
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # pragma: no cover - CLI bootstrap
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kesu.organizations.choices import OrgKind
from kesu.organizations.models import ApiToken, Organization, User
from kesu.reports import tasks
from kesu.reports.models import ReportJob

RESULTS = Path(__file__).parent / "results"
WHOLE_TABLES = ("complaints_complaint", "reports_complaintfact")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def scenarios(month: str) -> list[tuple[str, User, str]]:
    manufacturer = Organization.objects.get(kind=OrgKind.MANUFACTURER)
    region = Organization.objects.filter(kind=OrgKind.REGION).order_by("pk")[0]
    manager = User.objects.get(username="bench-d001-manager")
    dealer = manager.organization.dealer  # type: ignore[union-attr]
    base = f"/api/v1/insights/dashboard?month={month}"
    return [
        ("dealer", manager, f"{base}&org={dealer.pk}"),  # type: ignore[union-attr]
        ("region", User.objects.get(username="bench-region1"), f"{base}&org={region.pk}"),  # type: ignore[union-attr]
        ("carmaker", User.objects.get(username="bench-admin"), f"{base}&org={manufacturer.pk}"),
        ("carmaker_crc", User.objects.get(username="bench-crc"), base),
    ]


def time_dashboard(client: Client, path: str, runs: int) -> list[float]:
    client.get(path)  # warm-up
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        found.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
    return found


def explain(client: Client, path: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    lines, scans = [], []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not any(name in sql for name in WHOLE_TABLES) or not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        lines.append(f"-- {sql}\n{plan}\n")
        scans += [f"Seq Scan on {name}" for name in WHOLE_TABLES if f"Seq Scan on {name}" in plan]
    return "\n".join(lines), scans


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pack-runs", type=int, default=3)
    parser.add_argument("--only", choices=["dashboard", "pack"], default=None)
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    results: dict[str, Any] = {"month": args.month, "runs": args.runs}
    plans = []
    for name, user, path in scenarios(args.month) if args.only != "pack" else []:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")
        times = time_dashboard(client, path, args.runs)
        figures = client.get(path).json()
        plan, scans = explain(client, path)
        plans.append(f"===== {name}: {path} as {user.username}\n{plan}")
        results[name] = {
            "path": path,
            "user": user.username,
            "complaints_this_month": figures["totals"]["this"],
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1),
            "whole_table_scans": scans,
        }
        print(name, results[name], flush=True)
    region = Organization.objects.filter(kind=OrgKind.REGION).order_by("pk")[0]
    requester = User.objects.get(username="bench-region1")
    pack_times = []
    ReportJob.objects.filter(organization=region, status__in=["queued", "running"]).update(
        status="failed", error="bench: left by an interrupted run"
    )
    for _ in range(args.pack_runs if args.only != "dashboard" else 0):
        job = ReportJob.objects.create(
            organization=region, month=datetime.strptime(args.month, "%Y-%m").date(), requested_by=requester
        )
        started = time.perf_counter()
        tasks.make_pack(job.pk)
        pack_times.append(time.perf_counter() - started)
        job.refresh_from_db()
        assert job.status == "done", job.error
    if pack_times:
        results["pack_region"] = {
            "org": region.pk,
            "median_s": round(statistics.median(pack_times), 2),
            "max_s": round(max(pack_times), 2),
            "runs": [round(t, 2) for t in pack_times],
        }
        print("pack_region", results["pack_region"], flush=True)
    (RESULTS / f"reports-{stamp}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    (RESULTS / f"reports-explain-{stamp}.txt").write_text("\n".join(plans))
    print(f"→ bench/results/reports-{stamp}.json, reports-explain-{stamp}.txt")


if __name__ == "__main__":
    main()
