"""The page-side guard every page uses: login, an access check, domain errors → pages.

The check itself is the caller's (``kesu.organizations.permissions.page`` passes the role's
capability): this ground-floor module knows no domain app.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kesu.core.errors import DomainError, Forbidden, NotFound

View = Callable[..., HttpResponse]
Check = Callable[[HttpRequest], bool]


def page(allowed: Check | None = None) -> Callable[[View], View]:
    """Declare what a page needs. NotFound → 404 (revealing nothing), Forbidden → 403 page."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if allowed is not None and not allowed(request):
                    raise Forbidden("")
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except Forbidden:
                return render(request, "web/forbidden.html", status=403)
            except DomainError as exc:
                return render(request, "web/error.html", {"error": exc}, status=exc.status)

        return wrapper

    return decorate
