"""``/healthz`` tells a load balancer the truth (database down or no worker beating: 503), and
tasks a dead worker left RUNNING are requeued (idempotent) or failed, never left for ever."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kesu.insights.tasks import train_classifier
from kesu.notifications.models import Delivery
from kesu.ops.heartbeat import Heartbeat, beat
from kesu.ops.models import WorkerHeartbeat
from kesu.ops.recovery import LOST, recover_stuck_tasks
from kesu.sla.tasks import sweep_clocks


def health() -> tuple[int, dict]:
    answer = Client().get("/healthz")
    assert answer["Content-Type"] == "application/json"
    return answer.status_code, answer.json()


@pytest.mark.django_db
def test_health_is_503_until_a_worker_beats_and_again_when_it_goes_quiet(settings):
    status, body = health()
    assert status == 503 and body["status"] == "fail" and body["database"]["ok"] is True
    assert body["worker"] == {
        "ok": False,
        "alive": 0,
        "stale": 0,
        "last_beat_seconds_ago": None,
        "stale_after_seconds": settings.KESU_HEARTBEAT_STALE_SECONDS,
    }
    beat(worker_id="w1", kind="db")
    Delivery.objects.create(
        channel="sms",
        target="138",
        subject="s",
        body="b",
        idempotency_key="k1",
        next_attempt_at=timezone.now(),
    )
    Delivery.objects.create(
        channel="webhook",
        target="1",
        subject="s",
        body="b",
        idempotency_key="k2",
        next_attempt_at=timezone.now(),
        status="uncertain",
    )
    sweep_clocks.enqueue()
    status, body = health()
    assert status == 200 and body["status"] == "ok" and body["worker"]["alive"] == 1
    assert body["outbox"]["pending"] == body["outbox"]["due"] == 1 and body["outbox"]["uncertain"] == 1
    assert body["tasks"]["ready"] == 1 and body["tasks"]["running"] == 0
    WorkerHeartbeat.objects.update(
        seen_at=timezone.now() - timedelta(seconds=settings.KESU_HEARTBEAT_STALE_SECONDS + 1)
    )
    status, body = health()
    assert status == 503 and body["worker"]["ok"] is False and body["worker"]["stale"] == 1
    assert "w1" not in str(body)  # no names of hosts or workers to anonymous callers


@pytest.mark.django_db(transaction=True)
def test_health_is_503_with_json_when_the_database_is_unreachable():
    beat(worker_id="w2", kind="db")
    assert health()[0] == 200
    params = connection.settings_dict
    saved = {k: params[k] for k in ("NAME", "PORT")}
    connection.close()
    if connection.vendor == "postgresql":
        params["PORT"] = "1"  # nothing listens there: a refused connection, as when it is down
    else:
        params["NAME"] = "/nonexistent-kesu-dir/kesu.sqlite3"
    try:
        status, body = health()
    finally:
        connection.close()
        params.update(saved)
    assert status == 503 and body["database"]["ok"] is False and body["status"] == "fail"
    assert health()[0] == 200  # back by itself on the next request


@pytest.mark.django_db(transaction=True)  # the thread writes on its own connection
def test_the_heartbeat_thread_beats_and_marks_a_clean_stop(settings):
    heartbeat = Heartbeat(worker_id="w3", kind="db", interval=0.05).start()
    try:
        row = None
        for _ in range(100):
            row = WorkerHeartbeat.objects.filter(worker_id="w3").first()
            if row is not None:
                break
            heartbeat._stop.wait(0.05)
        assert row is not None and row.stopped_at is None
    finally:
        heartbeat.stop()
    assert WorkerHeartbeat.objects.get(worker_id="w3").stopped_at is not None


def _running(task, *, worker: str, minutes_ago: int) -> DBTaskResult:
    result = DBTaskResult.objects.get(id=task.enqueue().id)
    result.claim(worker)
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return result


@pytest.mark.django_db
def test_stuck_running_tasks_are_requeued_or_failed_after_the_timeout(settings):
    settings.KESU_TASK_RUNNING_TIMEOUT = 300
    dead_sweep = _running(sweep_clocks, worker="dead-1", minutes_ago=10)
    dead_training = _running(train_classifier.using(), worker="dead-1", minutes_ago=10)
    young = _running(sweep_clocks, worker="dead-2", minutes_ago=1)
    beat(worker_id="alive-1", kind="db")
    long_on_live_worker = _running(sweep_clocks, worker="alive-1", minutes_ago=60)

    assert recover_stuck_tasks() == {"requeued": 1, "failed": 1}
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[dead_sweep.pk] == "READY"  # idempotent: runs again
    assert statuses[dead_training.pk] == "FAILED"  # not idempotent: a person sees it failed
    assert DBTaskResult.objects.get(pk=dead_training.pk).exception_class_path == LOST
    assert statuses[young.pk] == "RUNNING" and statuses[long_on_live_worker.pk] == "RUNNING"
    assert recover_stuck_tasks() == {"requeued": 0, "failed": 0}


@pytest.mark.django_db
def test_with_rq_health_reads_the_queue_from_redis_and_fails_when_redis_is_down(settings):
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis not reachable at {url}")
    beat(worker_id="w-rq", kind="rq")
    settings.REDIS_URL = url
    settings.RQ_QUEUES = {"default": {"URL": url}}
    status, body = health()
    assert status == 200 and body["tasks"]["queue"] == "rq" and body["tasks"]["ok"] is True
    assert {"ready", "running", "failed"} <= set(body["tasks"])
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens there
    status, body = health()
    assert status == 503 and body["tasks"] == {"queue": "rq", "ok": False, "error": "ConnectionError"}
