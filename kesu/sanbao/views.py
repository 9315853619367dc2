"""Pages: the 三包 card of the complaint page (htmx): the rights check with its reasoning, the
vehicle's repairs, and a form to record one. Thin: parse, call, render."""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kesu.core.errors import DomainError
from kesu.organizations.permissions import actor, page
from kesu.web.forms import apply_errors

from . import selectors, services
from .choices import System


class RepairForm(forms.Form):
    date_in = forms.DateField(label=_("Date in"), widget=forms.DateInput(attrs={"type": "date"}))
    date_out = forms.DateField(
        label=_("Date out"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    days_in_workshop = forms.IntegerField(label=_("Days in the workshop"), required=False, min_value=1)
    mileage_km = forms.IntegerField(label=_("Mileage at intake (km)"), required=False, min_value=0)
    system = forms.ChoiceField(label=_("System"), choices=System.choices)
    problem = forms.CharField(label=_("Problem"), max_length=100)
    parts = forms.CharField(label=_("Parts replaced (comma-separated)"), required=False)
    main_parts = forms.CharField(label=_("Of which main parts (comma-separated)"), required=False)
    quality_problem = forms.BooleanField(label=_("Quality problem"), required=False, initial=True)
    serious_safety_fault = forms.BooleanField(label=_("Serious safety fault"), required=False)
    system_failure = forms.BooleanField(label=_("Failure, crack, leak or fire"), required=False)
    assembly_replaced = forms.BooleanField(label=_("Whole assembly replaced"), required=False)
    fixed = forms.BooleanField(label=_("Fault eliminated"), required=False, initial=True)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("，", ",").replace("、", ",").split(",") if p.strip()]


def _context(request: HttpRequest, complaint_id: int, form: RepairForm | None = None) -> dict[str, Any]:
    user = actor(request)
    check = selectors.check_complaint(actor=user, complaint_id=complaint_id)
    return {
        "c": check.complaint,
        "check": check.assessment,
        "repairs": check.repairs,
        "can_record": services.can_record(user),
        "form": form or RepairForm(initial={"quality_problem": True, "fixed": True}),
    }


def _no_vehicle(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "sanbao/_panel.html", {"no_vehicle": exc.message})


@page()
def panel(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """htmx: the 三包 card of the complaint page."""
    try:
        context = _context(request, complaint_id)
    except DomainError as exc:
        if exc.code != "no_vehicle":
            raise
        return _no_vehicle(request, exc)
    return render(request, "sanbao/_panel.html", context)


@require_POST
@page()
def add_repair(request: HttpRequest, complaint_id: int) -> HttpResponse:
    user = actor(request)
    check = selectors.check_complaint(actor=user, complaint_id=complaint_id)  # scope first: 404
    form = RepairForm(request.POST)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        main = set(_split(data["main_parts"]))
        names = _split(data["parts"])
        names += [m for m in sorted(main) if m not in names]
        try:
            services.record_repair(
                actor=user,
                vehicle_id=check.vehicle.pk,
                data=services.RepairInput(
                    date_in=data["date_in"],
                    date_out=data["date_out"],
                    days_in_workshop=data["days_in_workshop"],
                    mileage_km=data["mileage_km"],
                    system=data["system"],
                    problem=data["problem"],
                    parts=[services.PartInput(name=n, main=n in main) for n in names],
                    quality_problem=data["quality_problem"],
                    serious_safety_fault=data["serious_safety_fault"],
                    system_failure=data["system_failure"],
                    assembly_replaced=data["assembly_replaced"],
                    fixed=data["fixed"],
                    description=data["description"],
                    complaint_id=check.complaint.pk,
                ),
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            apply_errors(form, exc)
            status = 422
        else:
            if request.headers.get("HX-Request") != "true":
                return redirect("complaints:complaint", complaint_id=complaint_id)
            return render(request, "sanbao/_panel.html", _context(request, complaint_id))
    else:
        status = 422
    if request.headers.get("HX-Request") == "true":
        status = 200  # htmx swaps 2xx only: the form comes back in place with its errors
    return render(request, "sanbao/_panel.html", _context(request, complaint_id, form), status=status)
