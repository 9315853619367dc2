"""`python -m kesu serve` in real processes: a worker killed with -9 is started again by itself,
and SIGTERM / SIGINT stop gunicorn, the worker and the ticker before serve exits with 0."""

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kesu.ops.models import WorkerHeartbeat

from .procs import ROOT, alive, descendants, free_port, kesu_env, wait_for


def _health(port: int) -> tuple[int, dict] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())
    except OSError:
        return None  # not listening yet


def _alive_worker_pids() -> set[int]:
    return set(WorkerHeartbeat.objects.filter(stopped_at__isnull=True).values_list("pid", flat=True))


def _serve(tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    env = kesu_env(
        tmp_path,
        KESU_HEARTBEAT_SECONDS="1",
        KESU_HEARTBEAT_STALE_SECONDS="5",
        KESU_TICK_SECONDS="2",
        KESU_RESTART_BACKOFF_MAX="2",
        KESU_SHUTDOWN_GRACE_SECONDS="20",
        KESU_SMS_PROVIDER="file",
        KESU_WEBHOOK_TRANSPORT="file",
    )
    log = (tmp_path / "serve.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "kesu", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _stop_and_check(serve: subprocess.Popen[bytes], signum: int, tmp_path: Path) -> None:
    family = descendants(serve.pid)
    assert len(family) >= 4, family  # gunicorn master + its worker, the worker, the ticker
    serve.send_signal(signum)
    assert serve.wait(timeout=60) == 0, (tmp_path / "serve.log").read_text()[-3000:]
    wait_for(lambda: not any(alive(pid) for pid in family), timeout=10, what="every child to be gone")


@pytest.mark.django_db(transaction=True)
def test_serve_restarts_a_killed_worker_and_stops_everything_on_sigterm(tmp_path):
    port = free_port()
    serve = _serve(tmp_path, port)
    try:
        wait_for(lambda: (_health(port) or (0, {}))[0] == 200, what="/healthz 200 (web, database, worker)")
        first = wait_for(_alive_worker_pids, what="the worker's heartbeat")
        (worker_pid,) = first
        assert worker_pid in descendants(serve.pid)

        os.kill(worker_pid, signal.SIGKILL)
        restarted = wait_for(
            lambda: _alive_worker_pids() - first, timeout=60, what="a restarted worker beating"
        )
        assert restarted and not alive(worker_pid)
        assert next(iter(restarted)) in descendants(serve.pid)
        log = (tmp_path / "serve.log").read_text()
        assert f"worker (pid {worker_pid}) exited with -9" in log  # logged, with its restart
        status, body = wait_for(lambda: _health(port), what="health")
        assert status == 200 and body["worker"]["alive"] >= 1

        _stop_and_check(serve, signal.SIGTERM, tmp_path)
        assert "SIGTERM: stopping web, worker, tick" in (tmp_path / "serve.log").read_text()
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()


@pytest.mark.django_db(transaction=True)
def test_serve_passes_ctrl_c_on_and_exits_cleanly(tmp_path):
    port = free_port()
    serve = _serve(tmp_path, port)
    try:
        wait_for(lambda: (_health(port) or (0, {}))[0] == 200, what="/healthz 200")
        _stop_and_check(serve, signal.SIGINT, tmp_path)
        assert not _alive_worker_pids()  # the worker said goodbye (its heartbeat is marked stopped)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
