"""The outbox: written with the event, delivered by the worker, retried, dead-lettered, and never
sent twice for one key."""

import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction
from django.utils import timezone

from kesu.notifications import outbox as outbox_writer
from kesu.notifications import services
from kesu.notifications.delivery import MAX_ATTEMPTS, deliver_due
from kesu.notifications.models import Delivery, Notification, WebhookTarget
from kesu.notifications.transports import AliyunSmsTransport, TransportError, dingtalk_signed_url


@pytest.fixture
def outbox(settings, tmp_path):
    settings.KESU_OUTBOX_DIR = tmp_path
    settings.KESU_SMS_PROVIDER = "file"
    settings.KESU_WEBHOOK_TRANSPORT = "file"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return tmp_path


def manager(demo):
    user = demo.users["manager1"]
    user.email, user.mobile = "m1@example.cn", "13900001111"
    user.save()
    return user


def test_notify_writes_in_the_event_transaction_and_only_once(demo, outbox):
    user = manager(demo)
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_writer.notify(recipients=[user], kind="escalation", title="KS-1 升级", key="k1")
        raise RuntimeError("the event failed")
    assert Notification.objects.count() == 0 and Delivery.objects.count() == 0
    for _ in range(2):
        outbox_writer.notify(recipients=[user], kind="escalation", title="KS-1 升级", key="k1")
    assert Notification.objects.count() == 1
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "sms"]


def test_worker_delivers_each_channel_once(demo, outbox):
    from django.core import mail

    user = manager(demo)
    WebhookTarget.objects.create(
        organization=demo.dealers["D1"],
        provider="wecom",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",
    )
    outbox_writer.notify(
        recipients=[user],
        kind="crisis",
        title="KS-9 危机",
        body="客户称要找媒体",
        key="crisis:9",
        organization=demo.dealers["D1"],
    )
    assert deliver_due() == 3
    assert deliver_due() == 0
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["m1@example.cn"]
    sms = list((outbox / "sms").iterdir())
    robot = list((outbox / "webhook").iterdir())
    assert len(sms) == 1 and json.loads(sms[0].read_text())["to"] == "13900001111"
    assert len(robot) == 1 and "客户称要找媒体" in json.loads(robot[0].read_text())["text"]


def test_failures_back_off_then_dead_letter_then_retry(demo, outbox, settings):
    user = manager(demo)
    services.set_channels(user=user, kind="escalation", channels=["sms"])
    settings.KESU_SMS_PROVIDER = "aliyun"
    settings.KESU_ALIYUN_SMS_ENDPOINT = "http://127.0.0.1:9/unreachable"
    settings.KESU_ALIYUN_ACCESS_KEY_ID, settings.KESU_ALIYUN_ACCESS_KEY_SECRET = "id", "secret"
    outbox_writer.notify(recipients=[user], kind="escalation", title="KS-2", key="k2")
    delivery = Delivery.objects.get()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        deliver_due()
        delivery.refresh_from_db()
        assert delivery.attempts == attempt and "unreachable" in delivery.last_error
        if attempt < MAX_ATTEMPTS:
            assert delivery.status == "pending" and delivery.next_attempt_at > timezone.now()
    assert delivery.status == "dead"
    settings.KESU_SMS_PROVIDER = "file"
    assert services.retry_dead() == 1
    deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 1


class _FakeAliyun(BaseHTTPRequestHandler):
    """Aliyun's SendSms as seen from the SDK: the parameters in the query, ACS3 signature headers."""

    received: list[dict[str, object]] = []
    answer: dict[str, str] = {"Code": "OK", "BizId": "biz-1", "RequestId": "r-1", "Message": "OK"}

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.received.append(
            {
                "query": parse_qs(urlsplit(self.path).query),
                "action": self.headers.get("x-acs-action"),
                "authorization": self.headers.get("Authorization", ""),
            }
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(self.answer).encode())

    def log_message(self, *args):
        pass


