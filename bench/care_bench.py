"""Issue 13: the daily care lists (主动电访) for 1,000,000 vehicles, full and incremental.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m bench.care_bench
    # → bench/results/care-<time>.json

Setup (once, idempotent; ``--skip-setup``): the generator makes 660,000 vehicles with a purchase
date and no service history; this script tops them up to ``--vehicles`` (default 1,000,000) with
``INSERT … SELECT generate_series`` into the same table (plates ``测…``, owners drawn from the
existing customers; purchase dates 2013-2026, a last service in the past 8 months, 3-year
warranty, a realistic odometer), and gives every customer a birthday and every vehicle an
insurance renewal date (the care app's own tables). Existing rows are not changed.

Then, timed with the wall clock, ``generate_care_lists(today)`` exactly as the daily task runs it:

* ``full``: from nothing (the care tables emptied first): every vehicle read, planned and
  fingerprinted; items and their work items written (``--runs`` times, reset between runs);
* ``rerun``: the same day again (nothing changed: nothing to do);
* ``changed``: ``--changed`` vehicles get their last service date one day earlier, then a run;
* ``next_day``: the following day (the vehicles whose ``wake_on`` came).

Figures are reported, never judged.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

if __name__ == "__main__":  # pragma: no cover - CLI bootstrap
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()

from django.db import connection

from kesu.care.models import CareItem, CareRun, CareWatermark, ConsentLog, CustomerCare, VehicleCare
from kesu.care.services import REF_MODEL, generate_care_lists
from kesu.customers.models import Customer, Vehicle
from kesu.worklist.models import WorkItem

RESULTS = Path(__file__).parent / "results"


def table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]


def setup(vehicles: int) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), max(id) FROM {table(Vehicle)}")
        count, _max_id = cursor.fetchone()
        missing = max(0, vehicles - count)
        if missing:
            cursor.execute(f"SELECT min(id), max(id) FROM {table(Customer)}")
            low, high = cursor.fetchone()
            cursor.execute(
                f"""
                INSERT INTO {table(Vehicle)}
                    (plate, vin, model_name, mileage_km, purchase_date, warranty_end, customer_id, version,
                     last_service_date)
                SELECT '测' || lpad(g::text, 6, '0'), 'LCAREBENCH' || lpad(g::text, 7, '0'),
                       (ARRAY['轩逸', '天籁', '奇骏', '逍客', '骐达'])[1 + g %% 5],
                       p.age_days * (20 + g %% 60), p.bought, p.bought + 1095,
                       (SELECT id FROM {table(Customer)} WHERE id >= %s + (g::bigint * 7919) %% (%s - %s + 1)
                        ORDER BY id LIMIT 1),
                       1, current_date - (g %% 240)
                FROM generate_series(1, %s) AS g,
                     LATERAL (SELECT date '2013-01-01' + (g * 37) %% 4700 AS bought,
                                     greatest(30, current_date - (date '2013-01-01' + (g * 37) %% 4700))
                                       AS age_days) p
                """,
                [low, high, low, missing],
            )
        cursor.execute(
            f"""INSERT INTO {table(CustomerCare)} (customer_id, birthday)
                SELECT id, date '1960-01-01' + ((id * 131) % 16000)::int FROM {table(Customer)}
                ON CONFLICT DO NOTHING"""
        )
        cursor.execute(
            f"""INSERT INTO {table(VehicleCare)} (vehicle_id, insurance_renewal)
                SELECT id, coalesce(purchase_date, date '2020-01-01') + 365 FROM {table(Vehicle)}
                ON CONFLICT DO NOTHING"""
        )
        cursor.execute(f"ANALYZE {table(Vehicle)}")
        cursor.execute(f"ANALYZE {table(CustomerCare)}")
        cursor.execute(f"ANALYZE {table(VehicleCare)}")
        cursor.execute(f"SELECT count(*) FROM {table(Vehicle)}")
        return {"vehicles": cursor.fetchone()[0], "added": missing}


def reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table(WorkItem)} WHERE ref_model = %s", [REF_MODEL])
        cursor.execute(
            f"TRUNCATE {table(ConsentLog)}, {table(CareItem)}, {table(CareWatermark)}, {table(CareRun)}"
        )
        cursor.execute(f"VACUUM ANALYZE {table(WorkItem)}")


def timed(today: date) -> dict[str, float | int]:
    started = time.perf_counter()
    run = generate_care_lists(today=today)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "vehicles": run.vehicles,
        "opened": run.opened,
        "updated": run.updated,
        "obsolete": run.obsolete,
    }


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": round(statistics.median(ordered), 2), "p95": round(p95, 2), "runs": len(ordered)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vehicles", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--changed", type=int, default=1000)
    parser.add_argument("--skip-setup", action="store_true")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()
    result: dict[str, object] = {"today": args.today.isoformat()}
    if not args.skip_setup:
        started = time.perf_counter()
        result["setup"] = setup(args.vehicles)
        print("setup", result["setup"], f"{time.perf_counter() - started:.1f}s", flush=True)
    full, rerun, changed, next_day = [], [], [], []
    for index in range(args.runs):
        reset()
        full.append(timed(args.today))
        print("full", full[-1], flush=True)
        rerun.append(timed(args.today))
        print("rerun", rerun[-1], flush=True)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""UPDATE {table(Vehicle)} SET last_service_date = coalesce(last_service_date, %s) - 1
                    WHERE id IN (SELECT id FROM {table(Vehicle)} ORDER BY id OFFSET %s LIMIT %s)""",
                [args.today - timedelta(days=170), args.changed * index, args.changed],
            )
        changed.append(timed(args.today))
        print("changed", changed[-1], flush=True)
        next_day.append(timed(args.today + timedelta(days=1)))
        print("next_day", next_day[-1], flush=True)
    for name, runs in (("full", full), ("rerun", rerun), ("changed", changed), ("next_day", next_day)):
        result[name] = {"summary": summary([float(r["seconds"]) for r in runs]), "runs": runs}
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"care-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps({k: v["summary"] for k, v in result.items() if isinstance(v, dict) and "summary" in v}))
    print(path)


if __name__ == "__main__":
    main()
