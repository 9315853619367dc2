from typing import Any

from django.http import HttpRequest

from .services import unread_count


def bell(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the bell in the header (one indexed count per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}  # type: ignore[arg-type]
