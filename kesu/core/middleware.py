"""Under /api/ every error is JSON: whatever answered (Django's CSRF check, a 405 from the
router, the 404 of /api/ itself), a client never has to parse an HTML page. ``HEAD`` is
answered like ``GET`` without the body, as HTTP says (the router knows only GET)."""

import re
import unicodedata
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .api import CODE_BY_STATUS, RETRY_AFTER_SECONDS, database_unavailable_response, error_response


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class JsonApiErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = self._json_errors(self.get_response(request))
        if head:
            if response.streaming:  # e.g. a file: its headers already say how long it is
                response.streaming_content = []  # type: ignore[attr-defined]
            else:
                length = len(response.content)
                response.content = b""
                response["Content-Length"] = str(length)
            allowed = response.get("Allow", "")
            if "GET" in allowed and "HEAD" not in allowed:
                response["Allow"] = allowed + ", HEAD"
        return response

    @staticmethod
    def _json_errors(response: HttpResponse) -> HttpResponse:
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        replaced = error_response(status, CODE_BY_STATUS.get(status, "error"), _phrase(status))
        if response.has_header("Allow"):
            replaced["Allow"] = response["Allow"]
        return replaced


class UriTooLongMiddleware:
    """A URL over ``KESU_MAX_URL_BYTES`` (8 KB) answers 414 — JSON under /api/, as every API error
    is. gunicorn would answer its own HTML 414 at 4 KB; `kesu serve` lifts gunicorn's limit
    (``--limit-request-line 0``: gunicorn still stops at 1 MB) so that this answer is the one a
    client gets."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = len(request.path.encode()) + len(request.META.get("QUERY_STRING", "").encode())
        if length <= settings.KESU_MAX_URL_BYTES:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return error_response(414, "uri_too_long", "URI Too Long (at most 8192 bytes).")
        return HttpResponse("<h1>414 URI Too Long</h1>", status=414, content_type="text/html; charset=utf-8")


# A mainland mobile number (optionally +86), not part of a longer run of digits
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])(?:\+?86)?1[3-9][0-9]{9}(?![0-9])")
PRIVATE_QUERY_HEADER = "HTTP_X_KESU_QUERY"


def holds_mobile(value: str) -> bool:
    """True when ``value`` (full-width digits, spaces and dashes allowed) holds a full mobile."""
    compact = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", value))
    return bool(_MOBILE_IN_TEXT.search(compact))


class PhonesOutOfUrlsMiddleware:
    """Full phone numbers never travel in a URL: URLs land in access logs (gunicorn's, a proxy's,
    the browser's history). A GET carries them in the ``X-Kesu-Query`` header instead
    (``phone=13812341234``, URL-encoded like a query string; kesu's pages move them there in
    static/kesu/private-query.js), which this middleware merges into ``request.GET``. A full
    number in the URL itself is refused: 422 ``phone_in_url`` under /api/, and a page is sent
    to the same address without that parameter (303)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        exposed = [name for name, values in request.GET.lists() if any(holds_mobile(v) for v in values)]
        if exposed:
            return self._refuse(request, exposed)
        private = request.META.get(PRIVATE_QUERY_HEADER, "")
        if private:
            merged = request.GET.copy()
            for name, values in QueryDict(private).lists():
                merged.setlist(name, values)
            merged._mutable = False
            request.GET = merged  # type: ignore[assignment]
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, exposed: list[str]) -> HttpResponse:
        if request.path.startswith("/api/"):
            message = _(
                "Phone numbers may not be sent in the URL (URLs are logged): send them in the "
                "X-Kesu-Query header or the request body."
            )
            return error_response(422, "phone_in_url", message, {name: message for name in exposed})
        kept = request.GET.copy()
        for name in exposed:
            kept.pop(name, None)
        query = kept.urlencode()
        return HttpResponseRedirect(request.path + (f"?{query}" if query else ""), status=303)


class DatabaseUnavailableMiddleware:
    """A page whose database went away (a restart, a failover) answers 503 with Retry-After and
    a page that says so — not the generic 500 — and is not logged as a bug. Under /api/ the
    router's own handler answers the same in JSON (kesu/core/api.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if request.path.startswith("/api/"):
            return database_unavailable_response()
        # rendered without the request: the context processors would query the database
        response = HttpResponse(render_to_string("web/503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
