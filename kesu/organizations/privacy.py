"""Who sees customers' names, plates and VINs: the request's viewer, judged by the
``SEE_IDENTITIES`` capability and handed to ``kesu.core.privacy``, which masks the personal
fields for everyone else (docs/security.md, "Names, plates and VINs")."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kesu.core.privacy import viewing

from .permissions import Capability, has_capability


def masked_viewer(request: HttpRequest) -> bool | None:
    """True for a signed-in user whose role does not see identities; None while nobody is signed
    in yet (an API request before its bearer token is read; the public pages for customers)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return not has_capability(user, Capability.SEE_IDENTITIES)  # type: ignore[arg-type]


class MaskingMiddleware:
    """Every page and API answer is rendered with the viewer's masking (the API's bearer token is
    read later than this runs: the decision waits for the first personal value read)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with viewing(lambda: masked_viewer(request)):
            return self.get_response(request)
