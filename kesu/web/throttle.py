"""Login throttling (django-axes): too many wrong passwords for one username, or from one
address, and the next attempt answers 429 before any password is hashed — the web login and
``POST /api/v1/auth/token`` alike (axes' backend stands first in AUTHENTICATION_BACKENDS).

Each wrong password costs a PBKDF2 hash (~0.2 s of CPU): without a limit, a few clients guessing
passwords slowed every agent's queue a hundredfold (issue 16)."""

import ipaddress
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kesu.core.api import error_response


def _minutes() -> int:
    cool_off = settings.AXES_COOLOFF_TIME
    return max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0


def lockout_message() -> str:
    return _("Too many failed logins. Try again in %(minutes)d minutes.") % {"minutes": _minutes()}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with the wait in words: JSON under /api/, the login page otherwise."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        response: HttpResponse = error_response(429, "throttled", message)
    else:
        response = render(request, "web/login.html", {"lockout": message}, status=429)
    response["Retry-After"] = str(_minutes() * 60)
    return response


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address to count failures by: REMOTE_ADDR, or — behind ``KESU_PROXY_COUNT`` trusted
    reverse proxies — the address the outermost of them saw in X-Forwarded-For (a client can
    prepend anything to that header, never append after the proxies). None when there is none
    (a request made in code): axes then counts by username only."""
    proxies = settings.KESU_PROXY_COUNT
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies > 0 and len(forwarded) >= proxies:
        found = _address(forwarded[-proxies])
        if found:
            return found
    return _address(str(request.META.get("REMOTE_ADDR") or ""))


class LoginThrottleBackend(AxesStandaloneBackend):
    """axes' backend, except that a call without an HTTP request (the test client's
    ``login()``, a shell, a management command) has no address to count and passes on to the
    password check. Every login that arrives over HTTP — the login page, ``POST
    /api/v1/auth/token`` — hands its request to ``authenticate`` (test_login_throttle.py)."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[no-any-return]
