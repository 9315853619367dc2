"""Measure the API under load: gunicorn (2 sync workers) on PostgreSQL, wrk on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m bench.measure

Needs the data of ``python -m bench.generate`` and its bench/results/tokens.json. Starts gunicorn
itself (``gunicorn kesu.wsgi -w 2 -b 127.0.0.1:PORT``, KESU_DEBUG unset), runs every scenario
``--runs`` times (interleaved, after one warm-up each), prints a table and writes
bench/results/measure-<time>.json. Complaints created by the create scenarios are deleted again
at the end (``--keep-created`` keeps them). Figures are reported, never judged: nothing here
passes or fails on timing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "wrk" / "kesu.lua"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/kesu_bench"
OPEN = ("received", "investigating", "plan_proposed", "agreed", "implementing", "follow_up",
        "escalated", "reopened")  # fmt: skip
VERBATIMS = (
    "刹车有异响，修了三次还没有修好",
    "变速箱换挡顿挫严重，高速上差点追尾，要求退车",
    "空调不制冷，来店里检查过两次都说是正常现象，希望尽快给个说法",
    "发动机突然熄火，叫了道路救援等了两个小时，要求赔偿拖车费",
    "雨刮不回位，下雨天根本看不清路，太危险了",
    "天窗漏水把座椅都泡了，要求免费维修并延长质保",
)


@dataclass
class Scenario:
    name: str
    label: str
    connections: int
    threads: int
    url: str = ""  # GET: the path with query; POST scenarios use a requests file
    token: str = ""
    requests_file: str = ""
    runs: list[dict[str, Any]] = field(default_factory=list)


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()


def pick_agents(tokens: dict[str, Any]) -> tuple[str, int, list[tuple[str, int]]]:
    """(username of the agent of the largest dealer, its dealer id, all agents with dealers)."""
    from django.db.models import Count

    from kesu.complaints.models import Complaint

    agents = [(u, t["dealer_id"]) for u, t in tokens.items() if t["role"] == "agent"]
    sizes = dict(
        Complaint.objects.filter(dealer_id__in={d for _, d in agents})
        .values_list("dealer_id")
        .annotate(n=Count("pk"))
        .values_list("dealer_id", "n")
    )
    largest = max(sizes, key=lambda d: sizes[d])
    username = next(u for u, d in sorted(agents) if d == largest)
    return username, largest, agents


def write_create_requests(
    tokens: dict[str, Any], agents: list[tuple[str, int]], path: Path, dealers: int, seed: int
) -> int:
    """POST lines for agents of ``dealers`` dealers, each with customers of their own dealer."""
    from kesu.customers.models import Vehicle

    rng = random.Random(seed)
    chosen = rng.sample(agents, min(dealers, len(agents)))
    lines = []
    for username, dealer_id in chosen:
        vehicles = list(
            Vehicle.objects.filter(customer__dealer_id=dealer_id)
            .order_by("?")
            .values_list("customer_id", "pk")[:40]
        )
        for customer_id, vehicle_id in vehicles:
            body = {
                "customer_id": customer_id,
                "vehicle_id": vehicle_id,
                "channel": rng.choice(("phone", "walk_in", "web", "sms_wechat")),
                "verbatim": rng.choice(VERBATIMS),
                "severity": rng.choice(("normal", "normal", "normal", "serious")),
            }
            body_json = json.dumps(body, ensure_ascii=False)
            lines.append(f"POST\t/api/v1/complaints\t{tokens[username]['token']}\t{body_json}")
    rng.shuffle(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def start_gunicorn(
    port: int, database_url: str, workers: int, log: Path, app_dir: Path, threads: int = 1
) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "KESU_DEBUG"}
    env["DATABASE_URL"] = database_url
    env.pop("DJANGO_SETTINGS_MODULE", None)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [
        gunicorn,
        "kesu.wsgi",
        "-w",
        str(workers),
        "--threads",
        str(threads),
        "-b",
        f"127.0.0.1:{port}",
    ]
    process = subprocess.Popen(command, cwd=app_dir, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/complaints", timeout=2)
        except urllib.error.HTTPError as exc:
            if exc.code == 401:  # up and answering: the endpoint needs a token
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log}")
        time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer on port {port}; see {log}")


def timed_request(
    port: int, path: str, token: str, method: str = "GET", body: str = "", timeout: float = 120
) -> dict[str, Any]:
    """One request: status (or the error), elapsed ms and the reply's ``count``."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=body.encode() if body else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = json.loads(response.read())
            status: int | str = response.status
    except urllib.error.HTTPError as exc:
        payload, status = {}, exc.code
    except OSError as exc:  # e.g. the worker was killed by gunicorn's timeout
        payload, status = {}, f"{type(exc).__name__}: {exc}"
    elapsed = (time.monotonic() - started) * 1000
    return {"status": status, "ms": round(elapsed, 1), "count": payload.get("count")}


