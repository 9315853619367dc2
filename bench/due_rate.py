"""Due-time computation rate on the Chinese working calendar, in one process (no database).

    .venv/bin/python -m bench.due_rate            # → bench/results/due-rate-<time>.json

What the intake does per clock (``kesu.sla.services._new_clock``): ``due = due_after(start, N)``
and the warning time ``warn_time(start, due)``. Start times are spread over a whole year (default
2025, every minute of the day, so nights, weekends, the Spring Festival, Qingming, May Day,
Dragon Boat and National Day holidays and their made-up working days are all met), on the default
2-3-7 calendar (08:30–18:00 every day, closed on statutory holidays). Scenarios:

* ``first_reply_due`` — ``add_working(start, 2 h)`` (first reply: 120 working minutes);
* ``resolution_due`` — ``add_working_days(start, 3)`` (resolution: 3 working days);
* ``first_reply_clock`` / ``resolution_clock`` — due *and* warning time, as one clock costs;
* ``lunch_break_*`` — the same on a calendar with a lunch break (08:30–12:00, 13:30–18:00,
  closed on Sundays), to show the cost does not depend on the default hours.

Each scenario runs ``--repeats`` times over ``--count`` start times; the rate of each repeat is
reported (median, and p95 of the per-call time, i.e. the 5th percentile of the rate). The
calendar's per-day cache is warm after the first few hundred calls, as in a worker (the calendar
of a dealer is cached for 60 s). ``--cold`` also times a new calendar for every repeat.
Figures are reported, never judged.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    call: Callable[[datetime], Any]


def start_times(year: int, count: int, seed: int) -> list[datetime]:
    """``count`` moments spread over ``year`` in Asia/Shanghai, to the minute, in random order."""
    from kesu.sla.calendar import SHANGHAI

    rng = random.Random(seed)
    first = datetime(year, 1, 1, tzinfo=SHANGHAI)
    minutes = (datetime(year + 1, 1, 1, tzinfo=SHANGHAI) - first) // timedelta(minutes=1)
    offsets = [(rng.randrange(minutes), rng.randrange(60)) for _ in range(count)]
    return [first + timedelta(minutes=m, seconds=s) for m, s in offsets]


def describe(starts: list[datetime]) -> dict[str, Any]:
    """How many starts fall on statutory holidays, made-up working days and outside hours."""
    from kesu.sla.calendar import MADE_WORKDAYS, STATUTORY_HOLIDAYS, default_calendar

    calendar = default_calendar()
    days = [s.astimezone(calendar.zone).date() for s in starts]
    return {
        "count": len(starts),
        "first": min(starts).isoformat(),
        "last": max(starts).isoformat(),
        "on_statutory_holiday": sum(d in STATUTORY_HOLIDAYS for d in days),
        "on_made_up_workday": sum(d in MADE_WORKDAYS for d in days),
        "outside_opening_hours": sum(not calendar.is_open(s) for s in starts),
        "distinct_days": len(set(days)),
    }


def lunch_calendar() -> Any:
    from kesu.sla.calendar import WorkingCalendar

    day = ((8 * 3600 + 1800, 12 * 3600), (13 * 3600 + 1800, 18 * 3600))
    return WorkingCalendar(weekly=(day, day, day, day, day, day, ()))


def scenarios(make_calendar: Callable[[], Any], prefix: str = "") -> list[Scenario]:
    from kesu.sla.choices import TargetUnit
    from kesu.sla.policies import due_after, warn_time

    calendar = make_calendar()
    fraction = Decimal("0.75")  # the default policy's warning_fraction
    minutes, days = TargetUnit.WORKING_MINUTES, TargetUnit.WORKING_DAYS

    def first_reply_clock(start: datetime) -> datetime:
        due = due_after(calendar, start, 120, minutes)
        return warn_time(calendar, start, due, minutes, fraction)

    def resolution_clock(start: datetime) -> datetime:
        due = due_after(calendar, start, 3, days)
        return warn_time(calendar, start, due, days, fraction)

    two_hours = timedelta(hours=2)
    return [
        Scenario(f"{prefix}first_reply_due", "due = start + 2 working hours",
                 lambda s: calendar.add_working(s, two_hours)),
        Scenario(f"{prefix}resolution_due", "due = start + 3 working days",
                 lambda s: calendar.add_working_days(s, 3)),
        Scenario(f"{prefix}first_reply_clock", "first-reply clock: due + warning (75 %)", first_reply_clock),
        Scenario(f"{prefix}resolution_clock", "resolution clock: due + warning (75 %)", resolution_clock),
    ]  # fmt: skip


def time_once(call: Callable[[datetime], Any], starts: list[datetime]) -> float:
    """Calls per second over all ``starts``."""
    began = time.perf_counter()
    for start in starts:
        call(start)
    return len(starts) / (time.perf_counter() - began)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def run(
    scenario_list: list[Scenario], starts: list[datetime], repeats: int, warmup: int
) -> list[dict[str, Any]]:
    rows = []
    for scenario in scenario_list:
        for start in starts[:warmup]:
            scenario.call(start)
        rates = [time_once(scenario.call, starts) for _ in range(repeats)]
        rows.append(
            {
                "name": scenario.name,
                "label": scenario.label,
                "rates_per_s": [round(r) for r in rates],
                "median_per_s": round(statistics.median(rates)),
                "p5_per_s": round(percentile(rates, 0.05)),  # = p95 of the time per call
                "median_us_per_call": round(1e6 / statistics.median(rates), 2),
                "p95_us_per_call": round(1e6 / percentile(rates, 0.05), 2),
            }
        )
        print(f"{scenario.name:28} median {rows[-1]['median_per_s']:>9,}/s   p5 {rows[-1]['p5_per_s']:>9,}/s"
              f"   ({rows[-1]['median_us_per_call']} µs/call)", flush=True)  # fmt: skip
    return rows


def run_cold(starts: list[datetime], repeats: int) -> list[dict[str, Any]]:
    """A new calendar (empty per-day cache) for every repeat: what a worker pays the first time."""
    from kesu.sla.calendar import DEFAULT_WEEK, WorkingCalendar

    rows = []
    for index in range(2):
        rates = []
        for _ in range(repeats):
            calendar = WorkingCalendar(weekly=DEFAULT_WEEK)
            call: Callable[[datetime], Any] = (
                (lambda s, c=calendar: c.add_working(s, timedelta(hours=2)))
                if index == 0
                else (lambda s, c=calendar: c.add_working_days(s, 3))
            )
            rates.append(time_once(call, starts))
        name = ("cold_first_reply_due", "cold_resolution_due")[index]
        rows.append({"name": name, "median_per_s": round(statistics.median(rates)),
                     "p5_per_s": round(percentile(rates, 0.05))})  # fmt: skip
        print(f"{name:28} median {rows[-1]['median_per_s']:>9,}/s", flush=True)
    return rows


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--count", type=int, default=100_000, help="start times per repeat")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cold", action="store_true", help="also time a new calendar per repeat")
    parser.add_argument("--quiet-wait", type=float, default=60.0, help="wait up to N s for < 20%% busy")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()  # only for the TextChoices labels; no query is made
    from bench.measure import CpuMeter, git_state, wait_for_quiet
    from kesu.sla.calendar import default_calendar

    starts = start_times(args.year, args.count, args.seed)
    busy_before = wait_for_quiet(args.quiet_wait) if args.quiet_wait else None
    before = CpuMeter._machine()
    began = time.monotonic()
    rows = run(scenarios(default_calendar), starts, args.repeats, args.warmup)
    rows += run(scenarios(lunch_calendar, "lunch_break_"), starts, max(3, args.repeats // 3), args.warmup)
    if args.cold:
        rows += run_cold(starts, max(3, args.repeats // 3))
    after = CpuMeter._machine()
    payload = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "git": git_state(Path(__file__).resolve().parent.parent),
        "machine": machine(),
        "busy_before_percent": busy_before,
        "machine_busy_percent_during": round((after[0] - before[0]) / max(after[1] - before[1], 1) * 100, 1),
        "seconds": round(time.monotonic() - began, 1),
        "starts": describe(starts),
        "options": {k: str(v) for k, v in vars(args).items()},
        "results": rows,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = args.out or RESULTS / f"due-rate-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=1))
    print(f"starts: {payload['starts']}")
    print(f"machine busy during the run: {payload['machine_busy_percent_during']} % of "
          f"{os.cpu_count()} cores; load {payload['machine']['loadavg']}; written {out}")  # fmt: skip


if __name__ == "__main__":
    main()
