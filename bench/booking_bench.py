"""Issue 13: booking p95 at c=8 on one dealer's day (``POST /api/v1/appointments``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m kesu migrate appointments
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m bench.booking_bench
    # → bench/results/booking-<time>.json

Eight worker processes (``--workers``), each with its own database connection, book back to back
into ONE dealer's day through the full API stack (Django's test client with a bearer token: auth,
routing, validation, the booking, JSON) — every request a different agent of that dealer picking a
random slot, so places run out during the run and some answers are 409 ``slot_full``: the
contention the unique index (dealer, slot start, place) is there for. Each worker first waits at
a barrier, so all eight start together.

Setup (idempotent): the dealer with the most agents gets a slot plan of 30-minute slots with
``--capacity`` places (default 12) and the next working day ≥ 7 days ahead is used; the dealer's
earlier bench bookings (``work_note = bench.booking``) and their confirmation items are removed
first (``--clean`` only removes them). Afterwards the script checks that no slot holds more
bookings than its capacity and that no place is taken twice. Figures are reported, never judged.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import statistics
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # pragma: no cover - CLI bootstrap
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from kesu.appointments import services
from kesu.appointments.models import Appointment, SlotPlan
from kesu.organizations.choices import Role
from kesu.organizations.models import ApiToken, User
from kesu.organizations.scope import user_dealer_id
from kesu.worklist.models import WorkItem

RESULTS = Path(__file__).parent / "results"
NOTE = "bench.booking"
PROVINCE = "粤"


def clean(dealer_id: int | None = None) -> int:
    rows = Appointment.objects.filter(work_note=NOTE)
    if dealer_id is not None:
        rows = rows.filter(dealer_id=dealer_id)
    ids = list(rows.values_list("pk", flat=True))
    WorkItem.objects.filter(ref_model=services.REF, ref_id__in=ids).delete()
    deleted, _ = Appointment.objects.filter(pk__in=ids).delete()
    return deleted


def pick_dealer() -> tuple[int, list[User]]:
    """The dealer with the most agents, and its agents (at least 8 tokens' worth)."""
    agents = [
        user
        for user in User.objects.filter(role=Role.AGENT, is_active=True).select_related(
            "organization__parent"
        )
    ]
    by_dealer: dict[int, list[User]] = {}
    for user in agents:
        dealer_id = user_dealer_id(user)
        if dealer_id is not None:
            by_dealer.setdefault(dealer_id, []).append(user)
    dealer_id, people = max(by_dealer.items(), key=lambda item: len(item[1]))
    return dealer_id, people


def pick_day(dealer_id: int) -> date:
    day = timezone.localdate() + timedelta(days=7)
    while not services.slots_of_day(dealer_id=dealer_id, day=day):
        day += timedelta(days=1)
    return day


def worker(index: int, tokens: list[str], starts: list[str], count: int, barrier: Any, out: Any) -> None:
    import django

    django.setup()
    from django.db import connection as child_connection
    from django.test import Client

    rng = random.Random(index)
    clients = [Client(HTTP_AUTHORIZATION=f"Bearer {token}") for token in tokens]
    timings: list[tuple[float, int]] = []
    day = starts[0][:10]
    for client in clients:  # warm up: URLconf, connection, token cache, calendar
        client.get(f"/api/v1/appointment-slots?date={day}")
    barrier.wait()
    cpu, started = time.process_time(), time.perf_counter()
    for n in range(count):
        client = clients[(index + n) % len(clients)]
        body = {
            "plate": f"{PROVINCE}A{index}{n:04d}"[:7],
            "name": "李女士",
            "mobile": f"13{index}{n:08d}"[:11],
            "arrival_at": rng.choice(starts),
            "work_items": ["maintenance"],
            "work_note": NOTE,
            "mileage_km": 10000 + n,
        }
        began = time.perf_counter()
        response = client.post("/api/v1/appointments", json.dumps(body), content_type="application/json")
        timings.append(((time.perf_counter() - began) * 1000, response.status_code))
    cpu, elapsed = time.process_time() - cpu, time.perf_counter() - started
    child_connection.close()
    out.put((timings, cpu, elapsed))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--per-worker", type=int, default=60)
    parser.add_argument("--capacity", type=int, default=12)
    parser.add_argument("--clean", action="store_true")
    args = parser.parse_args()
    if args.clean:
        print(f"removed {clean()} bench bookings")
        return
    dealer_id, agents = pick_dealer()
    clean(dealer_id)
    SlotPlan.objects.update_or_create(
        dealer_id=dealer_id,
        defaults={"slot_minutes": 30, "bays": args.capacity, "advisors": args.capacity, "slot_capacity": {}},
    )
    day = pick_day(dealer_id)
    slots = services.slots_of_day(dealer_id=dealer_id, day=day)
    starts = [slot.start.isoformat() for slot in slots]
    tokens = [ApiToken.issue(user) for user in agents[: max(8, args.workers)]]
    places = sum(slot.capacity for slot in slots)
    print(
        f"dealer {dealer_id}, {len(agents)} agents, {day}: {len(slots)} slots, {places} places; "
        f"{args.workers} workers × {args.per_worker} bookings"
    )
    connection.close()
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(args.workers)
    out = ctx.Queue()
    processes = [
        ctx.Process(target=worker, args=(i, tokens, starts, args.per_worker, barrier, out))
        for i in range(args.workers)
    ]
    began = time.perf_counter()
    for process in processes:
        process.start()
    timings: list[tuple[float, int]] = []
    cpu_seconds, busiest = 0.0, 0.0
    for _ in processes:
        got, cpu, elapsed = out.get()
        timings += got
        cpu_seconds += cpu
        busiest = max(busiest, elapsed)
    for process in processes:
        process.join()
    wall = time.perf_counter() - began
    booked = [ms for ms, status in timings if status == 201]
    full = [ms for ms, status in timings if status == 409]
    other = sorted({status for _, status in timings} - {201, 409})
    # no slot over capacity, no place twice
    day_start = datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_default_timezone())
    rows = Appointment.objects.filter(
        dealer_id=dealer_id, slot_start__gte=day_start, slot_start__lt=day_start + timedelta(days=1)
    ).exclude(state="cancelled")
    per_slot = dict(rows.values_list("slot_start").annotate(n=Count("pk")).values_list("slot_start", "n"))
    capacity = {slot.start: slot.capacity for slot in slots}
    over = {str(start): n for start, n in per_slot.items() if n > capacity.get(start, 0)}
    seats = rows.values_list("slot_start", "seat_no")
    twice = len(seats) - len(set(seats))
    everything = [ms for ms, _ in timings]
    result = {
        "when": timezone.now().isoformat(),
        "dealer_id": dealer_id,
        "day": day.isoformat(),
        "workers": args.workers,
        "requests": len(timings),
        "wall_seconds_with_start_up": round(wall, 2),
        "load_seconds": round(busiest, 2),
        "throughput_per_s": round(len(timings) / busiest, 1),
        "client_process_cpu_ms_per_request": round(cpu_seconds * 1000 / len(timings), 2),
        "all": {
            "p50": round(statistics.median(everything), 1),
            "p95": round(percentile(everything, 0.95), 1),
            "max": round(max(everything), 1),
        },
        "booked_201": {
            "n": len(booked),
            "p50": round(statistics.median(booked), 1) if booked else None,
            "p95": round(percentile(booked, 0.95), 1) if booked else None,
        },
        "slot_full_409": {
            "n": len(full),
            "p50": round(statistics.median(full), 1) if full else None,
            "p95": round(percentile(full, 0.95), 1) if full else None,
        },
        "other_statuses": other,
        "places": sum(capacity.values()),
        "held_after": sum(per_slot.values()),
        "slots_over_capacity": over,
        "places_taken_twice": twice,
        "load_average": os.getloadavg(),
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"booking-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"→ {path}")


if __name__ == "__main__":
    main()
