"""The SLA sweep at scale: 2-3-7 clocks for every complaint, K of them due, one ``sweep()`` timed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m bench.sla_sweep
    # → bench/results/sla-sweep-<time>.json and sla-sweep-explain-<time>.txt

The generator makes no clocks, so this script adds them first (once; ``--setup-only``,
``--skip-setup``, ``--rebuild``): for every complaint the three intake clocks of the default 2-3-7
policy (first reply 2 working hours, resolution 3 working days, written decision 7 days), all
running, started in the hour before ``--now`` (a Tuesday 10:00 in Asia/Shanghai), with due and
warning times from the real calendar (``policies.due_after`` / ``warn_time`` on the dealer's
calendar). That puts every clock — 3 per complaint, 3 million at 1M complaints — on the sweep's
work list (``next_check_at`` not null) and none of them due: the largest index the sweep can face.
PostgreSQL: ``COPY`` with the secondary indexes of ``sla_clock`` rebuilt afterwards; SQLite:
``bulk_create`` (for the small pytest).

Each run then arranges exactly K clocks (a new random sample each run) to be due at ``--now``:
half "warning due" (running, warning time passed in the last 5 minutes), half "breach due"
(already warned, due time passed in the last 5 minutes — the first rung of the ladder, the
service manager at +0 min, is climbed too). The sample's three times are shifted by the same
amount, so the gaps between start, warning and due are those the calendar gave. One
``sweep(now=…)`` is timed (wall clock; queries and their time are counted by an execute
wrapper), its effects are checked (every due clock handled, one breach and one escalation step
per breach-due clock, nothing left due: a run fails rather than reports if anything else sweeps
or arranges clocks on the same database meanwhile; a second run of this script is refused), then
everything it wrote is removed and the sample restored (breaches, escalation steps, timeline
entries, notifications and deliveries newer than the run; then ``VACUUM``), so every run starts
from the same state. Runs are interleaved by K.

``--explain`` (on by default; ``--explain-only`` skips the timed runs) runs one more sweep of each K
inside a transaction that is rolled back: it reports ``EXPLAIN (ANALYZE, BUFFERS)`` of the query
that finds the due clocks (it must use the partial index ``clock_due_work``) and the sweep's
queries by kind. ``--profile`` runs the largest under pyinstrument (if importable: it is not a
dependency of the project) and adds its report.
Figures are reported, never judged.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # pragma: no cover - CLI bootstrap
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.signals import connection_created

from kesu.complaints.models import Complaint, TimelineEntry
from kesu.notifications.models import Delivery, Notification
from kesu.sla.choices import ClockKind, ClockState
from kesu.sla.models import Breach, Clock, EscalationStep
from kesu.sla.policies import calendar_for, due_after, ensure_default_policy, warn_time
from kesu.sla.sweep import sweep

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_NOW = "2026-12-01T10:00:00+08:00"  # a Tuesday, a working day on the 2026 calendar
KINDS = (ClockKind.FIRST_REPLY, ClockKind.RESOLUTION, ClockKind.DECISION)
CLOCK_COLUMNS = (
    "complaint_id", "kind", "cycle", "policy_id", "unit", "started_at", "due_at", "warn_at", "state",
    "stopped_at", "paused_at", "remaining_at_pause", "state_before_pause", "next_check_at", "ladder_level",
)  # fmt: skip
LOCK_KEY = 7_237_001  # pg advisory lock: one run of this script per database at a time
RESTORED = ("state", "started_at", "due_at", "warn_at", "next_check_at", "ladder_level")
WINDOW = timedelta(minutes=5)  # the due moments of a run lie in (now - WINDOW, now]


def _log(message: str, quiet: bool = False) -> None:
    if not quiet:
        print(message, flush=True)


# --- setup: three running clocks per complaint ------------------------------------------------


def clock_rows(now: datetime, seed: int, batch: int = 20_000) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of CLOCK_COLUMNS for every complaint, in batches, none of them due at ``now``."""
    policy = ensure_default_policy()
    rng = random.Random(seed)
    targets = {kind: (getattr(policy, kind), getattr(policy, f"{kind}_unit")) for kind in KINDS}
    complaints = Complaint.objects.order_by("pk").values_list("pk", "dealer_id")
    rows: list[tuple[Any, ...]] = []
    for complaint_id, dealer_id in complaints.iterator(chunk_size=batch):
        calendar = calendar_for(dealer_id)
        start = now - timedelta(seconds=rng.randrange(1, 3600))
        for kind in KINDS:
            amount, unit = targets[kind]
            due = due_after(calendar, start, amount, unit)
            warn = warn_time(calendar, start, due, unit, policy.warning_fraction)
            next_check = min(warn, due)
            if next_check <= now:
                raise SystemExit(f"--now {now} is too close to closing time: a new clock is due at once")
            rows.append(
                (complaint_id, kind, 0, policy.pk, unit, start, due, warn, ClockState.RUNNING,
                 None, None, None, "", next_check, 0)
            )  # fmt: skip
        if len(rows) >= batch:
            yield rows
            rows = []
    if rows:
        yield rows


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
               JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
               WHERE t.relname = %s
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
               ORDER BY i.relname""",
            [table],
        )
        return [(name, definition) for name, definition in cursor.fetchall()]


def setup_clocks(now: datetime, seed: int, quiet: bool = False) -> dict[str, Any]:
    """Replace every clock (and what hangs on clocks) by three running clocks per complaint."""
    from bench.generate import CopyWriter, OrmWriter

    began = time.monotonic()
    postgres = connection.vendor == "postgresql"
    table = Clock._meta.db_table
    with transaction.atomic():
        with connection.cursor() as cursor:
            for model in (EscalationStep, Breach):
                cursor.execute(f"DELETE FROM {model._meta.db_table}")
            cursor.execute(f"DELETE FROM {table}")
            definitions: list[tuple[str, str]] = []
            if postgres:
                cursor.execute("SET LOCAL session_replication_role = replica")  # ids are consistent
                cursor.execute("SET LOCAL synchronous_commit = off")
                definitions = _secondary_indexes(table)
                for name, _definition in definitions:
                    cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        writer: CopyWriter | OrmWriter = CopyWriter() if postgres else OrmWriter()
        written = 0
        for rows in clock_rows(now, seed):
            writer.write(Clock, CLOCK_COLUMNS, rows)
            written += len(rows)
            if written % 300_000 < len(rows):
                _log(f"  {written:>9} clocks, {time.monotonic() - began:6.1f}s", quiet)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                for _name, definition in definitions:
                    cursor.execute(definition)
    if postgres:
        with connection.cursor() as cursor:  # VACUUM cannot run in a transaction (pytest)
            cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM (ANALYZE)'} {table}")
    return {"clocks": written, "seconds": round(time.monotonic() - began, 1), "now": now.isoformat()}


# --- one run: arrange K due, sweep, check, restore --------------------------------------------


@dataclass
class Arranged:
    ids: list[int]
    warn_ids: list[int]
    breach_ids: list[int]
    originals: list[tuple[Any, ...]]
    marks: dict[str, int] = field(default_factory=dict)
    not_escalated: set[int] = field(default_factory=set)  # their complaints, escalated_at still null


def _max_id(model: type[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
        return int(cursor.fetchone()[0])


def clock_id_range() -> tuple[int, int, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id), COUNT(*) FROM {Clock._meta.db_table}")
        low, high, count = cursor.fetchone()
    return int(low or 0), int(high or 0), int(count)


def arrange(count: int, now: datetime, rng: random.Random) -> Arranged:
    """Make exactly ``count`` clocks due at ``now`` (half warnings, half breaches)."""
    low, high, total = clock_id_range()
    if high - low + 1 == total:  # as the setup leaves them: contiguous
        ids = sorted(rng.sample(range(low, high + 1), count))
    else:
        ids = sorted(rng.sample(list(Clock.objects.values_list("pk", flat=True)), count))
    clocks = list(Clock.objects.filter(pk__in=ids).order_by("pk"))
    originals = [tuple([c.pk] + [getattr(c, f) for f in RESTORED]) for c in clocks]
    warn_ids, breach_ids = [], []
    for index, clock in enumerate(clocks):
        if clock.state != ClockState.RUNNING or clock.next_check_at is None or clock.next_check_at <= now:
            raise SystemExit(f"clock {clock.pk} is not in the base state: run with --rebuild")
        target = now - timedelta(seconds=rng.uniform(0, WINDOW.total_seconds() - 1))
        breach = index % 2 == 1
        shift = (clock.due_at if breach else clock.warn_at) - target
        clock.started_at -= shift
        clock.due_at -= shift
        clock.warn_at -= shift
        clock.state = ClockState.WARNING if breach else ClockState.RUNNING
        clock.next_check_at = clock.due_at if breach else clock.warn_at
        (breach_ids if breach else warn_ids).append(clock.pk)
    Clock.objects.bulk_update(clocks, list(RESTORED), batch_size=500)
    marks = {m.__name__: _max_id(m) for m in (TimelineEntry, Notification, Delivery, Breach, EscalationStep)}
    complaint_ids = {c.complaint_id for c in clocks}
    escalated = set(
        Complaint.objects.filter(pk__in=complaint_ids, escalated_at__isnull=True).values_list("pk", flat=True)
    )
    return Arranged(ids, warn_ids, breach_ids, originals, marks, escalated)


def check(arranged: Arranged, now: datetime, handled: int) -> dict[str, Any]:
    """What the sweep must have done; raises AssertionError otherwise."""
    states = Counter(
        Clock.objects.filter(pk__in=arranged.ids).values_list("state", "ladder_level").order_by()
    )
    new_breaches = Breach.objects.filter(pk__gt=arranged.marks["Breach"]).count()
    new_steps = EscalationStep.objects.filter(pk__gt=arranged.marks["EscalationStep"]).count()
    still_due = Clock.objects.filter(next_check_at__lte=now).count()
    facts = {
        "handled": handled,
        "states_after": {f"{s}/{lvl}": n for (s, lvl), n in sorted(states.items())},
        "breaches": new_breaches,
        "escalation_steps": new_steps,
        "notifications": Notification.objects.filter(pk__gt=arranged.marks["Notification"]).count(),
        "deliveries": Delivery.objects.filter(pk__gt=arranged.marks["Delivery"]).count(),
        "timeline_entries": TimelineEntry.objects.filter(pk__gt=arranged.marks["TimelineEntry"]).count(),
        "still_due": still_due,
    }
    assert handled == len(arranged.ids), facts
    assert still_due == 0, facts
    assert new_breaches == len(arranged.breach_ids), facts
    assert new_steps == len(arranged.breach_ids), facts  # rung 0 (service manager, +0 min) only
    assert states.get((ClockState.WARNING, 0), 0) == len(arranged.warn_ids), facts
    assert states.get((ClockState.BREACHED, 1), 0) == len(arranged.breach_ids), facts
    return facts


def restore(arranged: Arranged) -> None:
    """Remove what the run wrote and put the sample back as it was."""
    marks = arranged.marks
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (EscalationStep, Breach):
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE id > %s", [marks[model.__name__]])
        cursor.execute(f"DELETE FROM {Delivery._meta.db_table} WHERE id > %s", [marks["Delivery"]])
        cursor.execute(f"DELETE FROM {Notification._meta.db_table} WHERE id > %s", [marks["Notification"]])
        # raw SQL: the timeline's queryset refuses deletes
        cursor.execute(f"DELETE FROM {TimelineEntry._meta.db_table} WHERE id > %s", [marks["TimelineEntry"]])
        clocks = []
        for values in arranged.originals:
            clock = Clock(pk=values[0])
            for name, value in zip(RESTORED, values[1:], strict=True):
                setattr(clock, name, value)
            clocks.append(clock)
        Clock.objects.bulk_update(clocks, list(RESTORED), batch_size=500)
        Complaint.objects.filter(pk__in=arranged.not_escalated, escalated_at__isnull=False).update(
            escalated_at=None
        )


def vacuum() -> None:
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = [m._meta.db_table for m in (Clock, Breach, EscalationStep, Notification, Delivery)]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {', '.join(tables)}")


def _shape(sql: str) -> str:
    """A query's kind: its verb and first table (``UPDATE sla_clock``, ``SELECT organizations_…``)."""
    verb = sql.split(None, 1)[0].upper() if sql.strip() else "?"
    if verb == "SELECT":
        match = re.search(r'\bFROM\s+"?(\w+)"?', sql)
    elif verb in ("INSERT", "DELETE"):
        match = re.search(r'\b(?:INTO|FROM)\s+"?(\w+)"?', sql)
    else:
        match = re.search(r'^\w+\s+"?(\w+)"?', sql)
    return f"{verb} {match.group(1) if match else '?'}"


