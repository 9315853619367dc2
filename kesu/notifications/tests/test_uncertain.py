"""A group-robot message is never sent twice without a person knowing: a send that may have
arrived (a worker killed mid-send, a timeout after the request left) becomes *uncertain*, is
listed on the outbox page, and goes out again only when a person says so — exactly once."""

import json
import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kesu.notifications import outbox as outbox_writer
from kesu.notifications import services
from kesu.notifications.delivery import deliver_due, recover_interrupted
from kesu.notifications.models import Delivery, WebhookTarget
from kesu.ops.tests.procs import ROOT, kesu_env, wait_for


class Robot:
    """A WeCom-like group robot on 127.0.0.1: records every POST; can hold requests unanswered."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.hold = threading.Event()
        self.release = threading.Event()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                robot.posts.append(json.loads(body))
                if robot.hold.is_set():
                    robot.release.wait(120)
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"errcode":0,"errmsg":"ok"}')
                except OSError:
                    pass  # the sender is gone

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=test"

    def posts_about(self, title: str) -> int:
        return sum(title in post["markdown"]["content"] for post in self.posts)

    def answer_at_once(self) -> None:
        self.hold.clear()
        self.release.set()

    def close(self) -> None:
        self.answer_at_once()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    robot = Robot()
    yield robot
    robot.close()


def _robot_events(demo, robot: Robot, titles: list[str]) -> None:
    dealer = demo.dealers["D1"]
    WebhookTarget.objects.create(organization=dealer, provider="wecom", url=robot.url)
    for n, title in enumerate(titles):
        body = "客户称要找媒体"
        outbox_writer.queue_webhooks(dealer.pk, kind="crisis", title=title, body=body, key=f"c:{n}")


def test_a_timeout_after_the_request_left_is_uncertain_and_a_person_resends_it_once(demo, robot, settings):
    settings.KESU_WEBHOOK_TRANSPORT = "http"
    settings.KESU_HTTP_TIMEOUT = 1
    robot.hold.set()  # the robot takes the message and answers too late
    _robot_events(demo, robot, ["KS-1 危机"])
    assert deliver_due() == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, robot.posts_about("KS-1")) == ("uncertain", 1, 1)

    robot.answer_at_once()
    Delivery.objects.update(next_attempt_at=timezone.now())
    deliver_due()
    assert robot.posts_about("KS-1") == 1  # not resent by itself

    admin = Client()
    admin.force_login(demo.users["admin"])
    page = admin.get("/notifications/outbox/").content.decode()
    assert 'data-testid="uncertain"' in page and "KS-1 危机" in page
    answer = admin.post("/notifications/outbox/", {"action": "resend", "delivery": [delivery.pk]})
    assert answer.status_code == 302
    deliver_due()
    deliver_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, robot.posts_about("KS-1")) == ("sent", 2, 2)
    assert "admin" in delivery.last_error or delivery.last_error == ""


def test_only_admins_settle_and_drop_sends_nothing(demo, robot, settings):
    settings.KESU_WEBHOOK_TRANSPORT = "http"
    _robot_events(demo, robot, ["KS-2 危机"])
    Delivery.objects.update(status="uncertain", attempts=1)
    delivery = Delivery.objects.get()
    manager = Client()
    manager.force_login(demo.users["manager1"])
    refused = manager.post("/notifications/outbox/", {"action": "resend", "delivery": [delivery.pk]})
    assert refused.status_code in (403, 404)
    anonymous = Client().post("/notifications/outbox/", {"action": "drop", "delivery": [delivery.pk]})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    delivery.refresh_from_db()
    assert delivery.status == "uncertain"  # neither changed anything
    assert services.settle_uncertain(actor=demo.users["admin"], delivery_ids=[delivery.pk], resend=False) == 1
    deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == "dropped" and robot.posts == []


def test_an_interrupted_send_on_a_transport_that_knows_the_key_is_sent_again(demo, settings, tmp_path):
    settings.KESU_WEBHOOK_TRANSPORT = "file"
    settings.KESU_OUTBOX_DIR = tmp_path
    settings.KESU_DELIVERY_SENDING_TIMEOUT = 60
    dealer = demo.dealers["D1"]
    WebhookTarget.objects.create(organization=dealer, provider="wecom", url="https://qyapi.weixin.qq.com/x")
    outbox_writer.queue_webhooks(dealer.pk, kind="crisis", title="KS-3", body="", key="c:3")
    claimed = timezone.now() - timedelta(seconds=30)
    Delivery.objects.update(status="sending", attempts=1, claimed_at=claimed)
    assert recover_interrupted() == {"requeued": 0, "uncertain": 0}  # still within the timeout
    settings.KESU_DELIVERY_SENDING_TIMEOUT = 10
    assert recover_interrupted() == {"requeued": 1, "uncertain": 0}
    deliver_due()
    assert Delivery.objects.get().status == "sent" and len(list((tmp_path / "webhook").iterdir())) == 1


def _deliver(env: dict[str, str]) -> subprocess.Popen[bytes]:
    code = "from kesu.notifications.delivery import deliver_due; print(deliver_due())"
    return subprocess.Popen([sys.executable, "-m", "kesu", "shell", "-c", code], env=env, cwd=ROOT)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_posts_nothing_twice(demo, robot, tmp_path):
    titles = ["KS-10 危机", "KS-11 危机", "KS-12 危机"]
    _robot_events(demo, robot, titles)
    env = kesu_env(tmp_path, KESU_WEBHOOK_TRANSPORT="http", KESU_HTTP_TIMEOUT="60")
    robot.hold.set()
    worker = _deliver(env)
    wait_for(lambda: robot.posts or worker.poll() is not None, what="the first POST")
    assert worker.poll() is None, "the worker ended before it could be killed"
    os.kill(worker.pid, signal.SIGKILL)  # the robot has the message; the worker never hears back
    worker.wait()
    held = Delivery.objects.get(status="sending")
    assert held.attempts == 1  # the attempt was counted before the send
    robot.answer_at_once()

    restarted = _deliver({**env, "KESU_DELIVERY_SENDING_TIMEOUT": "0"})
    assert restarted.wait(timeout=120) == 0
    held.refresh_from_db()
    assert held.status == "uncertain" and held.attempts == 1
    assert [robot.posts_about(t) for t in titles] == [1, 1, 1]  # no second POST for the held one
    assert Delivery.objects.filter(status="sent").count() == 2

    services.settle_uncertain(actor=demo.users["admin"], delivery_ids=[held.pk], resend=True)
    for _ in range(2):
        assert _deliver(env).wait(timeout=120) == 0
    held.refresh_from_db()
    assert held.status == "sent" and held.attempts == 2
    assert sorted(robot.posts_about(t) for t in titles) == [1, 1, 2]  # the resend, exactly once


def _smtp_that_hangs_up_after_data() -> tuple[int, list[bytes]]:
    """A minimal SMTP server on 127.0.0.1 that takes the whole message, then closes the
    connection instead of answering 250: the mail may well have been queued for delivery."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    port = server.getsockname()[1]
    received: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        server.close()  # one conversation only: a later connection is refused
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"220 kesu-test ESMTP\r\n")
            for line in lines:
                command = line.strip().upper()
                if command.startswith((b"EHLO", b"HELO", b"MAIL", b"RCPT")):
                    conn.sendall(b"250 ok\r\n")
                elif command == b"DATA":
                    conn.sendall(b"354 go on\r\n")
                    for body_line in lines:
                        if body_line.rstrip(b"\r\n") == b".":
                            break
                        received.append(body_line)
                    return  # hang up before "250 queued"

    threading.Thread(target=serve, daemon=True).start()
    return port, received


def test_smtp_cut_off_after_data_is_uncertain_but_a_refused_connection_is_retried(demo, settings):
    from kesu.notifications.outbox import send_to_address

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_TIMEOUT = "127.0.0.1", 5
    settings.EMAIL_PORT, received = _smtp_that_hangs_up_after_data()
    mail = send_to_address(
        channel="email", target="kehu@example.cn", subject="书面答复", body="您好", key="a:1"
    )
    deliver_due()
    mail.refresh_from_db()
    assert received and (mail.status, mail.attempts) == ("uncertain", 1)

    # the server is gone now: the connection is refused, nothing left, so it is retried later
    other = send_to_address(
        channel="email", target="kehu@example.cn", subject="书面答复", body="您好", key="a:2"
    )
    deliver_due()
    other.refresh_from_db()
    assert (other.status, other.attempts) == ("pending", 1) and other.next_attempt_at > timezone.now()
