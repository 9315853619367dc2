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

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
CONNECT_RETRIES = 2

_client: httpx.Client | None = None
_client_lock = threading.Lock()


def client() -> httpx.Client:
    """The process's shared client (created on first use; safe across threads)."""
    global _client
    with _client_lock:
        if _client is None or _client.is_closed:
            _client = httpx.Client(
                timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
                transport=httpx.HTTPTransport(retries=CONNECT_RETRIES),
                follow_redirects=False,
                headers={"User-Agent": "kesu"},
            )
        return _client


def request_was_sent(exc: httpx.HTTPError) -> bool:
    """Whether the far side may have received the request before ``exc`` (True when unsure)."""
    never_left = httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout | httpx.UnsupportedProtocol
    return not isinstance(exc, never_left)