def run_sequential(scenario: Scenario, port: int, samples: int) -> dict[str, Any]:
    """For requests too slow for wrk: ``samples`` requests one after another."""
    replies = [timed_request(port, scenario.url, scenario.token) for _ in range(samples)]
    times = sorted(r["ms"] for r in replies)
    ok = [r for r in replies if r["status"] == 200]
    return {
        "requests": len(replies),
        "rps": round(1000 * len(replies) / sum(times), 3),
        "p50_ms": statistics.median(times),
        "p95_ms": times[-1],  # of a handful of samples: the slowest
        "errors": len(replies) - len(ok),
        "sequential": replies,
    }


class CpuMeter:
    """Where the machine's CPU went during a run, as % of all cores: gunicorn (master and
    workers), PostgreSQL (all its processes, parallel workers included), wrk, and everything
    else (other users of the machine)."""

    def __init__(self, gunicorn_pid: int) -> None:
        self.gunicorn_pid = gunicorn_pid
        self.tick = os.sysconf("SC_CLK_TCK")
        self.cores = os.cpu_count() or 1

    def _processes(self) -> dict[str, int]:
        ticks = {"gunicorn": 0, "postgres": 0}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                raw = (entry / "stat").read_text()
            except OSError:
                continue
            comm = raw[raw.index("(") + 1 : raw.rindex(")")]
            fields = raw[raw.rindex(")") + 2 :].split()
            # utime + stime, plus cutime + cstime: the CPU of children already exited and
            # reaped (parallel query workers, backends, gunicorn workers killed on timeout).
            pid, ppid = int(entry.name), int(fields[1])
            used = sum(int(v) for v in fields[11:15])
            if self.gunicorn_pid in (pid, ppid):
                ticks["gunicorn"] += used
            elif comm == "postgres":
                ticks["postgres"] += used
        return ticks

    @staticmethod
    def _machine() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = values[3] + values[4]
        return sum(values[:8]) - idle, sum(values[:8])

    def start(self) -> None:
        self.t0, self.p0, self.m0 = time.monotonic(), self._processes(), self._machine()
        self.c0 = resource.getrusage(resource.RUSAGE_CHILDREN)

    def stop(self) -> dict[str, float]:
        elapsed = time.monotonic() - self.t0
        p1, m1 = self._processes(), self._machine()
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        capacity = elapsed * self.tick * self.cores / 100  # ticks per percent
        share = {k: (p1[k] - self.p0[k]) / capacity for k in p1}
        share["wrk"] = ((c1.ru_utime + c1.ru_stime) - (self.c0.ru_utime + self.c0.ru_stime)) * (
            100 / (elapsed * self.cores)
        )
        busy = (m1[0] - self.m0[0]) / max(m1[1] - self.m0[1], 1) * 100
        share["other"] = max(0.0, busy - sum(share.values()))
        share["busy"] = busy
        return {k: round(v, 1) for k, v in share.items()}


def wait_for_quiet(limit: float, busy_below: float = 20.0) -> float:
    """Wait (at most ``limit`` s) until the machine is mostly idle; returns the last busy %."""
    deadline = time.monotonic() + limit
    while True:
        before = CpuMeter._machine()
        time.sleep(1)
        after = CpuMeter._machine()
        busy = (after[0] - before[0]) / max(after[1] - before[1], 1) * 100
        if busy < busy_below or time.monotonic() > deadline:
            return busy


