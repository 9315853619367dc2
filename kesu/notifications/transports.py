"""How a delivery leaves the building: email, SMS providers, group-robot webhooks.

Each transport says whether the far side recognises a repeat of the same idempotency key
(``idempotent``). Only then may the worker send a message again after a crash that left it
unsure whether the first send arrived; otherwise the delivery is marked uncertain and a person
decides (docs/operations.md, "Deliveries: uncertain"). Today only the development
transports recognise a repeat (the file transports write one file per key, O_EXCL; Django's
console/locmem/dummy mail backends reach nobody). Aliyun's ``OutId`` travels with each
SMS and the email's ``Message-ID`` is derived from the key, but neither service deduplicates on
them: a repeat would be a second message.

Every transport tells a refusal or a connection that never opened (safe to try again later)
from a failure after the request may have arrived (``TransportError.maybe_sent``).
"""

import base64
import hashlib
import hmac
import json
import os
import smtplib
import time
import urllib.parse
from pathlib import Path
from typing import Any, Protocol

import httpx
from django.conf import settings
from django.core.mail import EmailMessage

from kesu.core import http

from .models import WebhookTarget


class TransportError(Exception):
    """Sending failed. ``maybe_sent``: the far side may have the message all the same (a timeout
    after the request was written), so sending again could double it."""

    def __init__(self, message: str, *, maybe_sent: bool = False):
        super().__init__(message)
        self.maybe_sent = maybe_sent


class Transport(Protocol):
    idempotent: bool

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


# Django's mail backends that deliver to nobody (development, tests): a repeat harms no one.
LOCAL_EMAIL_BACKENDS = frozenset(
    f"django.core.mail.backends.{name}.EmailBackend" for name in ("console", "dummy", "locmem", "filebased")
)


class EmailTransport:
    """Django's mail backend (SMTP in production). SMTP has no idempotency: a real backend is not
    ``idempotent``; the development backends that deliver to nobody are."""

    def __init__(self) -> None:
        self.idempotent = settings.EMAIL_BACKEND in LOCAL_EMAIL_BACKENDS

    def send(self, *, target: str, subject: str, body: str, key: str) -> str:
        message_id = f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@kesu>"
        message = EmailMessage(subject=subject, body=body, to=[target], headers={"Message-ID": message_id})
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPServerDisconnected, TimeoutError) as exc:  # cut off: maybe after DATA
            raise TransportError(str(exc), maybe_sent=True) from exc
        except Exception as exc:  # refused or unreachable (SMTPRecipientsRefused, …): nothing sent
            raise TransportError(str(exc)) from exc
        return message_id


