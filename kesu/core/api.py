"""The REST API's machinery: errors that are always JSON, safe text parsing, local times.

``{"error": {"code": "...", "message": "...", "fields": {...}}}``. Routers live in each app's
``api.py``; ``kesu/api.py`` builds the API with :func:`new_api` and registers them.
"""

import json
import logging
import re
from datetime import datetime
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from kesu.core.errors import DomainError, one_of
from kesu.core.validators import too_long

log = logging.getLogger(__name__)


def _printable(text: object, limit: int = 500) -> str:
    """Error text that always encodes (a message may echo what the client sent, surrogates
    included) and stays short."""
    value = str(text)
    value = value if len(value) <= limit else value[:limit] + "…"
    return value.encode("utf-8", "replace").decode("utf-8")


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> JsonResponse:
    safe_fields = {_printable(k, 100): _printable(v) for k, v in (fields or {}).items()}
    body = {"error": {"code": code, "message": _printable(message), "fields": safe_fields, **(details or {})}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    414: "uri_too_long",
    422: "invalid",
    429: "throttled",
    503: "unavailable",
}
RETRY_AFTER_SECONDS = 5  # a database restart or failover: the client tries again shortly


def _field_name(loc: list[Any]) -> str:
    # ("body", "payload", "vehicle", "plate") → "vehicle.plate"
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file")]
    if len(parts) > 1 and parts[0] in ("payload", "data", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "body"


# pydantic's error types in the user's language; the rest keep pydantic's English text
_PYDANTIC_MESSAGES: dict[str, Promise] = {
    "missing": gettext_lazy("Required."),
    "int_parsing": gettext_lazy("Give a whole number."),
    "int_type": gettext_lazy("Give a whole number."),
    "int_from_float": gettext_lazy("Give a whole number."),
    "float_parsing": gettext_lazy("Give a number."),
    "float_type": gettext_lazy("Give a number."),
    "decimal_parsing": gettext_lazy("Give an amount such as 1200.50."),
    "decimal_type": gettext_lazy("Give an amount such as 1200.50."),
    "string_type": gettext_lazy("Give a text."),
    "bool_parsing": gettext_lazy("Give true or false."),
    "bool_type": gettext_lazy("Give true or false."),
    "datetime_parsing": gettext_lazy("Give a date and time, e.g. 2026-05-01T15:00+08:00."),
    "datetime_from_date_parsing": gettext_lazy("Give a date and time, e.g. 2026-05-01T15:00+08:00."),
    "datetime_type": gettext_lazy("Give a date and time, e.g. 2026-05-01T15:00+08:00."),
    "date_parsing": gettext_lazy("Give a date such as 2026-05-01."),
    "date_from_datetime_parsing": gettext_lazy("Give a date such as 2026-05-01."),
    "date_type": gettext_lazy("Give a date such as 2026-05-01."),
    "list_type": gettext_lazy("Give a list."),
    "dict_type": gettext_lazy("Give an object."),
    "model_type": gettext_lazy("Give an object."),
    "model_attributes_type": gettext_lazy("Give an object."),
    "extra_forbidden": gettext_lazy("Not a field of this request."),
    "json_invalid": gettext_lazy("Malformed JSON."),
}

# a number out of its range: pydantic's error type → (its context key, the message)
_BOUNDS: dict[str, tuple[str, Promise]] = {
    "greater_than_equal": ("ge", gettext_lazy("At least %(limit)s.")),
    "less_than_equal": ("le", gettext_lazy("At most %(limit)s.")),
    "greater_than": ("gt", gettext_lazy("More than %(limit)s.")),
    "less_than": ("lt", gettext_lazy("Less than %(limit)s.")),
}


def _message_of(error: dict[str, Any]) -> str:
    """One pydantic error as a user reads it: our own validators' words, or the type's."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    if kind in ("enum", "literal_error") and "expected" in context:
        return one_of(str(context["expected"]).replace("'", ""))
    if kind == "string_too_long" and "max_length" in context:
        return too_long(int(context["max_length"]))
    if kind == "string_too_short" and "min_length" in context:
        return _("At least %(n)d characters.") % {"n": int(context["min_length"])}
    if kind in _BOUNDS and _BOUNDS[kind][0] in context:
        key, text = _BOUNDS[kind]
        return str(text) % {"limit": context[key]}
    known = _PYDANTIC_MESSAGES.get(kind)
    return str(known) if known is not None else str(error.get("msg", "invalid"))


def _validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
    fields: dict[str, str] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(list(error.get("loc", []))), _message_of(error))
    message = "; ".join(f"{name}: {msg}" for name, msg in fields.items())
    return error_response(422, "invalid", message, fields)


def _http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    code = CODE_BY_STATUS.get(exc.status_code, "error")
    if exc.status_code == 400 and "parse" in str(exc.message).lower():
        code = "malformed_json"
    if isinstance(exc, AuthenticationError):
        return error_response(401, "unauthenticated", _("Send Authorization: Bearer <token>."))
    return error_response(exc.status_code, code, str(exc.message))


def database_unavailable_response() -> HttpResponse:
    """The database went away (a restart, a failover, a dropped connection): nothing was written,
    so the client may safely try again. Django drops the broken connection when the request
    ends, and the next request opens a new one."""
    response = error_response(
        503, "unavailable", _("The database is unavailable for a moment. Try again in a few seconds.")
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _database_unavailable(request: HttpRequest, exc: Any) -> HttpResponse:
    log.warning("database unavailable on %s %s: %s", request.method, request.path, exc)
    return database_unavailable_response()


def _unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
    log.exception("unhandled API error on %s %s", request.method, request.path)
    return error_response(500, "server_error", _("Unexpected error; it has been logged."))


UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL, and halves of a surrogate pair


def storable(value: Any) -> Any:
    """``value`` with every NUL character and unpaired surrogate dropped from its strings.

    PostgreSQL refuses NUL in text and UTF-8 cannot encode half a surrogate pair: such
    characters are invisible and carry nothing, so they are dropped here — as the reply guard
    drops control characters — instead of failing deep in the database driver."""
    if isinstance(value, str):
        return UNSTORABLE.sub("", value) if UNSTORABLE.search(value) else value
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable(item) for item in value]
    return value


class TextSafeParser(Parser):
    """JSON bodies and query strings with only text a database can store (see ``storable``)."""

    def parse_body(self, request: HttpRequest) -> Any:
        return storable(json.loads(request.body))

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> Any:
        return storable(super().parse_querydict(data, list_fields, request))


class LocalTimeEncoder(NinjaJSONEncoder):
    """Times in the installation's zone with their offset (2026-12-02T09:30:00+08:00): what the
    desk reads on its pages, and still unambiguous for any client."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime) and timezone.is_aware(o):
            return timezone.localtime(o).isoformat()
        return super().default(o)


class LocalTimeRenderer(JSONRenderer):
    encoder_class = LocalTimeEncoder


def _domain_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.message, exc.fields, exc.details)


