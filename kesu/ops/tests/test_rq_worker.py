"""With REDIS_URL set, tasks go through RQ on the real Redis and an RQ worker runs them."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from kesu.ops.management.commands.serve import RQ_WORKER_ARGS

ROOT = Path(__file__).resolve().parents[3]
REDIS = os.environ.get("KESU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        message = f"Redis not reachable at {REDIS} (CI starts it; see .ci/run)"
        if os.environ.get("CI"):  # in CI a missing Redis is a broken setup, not a pass
            pytest.fail(message)
        pytest.skip(message)


def run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "kesu", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_tasks_run_on_an_rq_worker(tmp_path):
    _redis_or_skip()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rq.sqlite3'}",
        "REDIS_URL": REDIS,
        "KESU_DATA_DIR": str(tmp_path),
    }
    run(env, "migrate", "-v", "0")
    marker = uuid.uuid4().hex
    script = (
        "from kesu.complaints.tasks import reindex_complaints\n"
        "from django_tasks import task_backends\n"
        f"print(type(task_backends['default']).__name__, reindex_complaints.enqueue([]).id, '{marker}')\n"
    )
    out = run(env, "shell", "-c", script)
    backend, result_id, _ = out.split()[-3:]
    assert backend == "RQBackend"
    # the worker `kesu serve` starts (and docs/operations.md gives), run until the queue is empty
    run(env, *RQ_WORKER_ARGS, "--burst", "--worker-class", "rq.worker.SimpleWorker")
    check = (
        "from kesu.complaints.tasks import reindex_complaints\n"
        f"r = reindex_complaints.get_result('{result_id}')\n"
        "print(r.status, r.return_value)\n"
    )
    assert run(env, "shell", "-c", check).split()[-2:] == ["SUCCESSFUL", "0"]
