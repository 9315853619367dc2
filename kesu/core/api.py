"""The REST API v1: one NinjaAPI, bearer tokens, and errors that are always JSON.

Routers live in each app's ``api.py``; this module only wires them and maps errors:
``{"error": {"code": "...", "message": "...", "fields": {...}}}``.
"""

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from kesu.core.errors import DomainError
from kesu.organizations.models import ApiToken

log = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.objects.user_for(token)
        if user is not None:
            request.user = user
        return user


def error_response(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> JsonResponse:
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


_CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "throttled",
}


def _field_name(loc: list[Any]) -> str:
    # ("body", "payload", "vehicle", "plate") → "vehicle.plate"
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file")]
    if len(parts) > 1 and parts[0] in ("payload", "data", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
    fields: dict[str, str] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(list(error.get("loc", []))), str(error.get("msg", "invalid")))
    message = "; ".join(f"{name}: {msg}" for name, msg in fields.items())
    return error_response(422, "invalid", message, fields)


def _http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    code = _CODE_BY_STATUS.get(exc.status_code, "error")
    if exc.status_code == 400 and "parse" in str(exc.message).lower():
        code = "malformed_json"
    if isinstance(exc, AuthenticationError):
        return error_response(401, "unauthenticated", "Send Authorization: Bearer <token>.")
    return error_response(exc.status_code, code, str(exc.message))


def _unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
    log.exception("unhandled API error on %s %s", request.method, request.path)
    return error_response(500, "server_error", "Unexpected error; it has been logged.")


api = NinjaAPI(
    title="kesu 客诉 API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=BearerToken(),
)


def _domain_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.message, exc.fields)


def _not_found(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(404, "not_found", "Not found.")


api.add_exception_handler(DomainError, _domain_error)
api.add_exception_handler(ValidationError, _validation_error)
api.add_exception_handler(HttpError, _http_error)
api.add_exception_handler(Http404, _not_found)
api.add_exception_handler(Exception, _unexpected)


def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Unknown paths under /api/ answer JSON, never Django's HTML 404 page."""
    return error_response(404, "not_found", "No such endpoint.")


def register_routers() -> None:
    from kesu.complaints.api import router as complaints_router
    from kesu.customers.api import router as customers_router
    from kesu.insights.api import router as insights_router
    from kesu.language.api import router as language_router
    from kesu.notifications.api import router as notifications_router
    from kesu.organizations.api import router as auth_router
    from kesu.sla.api import router as sla_router

    api.add_router("/v1/auth", auth_router)
    api.add_router("/v1", customers_router)
    api.add_router("/v1/complaints", complaints_router)
    api.add_router("/v1/complaints", sla_router)
    api.add_router("/v1/notifications", notifications_router)
    api.add_router("/v1/language", language_router)
    api.add_router("/v1/insights", insights_router)


register_routers()