def run_wrk(scenario: Scenario, port: int, duration: float, meter: CpuMeter | None = None) -> dict[str, Any]:
    wrk = shutil.which("wrk") or "/usr/bin/wrk"
    command = [
        wrk, f"-t{scenario.threads}", f"-c{scenario.connections}", f"-d{duration:g}s",
        "--timeout", "10s", "-s", str(LUA),
    ]  # fmt: skip
    env = dict(os.environ)
    if scenario.requests_file:
        env["KESU_REQUESTS"] = scenario.requests_file
        command.append(f"http://127.0.0.1:{port}/api/v1/complaints")
    else:
        env.pop("KESU_REQUESTS", None)
        command += ["-H", f"Authorization: Bearer {scenario.token}"]
        command.append(f"http://127.0.0.1:{port}{scenario.url}")
    if meter:
        meter.start()
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    cpu = meter.stop() if meter else {}
    line = next(x for x in output.splitlines() if x.startswith("KESU_RESULT "))
    raw = json.loads(line.removeprefix("KESU_RESULT "))
    seconds = raw["duration_us"] / 1e6
    errors = sum(v for k, v in raw.items() if k.startswith("errors_"))
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "errors": errors,
        "cpu_percent": cpu,
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
        "raw": raw,
    }


def git_state(app_dir: Path) -> dict[str, Any]:
    """The commit measured, and how many files of kesu/ had uncommitted changes."""

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=app_dir, capture_output=True, text=True)
        return result.stdout.strip()

    changed = git("status", "--porcelain", "--", "kesu").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD"), "kesu_uncommitted_files": len(changed)}


