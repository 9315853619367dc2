"""The one HTTP client every outgoing call goes through (group robots, and any future webhook).

One ``httpx.Client`` per process keeps connections alive between sends and gives every call the
same timeouts. It retries only what cannot have reached the far side: a connection that was
never opened (refused, DNS, connect timeout) — httpx's transport ``retries`` does exactly that
and nothing more. A request that was written and then timed out is never repeated here: for a
group robot that would be a second message. ``request_was_sent`` tells a caller which side of
that line an error fell on.
"""

import threading

import httpx
from django.conf import settings

CONNECT_RETRIES = 2

_client: httpx.Client | None = None
_client_timeouts: tuple[float, float] = (0.0, 0.0)
_client_lock = threading.Lock()


def timeouts() -> tuple[float, float]:
    """(connect, read) seconds: KESU_HTTP_CONNECT_TIMEOUT and KESU_HTTP_TIMEOUT."""
    return float(settings.KESU_HTTP_CONNECT_TIMEOUT), float(settings.KESU_HTTP_TIMEOUT)


def client() -> httpx.Client:
    """The process's shared client (created on first use; safe across threads)."""
    global _client, _client_timeouts
    with _client_lock:
        if _client is None or _client.is_closed or _client_timeouts != timeouts():
            _client_timeouts = connect, read = timeouts()
            _client = httpx.Client(
                timeout=httpx.Timeout(read, connect=connect),
                transport=httpx.HTTPTransport(retries=CONNECT_RETRIES),
                follow_redirects=False,
                headers={"User-Agent": "kesu"},
            )
        return _client


def request_was_sent(exc: httpx.HTTPError) -> bool:
    """Whether the far side may have received the request before ``exc`` (True when unsure)."""
    never_left = httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout | httpx.UnsupportedProtocol
    return not isinstance(exc, never_left)
