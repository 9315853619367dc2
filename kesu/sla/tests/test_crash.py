"""kill -9 a worker in the middle of a sweep and of a delivery batch, start it again: nothing is
lost and nothing is sent twice. Runs against a database of its own on the suite's vendor."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def crash_db(tmp_path):
    """A fresh database (SQLite file, or a new PostgreSQL database) with migrations applied."""
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.settings_dict
        name = f"kesu_crash_{uuid.uuid4().hex[:8]}"
        host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
        dsn = f"host={host} port={port} user={params['USER']} dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    else:
        url, name, dsn = f"sqlite:///{tmp_path / 'crash.sqlite3'}", "", ""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "KESU_DATA_DIR": str(tmp_path),
        "KESU_OUTBOX_DIR": str(tmp_path / "outbox"),
        "KESU_SMS_PROVIDER": "file",
        "KESU_WEBHOOK_TRANSPORT": "file",
        "KESU_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    subprocess.run([sys.executable, "-m", "kesu", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    yield env, tmp_path / "outbox"
    if name:
        import psycopg

        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def step(env, name, **extra):
    result = subprocess.run(
        [sys.executable, "-m", "kesu.sla.tests.crashkit", name],
        env={**env, **extra},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def kill_midway(env, name, started, **extra):
    """Start the worker, wait until ``started(report)`` shows it has committed some of its work
    (however slow the machine is to start it), then kill -9 it in the middle of the rest."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kesu.sla.tests.crashkit", name], env={**env, **extra}, cwd=ROOT
    )
    deadline = time.monotonic() + 240
    while not started(json.loads(step(env, "report"))):
        assert process.poll() is None, "the worker finished before it could be killed"
        assert time.monotonic() < deadline, "the worker made no progress"
        time.sleep(0.2)
    assert process.poll() is None, "the worker finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.django_db(transaction=True)
def test_kill_9_during_sweep_and_delivery_loses_nothing_and_sends_nothing_twice(crash_db):
    env, outbox = crash_db
    step(env, "seed", CRASH_COMPLAINTS="40")

    # Sweep in small batches with a pause inside each transaction; kill it after a few.
    kill_midway(env, "sweep", lambda r: r["breaches"] > 0, KESU_SWEEP_BATCH="10", KESU_TEST_SWEEP_PAUSE="2")
    partial = json.loads(step(env, "report"))
    assert 0 < partial["breaches"] < partial["clocks"], partial
    step(env, "sweep")
    step(env, "sweep")  # a second full run finds nothing new
    done = json.loads(step(env, "report"))
    assert done["breached_clocks"] == done["breaches"] == done["breach_entries"] == done["clocks"]
    assert done["duplicate_steps"] == 0 and done["due_clocks_left"] == 0
    assert done["escalation_entries"] == done["steps"] > 0

    # Deliver with a pause after each send, before its row commits; kill mid-batch.
    before = json.loads(step(env, "report"))["pending"]
    kill_midway(env, "deliver", lambda r: r["pending"] < before, KESU_TEST_DELIVERY_PAUSE="0.8")
    # the row being sent stays "sending"; the file transport recognises its key, so once the
    # send timeout has passed (0 here) it is sent again, and the file is not written twice
    step(env, "deliver", KESU_DELIVERY_SENDING_TIMEOUT="0")
    final = json.loads(step(env, "report"))
    assert final["pending"] == 0 and final["deliveries"] > 0
    sms = [json.loads(p.read_text()) for p in (outbox / "sms").iterdir()]
    keys = [message["key"] for message in sms]
    assert len(keys) == len(set(keys))  # nothing sent twice
    assert final["sms_deliveries"] == len(keys)  # every SMS sent exactly once