class FileSmsTransport:
    """Development SMS: a JSON file per message under ``KESU_OUTBOX_DIR/sms``."""

    idempotent = True  # one file per key: a repeat finds the file and writes nothing

    def send(self, *, target: str, subject: str, body: str, key: str) -> str:
        return write_once(
            Path(settings.KESU_OUTBOX_DIR) / "sms",
            key,
            {"to": target, "text": f"{subject}\n{body}".strip()},
        )


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it wraps (the SDK keeps the cause in ``inner_exception``)."""
    found: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending and len(found) < 20:
        current = pending.pop()
        if current is None or any(current is seen for seen in found):
            continue
        found.append(current)
        pending += [current.__cause__, current.__context__, getattr(current, "inner_exception", None)]
    return found


def _connection_never_opened(exc: BaseException) -> bool:
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

    return any(isinstance(e, NewConnectionError | ConnectTimeoutError) for e in _causes(exc))


def _answered(exc: BaseException) -> bool:
    """The service answered with an error (it read the request and refused it)."""
    from requests.exceptions import RequestException

    network = any(isinstance(e, RequestException | OSError) for e in _causes(exc))
    return not network and bool(getattr(exc, "code", None))


class AliyunSmsTransport:
    """Aliyun 短信服务 SendSms through Alibaba Cloud's own SDK (``alibabacloud-dysmsapi20170525``:
    it signs, and follows the API's changes). The key travels as ``OutId`` for the receipts;
    Aliyun does not deduplicate on it, hence not ``idempotent``."""

    idempotent = False

    def __init__(
        self,
        *,
        endpoint: str,
        access_key_id: str,
        access_key_secret: str,
        sign_name: str,
        template_code: str,
        timeout: float | None = None,
    ):
        self.endpoint, self.timeout = endpoint, timeout if timeout is not None else http.timeouts()[1]
        self.access_key_id, self.secret = access_key_id, access_key_secret
        self.sign_name, self.template_code = sign_name, template_code

    def _client(self) -> Any:
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.utils_models import Config

        url = urllib.parse.urlsplit(self.endpoint if "://" in self.endpoint else f"https://{self.endpoint}")
        config = Config(
            access_key_id=self.access_key_id,
            access_key_secret=self.secret,
            endpoint=url.netloc,
            protocol=url.scheme,
        )
        return Client(config)

    def send(self, *, target: str, subject: str, body: str, key: str) -> str:
        from alibabacloud_dysmsapi20170525.models import SendSmsRequest
        from darabonba.runtime import RuntimeOptions

        if not (self.access_key_id and self.secret):
            # never let the SDK look for credentials elsewhere (environment, instance metadata)
            raise TransportError("Aliyun SMS: KESU_ALIYUN_ACCESS_KEY_ID and …_SECRET are not set")
        text = f"{subject} {body}".strip()
        request = SendSmsRequest(
            phone_numbers=target,
            sign_name=self.sign_name,
            template_code=self.template_code,
            template_param=json.dumps({"content": text[:60]}, ensure_ascii=False),
            out_id=hashlib.sha256(key.encode()).hexdigest()[:32],
        )
        # the SDK's own retries are off: a read timeout repeated would be a second SMS
        runtime = RuntimeOptions(
            autoretry=False,
            connect_timeout=int(http.timeouts()[0] * 1000),
            read_timeout=int(self.timeout * 1000),
        )
        try:
            answer = self._client().send_sms_with_options(request, runtime).body
        except Exception as exc:
            if _answered(exc):
                raise TransportError(f"Aliyun SMS refused: {getattr(exc, 'code', '')} {exc}") from exc
            maybe_sent = not _connection_never_opened(exc)
            raise TransportError(f"Aliyun SMS unreachable: {exc}", maybe_sent=maybe_sent) from exc
        if answer.code != "OK":
            raise TransportError(f"Aliyun SMS refused: {answer.code} {answer.message}")
        return str(answer.biz_id or "")


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """DingTalk robot 加签: HMAC-SHA256 of "timestamp\\nsecret", base64, URL-encoded."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


class WebhookTransport:
    """WeCom / DingTalk group robots (markdown message). ``target`` is a WebhookTarget id.

    Robots take no idempotency key: a repeat is a second message in the group. So this is
    ``idempotent`` only in the development file mode."""

    def __init__(self) -> None:
        self.idempotent = settings.KESU_WEBHOOK_TRANSPORT == "file"

    def send(self, *, target: str, subject: str, body: str, key: str) -> str:
        robot = WebhookTarget.objects.filter(pk=int(target)).first()
        if robot is None:
            raise TransportError("webhook target was deleted")
        text = f"**{subject}**\n\n{body}"
        if self.idempotent:
            return write_once(
                Path(settings.KESU_OUTBOX_DIR) / "webhook",
                key,
                {"provider": robot.provider, "url": robot.url, "text": text},
            )
        if robot.provider == WebhookTarget.Provider.DINGTALK:
            url = dingtalk_signed_url(robot.url, robot.secret) if robot.secret else robot.url
            payload: dict[str, object] = {"msgtype": "markdown", "markdown": {"title": subject, "text": text}}
        else:
            url, payload = robot.url, {"msgtype": "markdown", "markdown": {"content": text}}
        try:
            response = http.client().post(url, json=payload)
        except httpx.HTTPError as exc:
            sent = http.request_was_sent(exc)
            raise TransportError(f"robot unreachable: {exc!r}", maybe_sent=sent) from exc
        if response.status_code in (502, 504):  # a proxy gave up waiting: the robot may have it
            raise TransportError(f"robot gateway: HTTP {response.status_code}", maybe_sent=True)
        try:
            answer = response.json() if response.content else {}
        except ValueError:
            answer = {"errcode": -1, "body": response.text[:200]}
        if response.status_code >= 400 or answer.get("errcode", 0) != 0:
            raise TransportError(f"robot refused: HTTP {response.status_code} {answer}")
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