_METER_LOCK = threading.Lock()


class QueryMeter:
    """Counts the queries of a block and the time spent waiting for them (execute wrapper);
    with ``by_kind``, also per kind of query (unlike CaptureQueriesContext, not capped at 9,000)."""

    def __init__(self, by_kind: bool = False, keep_first: int = 0) -> None:
        self.count = 0
        self.seconds = 0.0
        self.by_kind = by_kind
        self.kinds: Counter[str] = Counter()
        self.kind_seconds: Counter[str] = Counter()
        self.keep_first = keep_first
        self.first: list[tuple[float, str]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - began
            with _METER_LOCK:  # the sweep's threads share one meter
                self._add(spent, sql)

    def _add(self, spent: float, sql: str) -> None:
        self.seconds += spent
        self.count += 1
        if self.by_kind:
            kind = _shape(sql)
            self.kinds[kind] += 1
            self.kind_seconds[kind] += spent
        if len(self.first) < self.keep_first:
            self.first.append((spent, sql))


def timed_sweep(count: int, now: datetime, rng: random.Random) -> dict[str, Any]:
    from bench.measure import CpuMeter

    arranged = arrange(count, now, rng)
    meter = QueryMeter()
    load = Path("/proc/loadavg").read_text().split()[:3]
    before = CpuMeter._machine()

    def meter_thread_connections(sender: Any, connection: Any, **kwargs: Any) -> None:
        connection.execute_wrappers.append(meter)  # a sweep thread's own connection

    connection_created.connect(meter_thread_connections)
    try:
        with connection.execute_wrapper(meter):
            began = time.perf_counter()
            handled = sweep(now=now)
            elapsed = time.perf_counter() - began
        connection_created.disconnect(meter_thread_connections)
        after = CpuMeter._machine()
        facts = check(arranged, now, handled)
    finally:
        restore(arranged)
        vacuum()
    return {
        "due": count,
        "seconds": round(elapsed, 4),
        "ms": round(elapsed * 1000, 1),
        "queries": meter.count,
        "db_wait_ms": round(meter.seconds * 1000, 1),
        # with several sweep threads the database time is summed over them: "python" is then
        # only what is left of the wall time, not the Python work
        "python_ms": round((elapsed - meter.seconds) * 1000, 1),
        "threads": settings.KESU_SWEEP_THREADS if connection.vendor == "postgresql" else 1,
        "machine_busy_percent": round((after[0] - before[0]) / max(after[1] - before[1], 1) * 100, 1),
        "loadavg_before": load,
        "checked": facts,
    }


# --- explain: the queries of one sweep, and the plan of the one that finds due clocks ---------


def _explain(sql: str, params: Sequence[Any] | None = None) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def explain_sweep(count: int, now: datetime, rng: random.Random, profile: bool) -> tuple[str, dict[str, Any]]:
    """One sweep of ``count`` due clocks in a rolled-back transaction: its SQL and plans."""
    arranged = arrange(count, now, rng)
    lines: list[str] = []
    summary: dict[str, Any] = {}
    try:
        with transaction.atomic():
            # The plan of the work-list query as the sweep sends it, before anything is handled.
            probe = (
                Clock.objects.select_for_update(skip_locked=True)
                .filter(next_check_at__lte=now)
                .order_by("next_check_at")[:1000]
            )
            sql, params = probe.query.get_compiler(using="default").as_sql()
            if connection.vendor == "postgresql":
                total = clock_id_range()[2]
                lines += [f"=== the sweep's work-list query, {count} due of {total} clocks", str(probe.query),
                          "", _explain(sql, params), ""]  # fmt: skip
            profiler = None
            if profile:
                try:
                    from pyinstrument import Profiler

                    profiler = Profiler(interval=0.001)
                except ImportError:
                    lines.append("(pyinstrument not importable: no profile)")
            meter = QueryMeter(by_kind=True, keep_first=6)
            with connection.execute_wrapper(meter):
                if profiler:
                    profiler.start()
                began = time.perf_counter()
                handled = sweep(now=now)
                elapsed = time.perf_counter() - began
                if profiler:
                    profiler.stop()
            summary = {
                "due": count,
                "handled": handled,
                "ms": round(elapsed * 1000, 1),
                "profiled": profiler is not None,
                "queries": meter.count,
                "db_wait_ms": round(meter.seconds * 1000, 1),
                "by_kind": {
                    k: {"n": n, "ms": round(meter.kind_seconds[k] * 1000, 1)}
                    for k, n in meter.kinds.most_common()
                },
            }
            lines.append(
                f"=== one sweep of {count} due clocks (rolled back): {handled} handled, "
                f"{elapsed * 1000:.0f} ms{' under the profiler' if profiler else ''}, {meter.count} queries, "
                f"{meter.seconds * 1000:.0f} ms waiting for them"
            )
            for shape, n in meter.kinds.most_common():
                lines.append(f"  {n:6} × {shape:45} {meter.kind_seconds[shape] * 1000:9.1f} ms")
            lines.append("\n--- the first queries of the sweep")
            lines += [f"  {spent * 1000:7.2f} ms  {sql[:300]}" for spent, sql in meter.first]
            if profiler:
                text = profiler.output_text(unicode=True, color=False, show_all=False)
                summary["profile"] = "see the explain file"
                lines += ["", "=== pyinstrument profile of that sweep", text]
            transaction.set_rollback(True)
    finally:
        restore(arranged)
        vacuum()
    return "\n".join(lines), summary


# --- main ----------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (of a few runs: p95 is the slowest but one, or the slowest)."""
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    times = [r["ms"] for r in runs]
    return {
        "runs": len(runs),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "min_ms": min(times),
        "max_ms": max(times),
        "median_queries": statistics.median(r["queries"] for r in runs),
        "median_db_wait_ms": round(statistics.median(r["db_wait_ms"] for r in runs), 1),
        "median_python_ms": round(statistics.median(r["python_ms"] for r in runs), 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--now", default=DEFAULT_NOW, help="the sweep's moment (ISO, with offset)")
    parser.add_argument("--due", type=int, nargs="+", default=[10_000, 100], help="K values")
    parser.add_argument("--runs", type=int, nargs="+", default=[7, 15], help="runs per K value")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--setup-only", action="store_true")
    parser.add_argument("--skip-setup", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="make the clocks again even if present")
    parser.add_argument("--explain", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--profile", action="store_true", help="profile the explain sweep (pyinstrument)")
    parser.add_argument("--explain-only", action="store_true", help="no timed runs: the explain sweeps only")
    parser.add_argument("--quiet-wait", type=float, default=60.0, help="wait up to N s for < 20%% busy")
    args = parser.parse_args(argv)
    if len(args.runs) != len(args.due):
        raise SystemExit("give one --runs value per --due value")

    from bench.measure import git_state, wait_for_quiet

    if connection.vendor == "postgresql":
        # Two runs on one database arrange (and restore) each other's clocks: refuse the second.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            if not cursor.fetchone()[0]:
                raise SystemExit("another bench.sla_sweep run is using this database: wait for it to end")
    now = datetime.fromisoformat(args.now)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(parents=True, exist_ok=True)
    complaints = Complaint.objects.count()
    clocks = Clock.objects.count()
    setup: dict[str, Any] = {"clocks": clocks, "reused": True}
    if not args.skip_setup and (args.rebuild or clocks != len(KINDS) * complaints):
        _log(f"making {len(KINDS)} clocks for each of {complaints} complaints …")
        setup = setup_clocks(now, args.seed) | {"reused": False}
        _log(f"setup: {setup}")
    if args.setup_only:
        return

    rng = random.Random(args.seed)
    runs: dict[int, list[dict[str, Any]]] = {k: [] for k in args.due}
    plan = [(k, r) for k, r in zip(args.due, args.runs, strict=True)]
    # one untimed warm-up per K (caches, the calendar, the planner), then interleaved runs
    for k, _ in [] if args.explain_only else plan:
        timed_sweep(k, now, rng)
    for round_index in range(0 if args.explain_only else max(r for _, r in plan)):
        for k, total in plan:
            if round_index >= total:
                continue
            busy = wait_for_quiet(args.quiet_wait) if args.quiet_wait else None
            result = timed_sweep(k, now, rng) | {"busy_before_percent": busy}
            runs[k].append(result)
            _log(f"run {round_index + 1:2} due {k:6}: {result['ms']:8.1f} ms  {result['queries']:6} queries  "
                 f"db {result['db_wait_ms']:7.1f} ms  python {result['python_ms']:7.1f} ms  "
                 f"busy {result['machine_busy_percent']} %  load {result['loadavg_before']}")  # fmt: skip

    explain_texts: list[str] = []
    explain_summary: dict[str, Any] = {}
    if args.explain or args.explain_only:
        for k in sorted(args.due, reverse=True):
            text, summary = explain_sweep(k, now, rng, args.profile and k == max(args.due))
            explain_texts.append(text)
            explain_summary[str(k)] = summary
            _log(text.split("\n\n--- the first")[0])
        explain_path = RESULTS / f"sla-sweep-explain-{stamp}.txt"
        explain_path.write_text("\n\n".join(explain_texts))
        _log(f"written {explain_path}")

    payload = {
        "started": stamp,
        "git": git_state(Path(__file__).resolve().parent.parent),
        "cpus": os.cpu_count(),
        "database": connection.settings_dict["NAME"],
        "complaints": complaints,
        "clocks": clock_id_range()[2],
        "setup": setup,
        "now": now.isoformat(),
        "options": {k: str(v) for k, v in vars(args).items()},
        "summary": {str(k): summarise(v) for k, v in runs.items() if v},
        "explain": explain_summary,
        "runs": {str(k): v for k, v in runs.items()},
    }
    out = RESULTS / f"sla-sweep-{stamp}.json"
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str))
    for k, summary in payload["summary"].items() if not args.explain_only else []:
        _log(f"due {k:>6}: median {summary['median_ms']} ms, p95 {summary['p95_ms']} ms "
             f"({summary['runs']} runs; {summary['median_queries']} queries)")  # fmt: skip
    _log(f"written {out}")


if __name__ == "__main__":
    main()
