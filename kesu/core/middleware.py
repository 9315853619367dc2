"""Under /api/ every error is JSON: whatever answered (Django's CSRF check, a 405 from the
router, the 404 of /api/ itself), a client never has to parse an HTML page."""

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse

from .api import CODE_BY_STATUS, error_response


class JsonApiErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        replaced = error_response(status, CODE_BY_STATUS.get(status, "error"), phrase)
        if response.has_header("Allow"):
            replaced["Allow"] = response["Allow"]
        return replaced
