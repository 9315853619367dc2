"""The agent's day (我的一天): the home page of the desk, and the home redirect for everyone."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kesu.organizations.choices import Role
from kesu.organizations.permissions import actor, page

from . import services
from .links import link_of


@page()
def home(request: HttpRequest) -> HttpResponse:
    """Agents start on their day; everyone else on the work queue."""
    if actor(request).role == Role.AGENT:
        return redirect("worklist:day")
    return redirect("complaints:queue")


@page()
def day(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    result = services.day_of(user=actor(request), kind=kind if kind in services.KINDS else "")
    rows = [(entry, link_of(entry)) for entry in result.entries]
    template = "worklist/_entries.html" if request.headers.get("HX-Request") else "worklist/day.html"
    return render(
        request,
        template,
        {"day": result, "rows": rows, "kind": kind, "kinds": services.kind_labels(result.counts)},
    )