def median_run(runs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    ordered = sorted(runs, key=lambda r: r[key])
    return ordered[(len(ordered) - 1) // 2]


def _hanging_rows(model: Any, condition: str, seen: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(table, WHERE condition) for every row that hangs on the rows of ``model`` matching
    ``condition`` (reverse foreign keys, those of many-to-many tables included), deepest first:
    the order to delete them in."""
    from django.db import connection

    quote = connection.ops.quote_name
    parent = model._meta.db_table
    out: list[tuple[str, str]] = []
    for relation in model._meta.get_fields(include_hidden=True):
        reverse = relation.auto_created and not relation.concrete
        if not (reverse and (relation.one_to_many or relation.one_to_one)):
            continue
        child = relation.related_model
        if child._meta.db_table in seen | {parent}:
            continue
        field = relation.field
        child_condition = (
            f"{quote(field.column)} IN (SELECT {quote(field.target_field.column)} "
            f"FROM {quote(parent)} WHERE {condition})"
        )
        out += _hanging_rows(child, child_condition, seen | {parent})
        out.append((child._meta.db_table, child_condition))
    return out


def measure_linking(max_id: int, sample: int = 2000) -> dict[str, float]:
    """The worker's share of an intake: link and index created complaints (links_pending), one
    process, as the worker's periodic task does it. Intake can only outrun the worker for so long."""
    from kesu.complaints.models import Complaint
    from kesu.insights.recurrence import link_pending

    pending = list(
        Complaint.objects.filter(pk__gt=max_id, insight__links_pending=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:sample]
    )
    if not pending:
        return {}
    started = time.perf_counter()
    linked = link_pending(complaint_ids=pending, limit=len(pending))
    seconds = time.perf_counter() - started
    result = {"linked": linked, "seconds": round(seconds, 2), "per_second": round(linked / seconds, 1)}
    print(f"linking after the run (one process): {result}")
    return result


def delete_created(max_id: int) -> int:
    """Remove what the create scenarios added: the complaints past ``max_id`` and every row that
    hangs on them (timeline, SLA clocks with their breaches and steps, notifications and their
    deliveries, insights suggestions, links and text bands…), deepest first, in raw SQL (the
    timeline refuses ORM deletes); then the quality signals left without any complaint."""
    from django.db import connection, transaction

    from kesu.complaints.models import Complaint

    quote = connection.ops.quote_name
    hanging = _hanging_rows(Complaint, f"id > {int(max_id)}")
    with transaction.atomic(), connection.cursor() as cursor:
        for table, condition in hanging:
            cursor.execute(f"DELETE FROM {quote(table)} WHERE {condition}")
        cursor.execute("DELETE FROM complaints_complaint WHERE id > %s", [max_id])
        deleted = cursor.rowcount
        signals = next((m for m in apps_models() if m._meta.db_table == "insights_qualitysignal"), None)
        if signals is not None:
            members, table = signals.complaints.through._meta.db_table, quote(signals._meta.db_table)
            cursor.execute(
                f"DELETE FROM {table} WHERE NOT EXISTS "
                f"(SELECT 1 FROM {quote(members)} m WHERE m.qualitysignal_id = {table}.id)"
            )
    tables = ", ".join(quote(t) for t in sorted({"complaints_complaint", *(t for t, _ in hanging)}))
    if connection.vendor == "postgresql" and not connection.in_atomic_block:  # not inside pytest
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {tables}")
    return int(deleted)


def apps_models() -> list[Any]:
    from django.apps import apps

    return list(apps.get_models())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--tokens", type=Path, default=RESULTS / "tokens.json")
    parser.add_argument(
        "--app-dir",
        type=Path,
        default=ROOT,
        help="the checkout gunicorn serves (e.g. a clean `git worktree` of the commit to measure)",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (gunicorn gthread when > 1)"
    )
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds, once per scenario")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--create-dealers", type=int, default=30)
    parser.add_argument("--word2", default="刹车")
    parser.add_argument("--word4", default="刹车失灵")
    parser.add_argument("--only", nargs="*", help="scenario names to run (default: all)")
    parser.add_argument("--keep-created", action="store_true")
    parser.add_argument(
        "--slow-ms",
        type=float,
        default=3000,
        help="a scenario whose probe request takes longer is timed with a few sequential "
        "requests instead of wrk",
    )
    parser.add_argument("--slow-samples", type=int, default=3)
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=60.0,
        help="before each run, wait up to this many seconds for the machine to be < 20%% busy",
    )
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgres"):
        raise SystemExit("measure on PostgreSQL: set DATABASE_URL / --database-url")

    django_setup(args.database_url)
    from django.db import connection
    from django.db.models import Max

    from kesu.complaints.models import Complaint

    tokens = json.loads(args.tokens.read_text())["users"]
    agent, dealer_id, agents = pick_agents(tokens)
    admin = next(u for u, t in tokens.items() if t["role"] == "admin")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    requests_file = RESULTS / "create-requests.tsv"
    count = write_create_requests(tokens, agents, requests_file, args.create_dealers, seed=1)
    max_id = Complaint.objects.aggregate(m=Max("pk"))["m"] or 0
    total = Complaint.objects.count()
    in_dealer = Complaint.objects.filter(dealer_id=dealer_id).count()
    connection.close()
    print(f"{total} complaints; queue/search agent {agent} (dealer {dealer_id}, {in_dealer} "
          f"complaints); {count} create requests for {args.create_dealers} dealers")  # fmt: skip

    agent_token, admin_token = tokens[agent]["token"], tokens[admin]["token"]
    queue = "/api/v1/complaints?status=investigating"
    w2, w4 = quote(args.word2), quote(args.word4)
    scenarios = [
        Scenario("queue_c1", "work queue, agent, c=1", 1, 1, queue, agent_token),
        Scenario("queue_c8", "work queue, agent, c=8", 8, 2, queue, agent_token),
        Scenario("queue_open_c1", "queue, all open states (web default), c=1", 1, 1,
                 "/api/v1/complaints?" + "&".join(f"status={x}" for x in OPEN), agent_token),
        Scenario("queue_all_c1", "queue without filter, agent, c=1", 1, 1,
                 "/api/v1/complaints", agent_token),
        Scenario("search2_agent_c1", f"search {args.word2}, agent, c=1", 1, 1,
                 f"/api/v1/complaints?q={w2}", agent_token),
        Scenario("search4_agent_c1", f"search {args.word4}, agent, c=1", 1, 1,
                 f"/api/v1/complaints?q={w4}", agent_token),
        Scenario("search2_admin_c1", f"search {args.word2}, admin (all), c=1", 1, 1,
                 f"/api/v1/complaints?q={w2}", admin_token),
        Scenario("search4_admin_c1", f"search {args.word4}, admin (all), c=1", 1, 1,
                 f"/api/v1/complaints?q={w4}", admin_token),
        Scenario("create_c2", "create, c=2", 2, 2, requests_file=str(requests_file)),
        Scenario("create_c16", "create, c=16", 16, 2, requests_file=str(requests_file)),
    ]  # fmt: skip
    if args.only:
        scenarios = [s for s in scenarios if s.name in args.only]

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    # Background jobs start with SIGINT ignored: make SIGTERM and SIGINT stop gunicorn too.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log = RESULTS / f"gunicorn-{stamp}.log"
    code = git_state(args.app_dir)  # what gunicorn loads now
    code["app_dir"] = str(args.app_dir)
    server = start_gunicorn(args.port, args.database_url, args.workers, log, args.app_dir, args.threads)
    counts: dict[str, int] = {}
    meter = CpuMeter(server.pid)
    try:
        slow: set[str] = set()
        for s in scenarios:
            if s.url:
                probe = timed_request(args.port, s.url, s.token)
                counts[s.name] = probe["count"]
                print(f"probe {s.name:18} {probe}", flush=True)
                if probe["status"] != 200 or probe["ms"] > args.slow_ms:
                    slow.add(s.name)
        first = requests_file.read_text(encoding="utf-8").splitlines()[0].split("\t")
        print("probe create", timed_request(args.port, first[1], first[2], "POST", first[3]))
        for s in scenarios:
            if s.name not in slow:
                run_wrk(s, args.port, args.warmup)
        for run in range(args.runs):
            for s in scenarios:
                if s.name in slow and run > 0:
                    continue  # one round of samples is all a request of many seconds allows
                idle_before = wait_for_quiet(args.quiet_wait) if args.quiet_wait else None
                if s.name in slow:
                    result = run_sequential(s, args.port, args.slow_samples)
                    result["cpu_percent"] = {}
                else:
                    result = run_wrk(s, args.port, args.duration, meter)
                result["busy_before_percent"] = idle_before
                s.runs.append(result)
                print(f"run {run + 1} {s.name:18} {result['rps']:8.1f}/s  p50 "
                      f"{result['p50_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms  "
                      f"errors {result['errors']}  cpu% {result['cpu_percent']}",
                      flush=True)  # fmt: skip
    finally:
        server.send_signal(signal.SIGQUIT)  # quick shutdown: do not wait for slow requests
        server.wait(timeout=30)
        if args.keep_created:
            pass
        elif sys.exc_info()[0] is not None:
            print(f"deleted {delete_created(max_id)} complaints created before the stop")
    created = Complaint.objects.filter(pk__gt=max_id).count()
    linking = measure_linking(max_id) if created else {}
    deleted = 0 if args.keep_created else delete_created(max_id)

    print(f"\n{'scenario':42} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}  (median of {args.runs})")
    summary = []
    for s in scenarios:
        row = {
            "name": s.name,
            "label": s.label,
            "connections": s.connections,
            "rows_matched": counts.get(s.name),
            "rps": statistics.median(r["rps"] for r in s.runs),
            "p50_ms": statistics.median(r["p50_ms"] for r in s.runs),
            "p95_ms": statistics.median(r["p95_ms"] for r in s.runs),
            "median_run_by_p95": median_run(s.runs, "p95_ms"),
            "sequential": s.name in slow,
        }
        summary.append(row)
        print(f"{s.label:42} {row['rps']:8.1f} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f}")
    out = RESULTS / f"measure-{stamp}.json"
    payload = {
        "started": stamp,
        "git": code,
        "cpus": os.cpu_count(),
        "database_complaints": total,
        "agent": agent,
        "agent_dealer_id": dealer_id,
        "agent_dealer_complaints": in_dealer,
        "created_during_run": created,
        "linking_after_run": linking,
        "deleted_after_run": deleted,
        "options": {k: str(v) for k, v in vars(args).items()},
        "summary": summary,
        "scenarios": [asdict(s) | {"token": "…"} for s in scenarios],
    }
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=1))
    print(f"\nwritten {out}; {created} complaints created, {deleted} deleted again")


if __name__ == "__main__":
    main()
