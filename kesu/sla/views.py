"""SLA pages: policy and calendar administration (with a due-time preview) and the complaint
page's pause / resume / revisit buttons."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.core.errors import DomainError, Forbidden, InvalidInput
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization
from kesu.organizations.permissions import actor, page
from kesu.web.forms import apply_errors

from . import policies, services
from .calendar import KNOWN_YEARS
from .choices import ClockKind
from .forms import HoursForm, OverrideForm, PolicyForm
from .models import BusinessHours, CalendarOverride, SlaPolicy


def _admin_only(request: HttpRequest) -> None:
    if not actor(request).is_kesu_admin:
        raise Forbidden("")


def _org_choices() -> list[tuple[Any, str]]:
    orgs = Organization.objects.exclude(kind=OrgKind.DEPARTMENT).order_by("code")
    return [("", _("Everyone (installation default)"))] + [(o.pk, f"{o.code} {o.name}") for o in orgs]


@page()
def policy_list(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    form = PolicyForm(request.POST or None)
    form.fields["organization_id"].choices = _org_choices()  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        family, org_id = data.pop("family"), data.pop("organization_id")
        try:
            policies.save_policy_version(
                actor=actor(request), family=family, organization_id=org_id, values=data
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Policy saved as a new version."))
            return redirect("sla:policies")
    elif request.method == "GET" and request.GET.get("edit"):
        current = SlaPolicy.objects.filter(family=request.GET["edit"], is_current=True).first()
        if current:
            form = PolicyForm(
                initial={
                    **{f: getattr(current, f) for f in policies.POLICY_FIELDS},
                    "family": current.family,
                    "organization_id": current.organization_id,
                }
            )
            form.fields["organization_id"].choices = _org_choices()  # type: ignore[attr-defined]
    return render(
        request,
        "sla/policies.html",
        {
            "form": form,
            "policies": SlaPolicy.objects.select_related("organization").order_by("family", "-version"),
        },
        status=422 if form.errors else 200,
    )


def _hours_text(org_id: int) -> dict[str, str]:
    days: dict[str, list[str]] = {name: [] for name in policies.WEEKDAYS}
    for row in BusinessHours.objects.filter(organization_id=org_id).order_by("weekday", "opens"):
        days[policies.WEEKDAYS[row.weekday]].append(f"{row.opens:%H:%M}-{row.closes:%H:%M}")
    return {name: ", ".join(parts) for name, parts in days.items()}


@page()
def calendar_page(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    orgs = Organization.objects.exclude(kind=OrgKind.DEPARTMENT).order_by("code")
    try:
        org_id = int(request.GET.get("org") or request.POST.get("organization_id") or orgs[0].pk)
    except (ValueError, IndexError):
        org_id = orgs[0].pk if orgs else 0
    hours_form = HoursForm(initial={"organization_id": org_id, **_hours_text(org_id)})
    override_form = OverrideForm(initial={"organization_id": org_id})
    override_form.fields["organization_id"].choices = _org_choices()  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST" and request.POST.get("form") == "hours":
        hours_form = HoursForm(request.POST)
        if hours_form.is_valid():
            try:
                policies.set_business_hours(
                    actor=actor(request), organization_id=org_id, days=hours_form.cleaned_data
                )
                messages.success(request, _("Business hours saved."))
                return redirect(f"{request.path}?org={org_id}")
            except InvalidInput as exc:
                apply_errors(hours_form, exc)
        status = 422
    elif request.method == "POST" and request.POST.get("form") == "override":
        override_form = OverrideForm(request.POST)
        override_form.fields["organization_id"].choices = _org_choices()  # type: ignore[attr-defined]
        if override_form.is_valid():
            data = override_form.cleaned_data
            try:
                policies.add_override(
                    actor=actor(request),
                    organization_id=data["organization_id"],
                    day=data["date"],
                    is_open=data["is_open"],
                    opens=data["opens"],
                    closes=data["closes"],
                    note=data["note"],
                )
                messages.success(request, _("Date saved."))
                return redirect(f"{request.path}?org={org_id}")
            except InvalidInput as exc:
                apply_errors(override_form, exc)
        status = 422
    elif request.method == "POST" and request.POST.get("form") == "remove-override":
        try:
            override_id = int(request.POST.get("override_id", ""))
        except ValueError:
            override_id = 0
        policies.remove_override(actor=actor(request), override_id=override_id)
        messages.success(request, _("Date removed."))
        return redirect(f"{request.path}?org={org_id}")
    calendar = policies.calendar_for(org_id)
    now = timezone.now()
    policy = policies.select_policy(dealer_id=org_id, severity="normal", category="", is_vip=False)
    preview = [
        (ClockKind(kind).label, policies.due_after(calendar, now, *services._target(policy, kind)))
        for kind in (ClockKind.FIRST_REPLY, ClockKind.RESOLUTION, ClockKind.REVISIT, ClockKind.DECISION)
    ]
    this_year = timezone.localdate().year
    unknown = [year for year in (this_year, this_year + 1) if year not in KNOWN_YEARS]
    # the dates that shape this organisation's calendar: its own, its ancestors' and everyone's
    overrides = CalendarOverride.objects.filter(
        Q(organization_id__in=policies.org_chain(org_id)) | Q(organization__isnull=True),
        date__gte=timezone.localdate() - timedelta(days=30),
    ).order_by("date")
    return render(
        request,
        "sla/calendar.html",
        {
            "orgs": orgs,
            "org_id": org_id,
            "hours_form": hours_form,
            "override_form": override_form,
            "preview": preview,
            "policy": policy,
            "unknown_years": unknown,
            "overrides": overrides.select_related("organization"),
        },
        status=status,
    )


def _complaint_action(request: HttpRequest, complaint_id: int, call: Any, done: str) -> HttpResponse:
    try:
        call()
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("complaints:complaint", complaint_id=complaint_id)


@require_POST
@page()
def pause(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _complaint_action(
        request,
        complaint_id,
        lambda: services.pause(
            actor=actor(request), complaint_id=complaint_id, reason=request.POST.get("reason", "")
        ),
        _("Clocks paused."),
    )


@require_POST
@page()
def resume(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _complaint_action(
        request,
        complaint_id,
        lambda: services.resume(
            actor=actor(request), complaint_id=complaint_id, note=request.POST.get("note", "")
        ),
        _("Clocks running again."),
    )


@require_POST
@page()
def revisit(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _complaint_action(
        request,
        complaint_id,
        lambda: services.record_revisit(
            actor=actor(request),
            complaint_id=complaint_id,
            note=request.POST.get("note", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("Revisit recorded."),
    )
