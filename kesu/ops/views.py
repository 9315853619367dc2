"""``/healthz``: JSON for load balancers and monitors (see health.py)."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import report


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    status, body = report()
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
