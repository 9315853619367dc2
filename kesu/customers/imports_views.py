"""The import page: upload the DMS export → preview (first rows, every error) → confirm.

The uploaded file waits under MEDIA_ROOT/imports/ between the preview and the confirmation,
named by a random token kept in the uploader's session (nobody else can confirm it)."""

import secrets
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.core.errors import InvalidInput
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization
from kesu.organizations.permissions import Capability, actor, page
from kesu.organizations.scope import scope_for, user_dealer_id

from . import importing

SESSION_KEY = "kesu_customer_imports"


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _dealers(request: HttpRequest) -> list[Organization]:
    user = actor(request)
    if user_dealer_id(user) is not None:
        return []
    scope = scope_for(user)
    dealers = Organization.objects.filter(kind=OrgKind.DEALER).order_by("name")
    return list(dealers if scope.everything else dealers.filter(pk__in=scope.dealer_ids))


def _status(request: HttpRequest, status: int) -> int:
    """htmx swaps only 2xx answers: the preview with its errors comes back 200 to htmx, 422 to a
    plain form post."""
    return 200 if request.headers.get("HX-Request") else status


def _dealer_id(request: HttpRequest) -> int | None:
    raw = request.POST.get("dealer", "")
    return int(raw) if raw.isdigit() else None


@page(Capability.IMPORT_CUSTOMERS)
def import_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"dealers": _dealers(request), "max_rows": f"{importing.MAX_ROWS:,}"}
    if request.method != "POST":
        return render(request, "customers/import.html", context)
    upload = request.FILES.get("file")
    dealer_id = _dealer_id(request)
    if upload is None or upload.file is None:
        context["error"] = _("Choose the DMS export file (XLSX or CSV).")
        return render(request, "customers/_import_result.html", context, status=_status(request, 422))
    try:
        report = importing.check_file(
            actor=actor(request),
            dealer_id=dealer_id,
            handle=upload.file,
            name=upload.name or "",
            size=upload.size or 0,
        )
    except InvalidInput as exc:
        context["error"] = exc.message
        return render(request, "customers/_import_result.html", context, status=_status(request, 422))
    context["report"] = report
    if report.clean:
        token = secrets.token_urlsafe(16)
        upload.file.seek(0)
        (_folder() / token).write_bytes(upload.file.read())
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"name": upload.name or "", "dealer": dealer_id}
        request.session[SESSION_KEY] = pending
        context["token"] = token
    return render(
        request,
        "customers/_import_result.html",
        context,
        status=200 if report.clean else _status(request, 422),
    )


@require_POST
@page(Capability.IMPORT_CUSTOMERS)
def import_confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token)
    path = _folder() / token
    if entry is None or not token.replace("-", "").replace("_", "").isalnum() or not path.is_file():
        context = {"error": _("This preview has expired; upload the file again.")}
        return render(request, "customers/_import_result.html", context, status=_status(request, 422))
    try:
        with path.open("rb") as handle:
            report = importing.import_file(
                actor=actor(request),
                dealer_id=entry["dealer"],
                handle=handle,
                name=entry["name"],
                size=path.stat().st_size,
            )
    finally:
        path.unlink(missing_ok=True)
        pending.pop(token, None)
        request.session[SESSION_KEY] = pending
    status = _status(request, 201 if report.imported else 422)
    return render(request, "customers/_import_result.html", {"report": report}, status=status)
