"""The load and fault drill of issue 16 item 5, in one command.

    python -m bench.load_drill --minutes 30 --users 50

It starts the group-robot stand-in (``bench.robot_sink``) and the supervised app (``python -m
kesu serve``: gunicorn, the RQ worker on Redis, the ticker) on the bench database, runs the locust
scenario (``bench/locustfile.py``; prepare its users first with ``python -m bench.locust_prepare``)
and, while it runs, breaks things on a schedule (``--faults``, minutes from the start):

- ``web``: kill -9 one gunicorn worker (gunicorn starts another);
- ``worker``: kill -9 the task worker (``kesu serve`` restarts it);
- ``postgres``: restart the PostgreSQL cluster (``pg_ctlcluster … restart``).

After each fault it polls ``/healthz`` until it answers 200 again and records how long that took.
The memory (RSS) of every process of the app is sampled every ``--sample-seconds``. When locust
ends it waits for the outbox to drain, stops serve with SIGTERM (its exit status and any process
left over are recorded), runs ``python -m bench.locust_check`` (acknowledged creates lost, robot
messages doubled) and writes everything to ``bench/results/drill-<time>.json``, printing the
tables docs/benchmarks.md quotes.
"""

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil

from bench.locust_prepare import ROBOT_MARK

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = RESULTS.parent.parent


def role_of(process: psutil.Process) -> str:
    """A readable name for each process of ``kesu serve``'s tree."""
    try:
        line = " ".join(process.cmdline())
    except psutil.Error:
        return "gone"
    if "gunicorn" in line:
        parent = process.parent()
        parent_line = " ".join(parent.cmdline()) if parent else ""
        return "gunicorn worker" if "gunicorn" in parent_line else "gunicorn master"
    if "kesu worker" in line:
        parent = process.parent()
        parent_line = " ".join(parent.cmdline()) if parent else ""
        return "rq work-horse" if "kesu worker" in parent_line else "task worker"
    if "kesu tick" in line:
        return "ticker"
    if "kesu serve" in line:
        return "serve (supervisor)"
    return line[:40]


def sample_memory(serve: psutil.Process, at: float) -> list[dict[str, Any]]:
    rows = []
    for process in [serve, *serve.children(recursive=True)]:
        try:
            memory = process.memory_full_info()  # pss: shared pages counted once across processes
        except psutil.Error:
            continue
        rows.append(
            {
                "t": round(at, 1),
                "pid": process.pid,
                "role": role_of(process),
                "rss_mb": memory.rss / 2**20,
                "pss_mb": memory.pss / 2**20,
            }
        )
    return rows


def healthz(port: int) -> tuple[int, dict[str, Any]]:
    """/healthz's status and report (0 and {} when nothing answers)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return int(answer.status), dict(json.loads(answer.read()))
    except urllib.error.HTTPError as exc:  # 503: the report says what is down
        return int(exc.code), dict(json.loads(exc.read() or b"{}"))
    except (OSError, ValueError):
        return 0, {}


def wait_healthy(port: int, limit: float) -> float | None:
    """Seconds until /healthz answers 200, or None after ``limit``."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if healthz(port)[0] == 200:
            return round(time.monotonic() - started, 1)
        time.sleep(0.5)
    return None


def inflict(fault: str, serve: psutil.Process) -> str:
    tree = serve.children(recursive=True)
    if fault == "web":
        victim = next(p for p in tree if role_of(p) == "gunicorn worker")
        victim.send_signal(signal.SIGKILL)
        return f"kill -9 gunicorn worker {victim.pid}"
    if fault == "worker":
        victim = next(p for p in tree if role_of(p) == "task worker")
        mid_send = wait_for_send_in_flight(RESULTS / "robot-sink.jsonl", limit=120)
        # the worker with its RQ work-horse, as when its container or host dies
        for process in [victim, *victim.children(recursive=True)]:
            process.send_signal(signal.SIGKILL)
        return f"kill -9 task worker {victim.pid} and its work-horse" + (" mid-send" if mid_send else "")
    if fault == "postgres":
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
        return f"pg_ctlcluster {version} main restart"
    raise ValueError(fault)


def wait_for_send_in_flight(sink_log: Path, limit: float) -> bool:
    """Until a robot has just received a message whose answer is still held back
    (``bench.robot_sink --delay``): a kill now interrupts a send the robot already has."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if time.time() - sink_log.stat().st_mtime < 0.08:
                return True
        except FileNotFoundError:
            pass
        time.sleep(0.01)
    return False


def forget_earlier_robot_deliveries(database_url: str) -> None:
    """The robot stand-in's log starts empty: so do the deliveries to the bench's robots."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "DELETE FROM notifications_delivery WHERE channel = 'webhook' AND target IN "
            "(SELECT id::text FROM notifications_webhooktarget WHERE secret = %s)",
            (ROBOT_MARK,),
        )


