"""Where one SLA sweep spends its time, phase by phase (one thread, wall time).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m bench.sweep_phases

Needs the clocks of ``python -m bench.sla_sweep --setup-only``. Each run arranges ``--due`` clocks
due (as ``bench.sla_sweep`` does), sweeps them with one thread and timers around the sweep's
phases — reading the complaints, writing clocks, rows and notifications, and the commit (where
PostgreSQL checks deferred foreign keys) —, then restores everything. Figures are reported,
never judged.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import Counter
from datetime import datetime
from typing import Any

if __name__ == "__main__":  # pragma: no cover - CLI bootstrap
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()

from django.db import transaction

import kesu.notifications.outbox as notification_services
import kesu.sla.sweep as sweep_module
from bench.sla_sweep import DEFAULT_NOW, arrange, check, restore, vacuum
from bench.timers import timed

SWEEP_PHASES = ("_subjects", "_save_clocks", "insert_rows", "send_messages", "queue_robot_events", "_advance")
NOTIFICATION_PHASES = ("_insert_notifications", "_preferences")


class _TimedAtomic:
    """``transaction.atomic()`` whose exit (the commit) is timed."""

    def __init__(self, spent: Counter[str]) -> None:
        self.spent = spent
        self.block = transaction.atomic()

    def __enter__(self) -> Any:
        return self.block.__enter__()

    def __exit__(self, *exc: Any) -> Any:
        began = time.perf_counter()
        try:
            return self.block.__exit__(*exc)
        finally:
            self.spent["commit"] += time.perf_counter() - began


def instrument(spent: Counter[str]) -> None:
    for name in SWEEP_PHASES:
        setattr(sweep_module, name, timed(spent, name, getattr(sweep_module, name)))
    for name in NOTIFICATION_PHASES:
        setattr(notification_services, name, timed(spent, name, getattr(notification_services, name)))
    timed_transaction = type("TimedTransaction", (), {"atomic": staticmethod(lambda: _TimedAtomic(spent))})
    sweep_module.transaction = timed_transaction  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--now", default=DEFAULT_NOW)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now)
    rng = random.Random(args.seed)
    spent: Counter[str] = Counter()
    instrument(spent)
    for _run in range(args.runs):
        spent.clear()
        arranged = arrange(args.due, now, rng)
        try:
            began = time.perf_counter()
            handled = sweep_module.sweep(now=now, threads=1)
            elapsed = time.perf_counter() - began
            check(arranged, now, handled)
        finally:
            restore(arranged)
            vacuum()
        print(f"sweep of {args.due} due: {elapsed * 1000:.0f} ms")
        for name, seconds in spent.most_common():
            print(f"   {name:24s} {seconds * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
