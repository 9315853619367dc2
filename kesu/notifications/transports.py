"""How a delivery leaves the building: email, SMS providers, group-robot webhooks.

Each transport takes the delivery's idempotency key and passes it on where the far side can
use it (Aliyun ``OutId``, the email ``Message-ID``), so a retry after a crash is recognised.
The file transports used in development write one file per key with O_EXCL: a second attempt
with the same key finds the file and reports success without writing again.
"""

import base64
import hashlib
import hmac
import json
import os
import time
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from .models import WebhookTarget


class TransportError(Exception):
    """Sending failed; the worker retries with backoff, then dead-letters."""


class Transport(Protocol):
    def send(self, *, target: str, subject: str, body: str, key: str) -> str: ...


def write_once(folder: Path, key: str, payload: dict[str, object]) -> str:
    """Write ``payload`` to ``folder/<key>.json`` exactly once; returns the file name."""
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(key.encode()).hexdigest()[:32] + ".json"
    try:
        fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return name  # already delivered by an earlier attempt
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"key": key, **payload}, handle, ensure_ascii=False)
    return name


class EmailTransport:
    def send(self, *, target: str, subject: str, body: str, key: str) -> str:
        message_id = f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@kesu>"
        message = EmailMessage(subject=subject, body=body, to=[target], headers={"Message-ID": message_id})
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # SMTP errors of every kind are retried
            raise TransportError(str(exc)) from exc
        return message_id


class FileSmsTransport:
    """Development SMS: a JSON file per message under ``KESU_OUTBOX_DIR/sms``."""

    def send(self, *, target: str, subject: str, body: str, key: str) -> str:
        return write_once(
            Path(settings.KESU_OUTBOX_DIR) / "sms",
            key,
            {"to": target, "text": f"{subject}\n{body}".strip()},
        )


def _aliyun_quote(value: str) -> str:
    return urllib.parse.quote(value, safe="~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    """Aliyun RPC signature v1: HMAC-SHA1 over the canonicalised, percent-encoded query."""
    canonical = "&".join(f"{_aliyun_quote(k)}={_aliyun_quote(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{_aliyun_quote('/')}&{_aliyun_quote(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsTransport:
    """Aliyun 短信服务 SendSms over HTTPS. The idempotency key travels as ``OutId``."""

    def __init__(
        self,
        *,
        endpoint: str,
        access_key_id: str,
        access_key_secret: str,
        sign_name: str,
        template_code: str,
        timeout: float = 10,
    ):
        self.endpoint, self.timeout = endpoint, timeout
        self.access_key_id, self.secret = access_key_id, access_key_secret
        self.sign_name, self.template_code = sign_name, template_code

    def request_params(self, *, target: str, text: str, key: str) -> dict[str, str]:
        params = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": target,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": str(uuid.uuid4()),
            "SignatureVersion": "1.0",
            "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({"content": text[:60]}, ensure_ascii=False),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
            "OutId": hashlib.sha256(key.encode()).hexdigest()[:32],
        }
        params["Signature"] = aliyun_signature(params, self.secret)
        return params

    def send(self, *, target: str, subject: str, body: str, key: str) -> str:
        params = self.request_params(target=target, text=f"{subject} {body}".strip(), key=key)
        data = urllib.parse.urlencode(params).encode()
        request = urllib.request.Request(self.endpoint, data=data, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode() or "{}")
        except Exception as exc:
            raise TransportError(f"Aliyun SMS unreachable: {exc}") from exc
        if answer.get("Code") != "OK":
            raise TransportError(f"Aliyun SMS refused: {answer.get('Code')} {answer.get('Message')}")
        return str(answer.get("BizId", ""))


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """DingTalk robot 加签: HMAC-SHA256 of "timestamp\\nsecret", base64, URL-encoded."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


class WebhookTransport:
    """WeCom / DingTalk group robots (markdown message). ``target`` is a WebhookTarget id."""

    def send(self, *, target: str, subject: str, body: str, key: str) -> str:
        robot = WebhookTarget.objects.filter(pk=int(target)).first()
        if robot is None:
            raise TransportError("webhook target was deleted")
        text = f"**{subject}**\n\n{body}"
        if settings.KESU_WEBHOOK_TRANSPORT == "file":
            return write_once(
                Path(settings.KESU_OUTBOX_DIR) / "webhook",
                key,
                {"provider": robot.provider, "url": robot.url, "text": text},
            )
        if robot.provider == WebhookTarget.Provider.DINGTALK:
            url = dingtalk_signed_url(robot.url, robot.secret) if robot.secret else robot.url
            payload = {"msgtype": "markdown", "markdown": {"title": subject, "text": text}}
        else:
            url, payload = robot.url, {"msgtype": "markdown", "markdown": {"content": text}}
        request = urllib.request.Request(
            url,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                answer = json.loads(response.read().decode() or "{}")
        except Exception as exc:
            raise TransportError(f"robot unreachable: {exc}") from exc
        if answer.get("errcode", 0) != 0:
            raise TransportError(f"robot refused: {answer}")
        return "ok"


def transport_for(channel: str) -> Transport:
    if channel == "email":
        return EmailTransport()
    if channel == "sms":
        if settings.KESU_SMS_PROVIDER == "aliyun":
            return AliyunSmsTransport(
                endpoint=settings.KESU_ALIYUN_SMS_ENDPOINT,
                access_key_id=settings.KESU_ALIYUN_ACCESS_KEY_ID,
                access_key_secret=settings.KESU_ALIYUN_ACCESS_KEY_SECRET,
                sign_name=settings.KESU_ALIYUN_SMS_SIGN_NAME,
                template_code=settings.KESU_ALIYUN_SMS_TEMPLATE,
            )
        return FileSmsTransport()
    return WebhookTransport()