def _not_found(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(404, "not_found", "Not found.")


def _out_of_range(request: HttpRequest, exc: Any) -> HttpResponse:
    """A date or number the database or the calendar cannot hold (year 1, 2**70)."""
    return error_response(422, "invalid", _("A date or number is out of range."))


def _too_large(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(413, "too_large", _("The request body is too large."))


def _bad_multipart(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(400, "bad_request", _("Malformed multipart body."))


@csrf_exempt  # a token-authenticated client never has a CSRF cookie: answer 404, not 403
def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Unknown paths under /api/ answer JSON, never Django's HTML 404 page."""
    return error_response(404, "not_found", "No such endpoint.")


def new_api(*, auth: Any) -> NinjaAPI:
    """The one NinjaAPI: JSON errors for everything, times in Asia/Shanghai, ``auth`` on every
    endpoint. The project's ``kesu/api.py`` makes it and registers each app's router."""
    api = NinjaAPI(
        parser=TextSafeParser(),
        renderer=LocalTimeRenderer(),
        title="kesu 客诉 API",
        version="1",
        urls_namespace="api",
        openapi_url="/openapi.json",
        docs_url="/docs",
        auth=auth,
    )
    api.add_exception_handler(OverflowError, _out_of_range)
    api.add_exception_handler(DataError, _out_of_range)
    api.add_exception_handler(RequestDataTooBig, _too_large)
    api.add_exception_handler(MultiPartParserError, _bad_multipart)
    api.add_exception_handler(DomainError, _domain_error)
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(OperationalError, _database_unavailable)
    api.add_exception_handler(InterfaceError, _database_unavailable)
    api.add_exception_handler(Exception, _unexpected)
    return api