def wait_no_send_in_flight(database_url: str, env: dict[str, str], limit: float) -> float | None:
    """Seconds until no delivery is left ``sending`` (a send the worker's kill interrupted is
    judged by the outbox's recovery after KESU_DELIVERY_SENDING_TIMEOUT)."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(database_url, autocommit=True) as conn:
        while time.monotonic() - started < limit:
            sql = "SELECT count(*) FROM notifications_delivery WHERE status = 'sending'"
            row = conn.execute(sql).fetchone()
            if row is not None and row[0] == 0:
                return round(time.monotonic() - started, 1)
            time.sleep(2)
    return None


def endpoint_table(prefix: Path) -> list[dict[str, Any]]:
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as handle:
        return [
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "rps": round(float(row["Requests/s"]), 2),
            }
            for row in csv.DictReader(handle)
        ]


def failures_around(prefix: Path, events: list[dict[str, Any]], window: float) -> None:
    """Failed requests from each fault until ``window`` seconds after it (locust's history)."""
    with Path(f"{prefix}_stats_history.csv").open(encoding="utf-8") as handle:
        history = [
            (float(row["Timestamp"]), int(row["Total Failure Count"]))
            for row in csv.DictReader(handle)
            if row["Name"] == "Aggregated"
        ]
    for event in events:
        before = [n for t, n in history if t <= event["at"]]
        after = [n for t, n in history if t <= event["at"] + window]
        event[f"failures_within_{int(window)}s"] = (after[-1] if after else 0) - (before[-1] if before else 0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kesu_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--faults", default="10:web,15:worker,20:postgres")
    parser.add_argument("--sample-seconds", type=float, default=30)
    parser.add_argument("--robot-port", type=int, default=8899)
    parser.add_argument("--report", type=Path, help="print the tables of a drill-<time>.json and stop")
    parser.add_argument(
        "--judge-seconds",
        type=float,
        default=300,
        help="after the run, wait up to this long for interrupted sends to be judged "
        "(KESU_DELIVERY_SENDING_TIMEOUT, then the next delivery round)",
    )
    args = parser.parse_args(argv)
    if args.report:
        print_tables(json.loads(args.report.read_text(encoding="utf-8")))
        return

    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    prefix = RESULTS / f"locust-{stamp}"
    (RESULTS / "locust-acked.txt").unlink(missing_ok=True)
    (RESULTS / "robot-sink.jsonl").unlink(missing_ok=True)
    forget_earlier_robot_deliveries(args.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "KESU_WEBHOOK_TRANSPORT": "http",  # real HTTP POSTs to the robot stand-in
        "KESU_SECRET_KEY": secrets.token_urlsafe(50),
    }
    env.pop("KESU_DEBUG", None)
    python = sys.executable
    sink = subprocess.Popen([python, "-m", "bench.robot_sink", "--port", str(args.robot_port)], cwd=ROOT)
    serve_log = (RESULTS / f"serve-{stamp}.log").open("w")
    serve_cmd = [python, "-m", "kesu", "serve", "--port", str(args.port), "--workers", str(args.web_workers)]
    serve_popen = subprocess.Popen(serve_cmd, cwd=ROOT, env=env, stdout=serve_log, stderr=subprocess.STDOUT)
    serve = psutil.Process(serve_popen.pid)
    up = wait_healthy(args.port, 180)
    if up is None:
        serve_popen.terminate()
        sink.terminate()
        sys.exit(f"kesu serve did not become healthy: see {serve_log.name}")
    memory = sample_memory(serve, 0.0)
    locust = subprocess.Popen(
        [
            str(Path(python).parent / "locust"),
            "-f",
            "bench/locustfile.py",
            "--headless",
            "-u",
            str(args.users),
            "-r",
            "5",
            "-t",
            f"{int(args.minutes * 60)}s",
            "--host",
            f"http://127.0.0.1:{args.port}",
            "--csv",
            str(prefix),
            "--csv-full-history",
            "--only-summary",
        ],
        cwd=ROOT,
        stdout=(RESULTS / f"locust-{stamp}.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    started = time.time()
    faults = (item.split(":") for item in args.faults.split(",") if item)
    plan = sorted((float(minute) * 60, kind) for minute, kind in faults)
    events: list[dict[str, Any]] = []
    next_sample = args.sample_seconds
    while locust.poll() is None:
        elapsed = time.time() - started
        if plan and elapsed >= plan[0][0]:
            _, kind = plan.pop(0)
            at = time.time()
            what = inflict(kind, serve)
            events.append({"fault": kind, "what": what, "at": at, "minute": round((at - started) / 60, 2)})
            print(f"{time.strftime('%H:%M:%S')} {what}", flush=True)
            time.sleep(1)
            events[-1]["healthy_again_after_s"] = wait_healthy(args.port, 300)
        if elapsed >= next_sample:
            memory += sample_memory(serve, elapsed)
            next_sample += args.sample_seconds
        time.sleep(0.5)
    memory += sample_memory(serve, time.time() - started)

    drained_after = None
    for waited in range(0, 300, 2):
        outbox = healthz(args.port)[1].get("outbox", {})
        if outbox.get("due") == 0:
            drained_after = waited
            break
        time.sleep(2)
    judged_after = wait_no_send_in_flight(args.database_url, env, limit=args.judge_seconds)
    check = subprocess.run(  # while serve runs: the health report sees the workers beating
        [python, "-m", "bench.locust_check", "--database-url", args.database_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    children = serve.children(recursive=True)
    serve_popen.send_signal(signal.SIGTERM)
    serve_exit = serve_popen.wait(timeout=120)
    left = [p.pid for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    sink.terminate()
    failures_around(prefix, events, 60)
    result = {
        "command": " ".join(["python -m bench.load_drill", *(argv or sys.argv[1:])]),
        "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
        "users": args.users,
        "minutes": args.minutes,
        "web_workers": args.web_workers,
        "endpoints": endpoint_table(prefix),
        "faults": events,
        "memory": memory,
        "outbox_drained_after_s": drained_after,
        "sends_in_flight_judged_after_s": judged_after,
        "serve_exit": serve_exit,
        "processes_left_after_sigterm": left,
        "check": json.loads(check.stdout) if check.stdout.strip().startswith("{") else check.stdout[-2000:],
        "check_exit": check.returncode,
        "load_average": os.getloadavg(),
    }
    out = RESULTS / f"drill-{stamp}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print_tables(result)
    print(f"→ {out}")


def print_tables(result: dict[str, Any]) -> None:
    print("| endpoint | requests | failures | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for row in result["endpoints"]:
        cells = (row["name"], row["requests"], row["failures"], row["p50_ms"], row["p95_ms"], row["p99_ms"])
        print("| " + " | ".join(str(c) for c in cells) + " |")
    print("\n| fault | minute | healthy again after | failed requests within 60 s |")
    print("|---|---|---|---|")
    for event in result["faults"]:
        cells = (event["what"], event["minute"], event["healthy_again_after_s"], event["failures_within_60s"])
        print("| " + " | ".join(str(c) for c in cells) + " |")
    print_memory(result["memory"])


def print_memory(samples: list[dict[str, Any]]) -> None:
    """Each long-lived process at its first and last sample; the RQ work-horses (one fork per
    job, gone in seconds) as one row."""
    first: dict[tuple[str, int], dict[str, Any]] = {}
    last: dict[tuple[str, int], dict[str, Any]] = {}
    horses: list[dict[str, Any]] = []
    for row in samples:
        if row["role"] == "rq work-horse":
            horses.append(row)
        elif row["role"] and row["role"] != "gone" and row["rss_mb"]:
            first.setdefault((row["role"], row["pid"]), row)
            last[(row["role"], row["pid"])] = row
    print("\n| process | pid | first seen (min) | RSS / PSS MB then | last seen (min) | RSS / PSS MB then |")
    print("|---|---|---|---|---|---|")
    for (role, pid), row in sorted(first.items()):
        end = last[(role, pid)]
        print(
            f"| {role} | {pid} | {row['t'] / 60:.1f} | {row['rss_mb']:.0f} / {row['pss_mb']:.0f}"
            f" | {end['t'] / 60:.1f} | {end['rss_mb']:.0f} / {end['pss_mb']:.0f} |"
        )
    if horses:
        rss = sorted(h["rss_mb"] for h in horses)
        pss = sorted(h["pss_mb"] for h in horses)
        print(
            f"| rq work-horse (one per job; {len(horses)} seen) | | | median {rss[len(rss) // 2]:.0f} / "
            f"{pss[len(pss) // 2]:.0f} | | largest {rss[-1]:.0f} / {pss[-1]:.0f} |"
        )


if __name__ == "__main__":
    main()
