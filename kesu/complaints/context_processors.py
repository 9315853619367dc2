"""The navigation's counts of 我的, 今天到期 and 已超时 (registered in settings.TEMPLATES)."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import queries


def queue_counts(request: HttpRequest) -> dict[str, Any]:
    """Counted only when a template shows them (full pages; htmx fragments do not), at most
    every ``queries.COUNT_TTL_SECONDS`` per user and process (see :func:`queries.view_counts`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "queue_counts": SimpleLazyObject(lambda: queries.view_counts(user)),  # type: ignore[arg-type]
        "queue_count_cap": queries.COUNT_CAP,
    }
