"""Two web processes and two RQ workers on one PostgreSQL and one Redis: every acknowledged
create is stored once, and with two tickers queueing at once no task's effect happens twice —
each clock breaches once, no escalation step is doubled, each group-robot message is POSTed once.

PostgreSQL + Redis only (SQLite is one file on one host: nothing to scale out); CI runs the suite
on both, so this runs in the PostgreSQL pass. Redis database 12 (KESU_TEST_SCALE_REDIS_URL) is
flushed before and after: keep other users of this Redis off it.
"""

import functools
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.notifications.models import Delivery, WebhookTarget
from kesu.notifications.tests.test_uncertain import Robot
from kesu.organizations.models import ApiToken
from kesu.sla.models import Breach, Clock, EscalationStep

from .procs import ROOT, free_port, kesu_env, wait_for

REDIS = os.environ.get("KESU_TEST_SCALE_REDIS_URL", "redis://127.0.0.1:6379/12")


def _need_postgres_and_redis() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "scale-out needs PostgreSQL and Redis: run with DATABASE_URL=postgres://… (CI's second pass)"
        )
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        message = f"Redis not reachable at {REDIS} (CI starts it; see .ci/run)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _get(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code
    except OSError:
        return 0


def _healthy(port: int) -> bool:
    return _get(port, "/healthz") == 200


def _create(port: int, token: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/complaints",
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.status, json.loads(answer.read())


def _rq_idle() -> bool:
    import redis
    from rq import Queue
    from rq.registry import StartedJobRegistry

    connection_ = redis.Redis.from_url(REDIS)
    queue = Queue("default", connection=connection_)
    return queue.count == 0 and StartedJobRegistry(queue=queue).count == 0


@pytest.mark.django_db(transaction=True)
def test_two_web_processes_and_two_rq_workers_do_every_task_once(demo, tmp_path):
    _need_postgres_and_redis()
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    robot = Robot()
    dealer = demo.dealers["D1"]
    WebhookTarget.objects.create(organization=dealer, provider="wecom", url=robot.url)
    for index, name in enumerate(["manager1", "gm1", "agent1"]):
        demo.users[name].email, demo.users[name].mobile = f"{name}@example.cn", f"1390000{index:04d}"
        demo.users[name].save()
    customer = make_customer(demo)
    long_ago = timezone.now() - timedelta(days=20)
    for n in range(24):  # overdue: the sweep breaches and escalates every one of them
        make_complaint(
            demo,
            customer=customer,
            received_at=long_ago + timedelta(minutes=n),
            assignee_id=demo.users["agent1"].pk,
        )
    env = kesu_env(
        tmp_path,
        REDIS_URL=REDIS,
        KESU_WEBHOOK_TRANSPORT="http",
        KESU_SMS_PROVIDER="file",
        KESU_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        KESU_HEARTBEAT_SECONDS="1",
        KESU_SWEEP_BATCH="4",  # many small batches: the two workers' sweeps interleave
    )
    ports = [free_port(), free_port()]
    processes: list[subprocess.Popen[bytes]] = []
    logs = (tmp_path / "procs.log").open("wb")

    def start(*args: str) -> None:
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "kesu", *args], env=env, cwd=ROOT, stdout=logs, stderr=logs
            )
        )

    try:
        for port in ports:
            start("serve", "--no-worker", "--port", str(port), "--workers", "1")
        start("worker")
        start("worker")
        for port in ports:
            wait_for(functools.partial(_healthy, port), what=f"web on {port} healthy (workers beating)")

        # web: 40 creates, half through each process, four at a time
        token = ApiToken.issue(demo.users["agent1"])
        payload = {
            "customer_id": customer.pk,
            "vehicle_id": customer.vehicles.get().pk,
            "channel": "phone",
            "verbatim": "车机黑屏，重启也不好",
            "severity": "normal",
        }
        answers: list[tuple[int, dict]] = []

        def create_many(port: int) -> None:
            for _ in range(10):
                answers.append(_create(port, token, payload))

        threads = [threading.Thread(target=create_many, args=(port,)) for port in ports for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [status for status, _ in answers] == [201] * 40
        created = {body["id"] for _, body in answers}
        assert len(created) == 40 and Complaint.objects.filter(pk__in=created).count() == 40
        assert len({body["number"] for _, body in answers}) == 40

        # tasks: two tickers queue the sweep, the delivery and the linking at the same moment
        def settled() -> bool:
            pair = [
                subprocess.Popen([sys.executable, "-m", "kesu", "tick", "--once"], env=env, cwd=ROOT)
                for _ in range(2)
            ]
            assert all(p.wait(timeout=120) == 0 for p in pair)
            wait_for(_rq_idle, timeout=180, what="the RQ queue to drain")
            unsent = Delivery.objects.exclude(status="sent").count()
            return Breach.objects.exists() and unsent == 0 and Delivery.objects.exists()

        wait_for(settled, timeout=400, what="the sweep's breaches delivered")
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
        robot.close()
        redis.Redis.from_url(REDIS).flushdb()

    breached = Clock.objects.filter(state="breached")
    assert breached.count() >= 24
    assert Breach.objects.count() == breached.count()  # one breach per clock
    assert TimelineEntry.objects.filter(kind="sla_breach").count() == Breach.objects.count()
    doubled = EscalationStep.objects.values("clock", "level").annotate(n=Count("pk")).filter(n__gt=1)
    assert EscalationStep.objects.exists() and not doubled.exists()
    robots = Delivery.objects.filter(channel="webhook")
    assert robots.exists() and set(robots.values_list("attempts", flat=True)) == {1}
    assert len(robot.posts) == robots.count()  # every robot message POSTed once, none twice
    sms = list((tmp_path / "outbox" / "sms").iterdir())
    assert len(sms) == Delivery.objects.filter(channel="sms").count()