def _aliyun(port: int, timeout: float | None = None) -> AliyunSmsTransport:
    return AliyunSmsTransport(
        endpoint=f"http://127.0.0.1:{port}/",
        access_key_id="id",
        access_key_secret="secret",
        sign_name="某4S店",
        template_code="SMS_1",
        timeout=timeout,
    )


def test_aliyun_sms_goes_through_the_vendor_sdk_to_the_configured_endpoint():
    server = HTTPServer(("127.0.0.1", 0), _FakeAliyun)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        transport = _aliyun(server.server_port)
        assert transport.send(target="13800138000", subject="您好", body="", key="key-1") == "biz-1"
        sent = _FakeAliyun.received[-1]
        query = sent["query"]
        assert isinstance(query, dict) and query["PhoneNumbers"] == ["13800138000"]
        assert sent["action"] == "SendSms" and query["SignName"] == ["某4S店"]
        assert str(sent["authorization"]).startswith("ACS3-HMAC-SHA256 Credential=id,")  # signed by the SDK
        assert len(query["OutId"][0]) == 32  # the key travels with the message (for receipts)
        _FakeAliyun.answer = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控", "RequestId": "r-2"}
        with pytest.raises(TransportError, match="BUSINESS_LIMIT_CONTROL") as refused:
            transport.send(target="13800138000", subject="x", body="", key="key-2")
        assert refused.value.maybe_sent is False  # Aliyun answered: nothing went out
    finally:
        _FakeAliyun.answer = {"Code": "OK", "BizId": "biz-1", "RequestId": "r-1", "Message": "OK"}
        server.shutdown()


def test_sms_timeout_after_the_request_left_is_maybe_sent_but_a_refused_connection_is_not():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)  # accepts the connection, never answers
    try:
        with pytest.raises(TransportError) as timed_out:
            _aliyun(silent.getsockname()[1], timeout=1).send(target="138", subject="x", body="", key="k")
        assert timed_out.value.maybe_sent is True
    finally:
        silent.close()
    with pytest.raises(TransportError) as refused:
        _aliyun(_closed_port()).send(target="138", subject="x", body="", key="k")
    assert refused.value.maybe_sent is False


def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def test_dingtalk_signature():
    url = dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "SECxyz", 1700000000000)
    assert url.startswith("https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign=")


def test_bell_api_and_preferences(demo, api):
    user = demo.users["agent1"]
    outbox_writer.notify(recipients=[user], kind="sla_warning", title="KS-3 快到期", key="w3")
    outbox_writer.notify(recipients=[demo.users["agent2"]], kind="sla_warning", title="别人的", key="w4")
    client = api("agent1")
    listing = client.get("/api/v1/notifications").json()
    assert listing["unread"] == 1 and [n["title"] for n in listing["results"]] == ["KS-3 快到期"]
    other = Notification.objects.get(recipient=demo.users["agent2"])
    assert client.post(f"/api/v1/notifications/{other.pk}/read").status_code == 404
    mine = Notification.objects.get(recipient=user)
    assert client.post(f"/api/v1/notifications/{mine.pk}/read").json() == {"marked": 1}
    assert client.get("/api/v1/notifications").json()["unread"] == 0
    bad = client.client.put(
        "/api/v1/notifications/preferences",
        json.dumps({"kind": "sla_breach", "channels": ["pigeon"]}),
        content_type="application/json",
        **client.headers,
    )
    assert bad.status_code == 422 and "channels" in bad.json()["error"]["fields"]
    good = client.client.put(
        "/api/v1/notifications/preferences",
        json.dumps({"kind": "sla_breach", "channels": ["sms"]}),
        content_type="application/json",
        **client.headers,
    )
    assert good.status_code == 200 and outbox_writer.channels_for(user, "sla_breach") == ["sms"]


def test_backoff_grows():
    from kesu.notifications.delivery import backoff

    assert backoff(1) < backoff(2) < backoff(3) <= backoff(10) == timedelta(hours=2)
