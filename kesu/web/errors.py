"""The 403, 404 and 500 pages: in the UI's language, with the navigation and a way back.

Set as ``handler403`` / ``handler404`` / ``handler500`` in ``kesu/urls.py`` (Django uses them
when DEBUG is off). The 500 page is rendered without a request context, so it reads nothing
from the database — the database may be the reason it is shown.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/forbidden.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(loader.get_template("web/500.html").render({}))
