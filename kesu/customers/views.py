"""Customer pages: the customer card, the intake's live lookup, revealing a phone number."""

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu import flows
from kesu.complaints.selectors import complaints_of_customer
from kesu.core.errors import Forbidden, InvalidInput, NotFound, StaleVersion
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, actor, has_capability, page
from kesu.web.forms import apply_errors

from . import services
from .forms import CustomerEditForm, MergeForm, VehicleEditForm
from .models import Customer, Vehicle


@page()
def customer_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: matches for the phone/plate/name the agent is typing — POSTed, so the digits typed
    never sit in a logged URL (a GET is still answered for names and plates)."""
    sent = request.POST if request.method == "POST" else request.GET
    term = sent.get("term") or sent.get("lookup", "")
    found = services.find_customers(actor=actor(request), term=term, limit=8)
    return render(request, "customers/_customer_matches.html", {"customers": found, "term": term})


def _merge_candidates(user: User, customer: Customer, term: str) -> list[Customer]:
    """Likely duplicates: the dealer's customers with the same number or name, or found by
    ``term`` (phone, plate, name) — never the customer itself or another dealer's."""
    same = Customer.objects.visible_to(user).filter(dealer_id=customer.dealer_id)
    likely = same.filter(Q(mobile=customer.mobile) | Q(name=customer.name)).exclude(pk=customer.pk)
    found = [c for c in services.find_customers(actor=user, term=term) if c.dealer_id == customer.dealer_id]
    seen: dict[int, Customer] = {c.pk: c for c in [*likely.order_by("pk")[:20], *found]}
    seen.pop(customer.pk, None)
    return list(seen.values())


def _customer_context(request: HttpRequest, customer: Customer, **forms: Any) -> dict[str, Any]:
    user = actor(request)
    vehicles = list(customer.vehicles.all())
    can_merge = has_capability(user, Capability.MERGE_CUSTOMERS)
    dup = request.GET.get("dup") or request.POST.get("dup", "")
    candidates = _merge_candidates(user, customer, dup) if can_merge else []
    vehicle_forms = forms.pop("vehicle_forms", {})
    return {
        "customer": customer,
        "vehicles": [(v, vehicle_forms.get(v.pk) or VehicleEditForm.of(v)) for v in vehicles],
        "complaints": complaints_of_customer(actor=user, customer_id=customer.pk),
        "reveals": customer.reveals.select_related("user")[:10],
        "can_edit": has_capability(user, Capability.EDIT_CUSTOMER),
        "can_merge": can_merge,
        "can_erase": has_capability(user, Capability.ERASE_CUSTOMER),
        "edit_form": forms.pop("edit_form", None) or CustomerEditForm.of(customer),
        "merge_form": forms.pop("merge_form", None) or MergeForm(candidates=candidates),
        "candidates": candidates,
        "dup": dup[:100],
        "changes": customer.changes.select_related("actor")[:20],
        "merges": customer.merges.select_related("actor")[:10],
        **forms,
    }


@page()
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = services.get_customer(actor=actor(request), customer_id=customer_id)
    return render(request, "customers/customer.html", _customer_context(request, customer))


def _saved(request: HttpRequest, customer_id: int, message: str) -> HttpResponse:
    messages.success(request, message)
    url = reverse("customers:customer", args=[customer_id])
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _may(user: User, capability: Capability) -> None:
    """After the scope (404 first: what a user cannot see stays unseen), the role (403)."""
    if not has_capability(user, capability):
        raise Forbidden("")


@require_POST
@page()
def customer_edit(request: HttpRequest, customer_id: int) -> HttpResponse:
    """htmx: the edit form comes back with errors beside the fields (422), or the page reloads."""
    user = actor(request)
    customer = services.get_customer(actor=user, customer_id=customer_id)
    _may(user, Capability.EDIT_CUSTOMER)
    form, status = CustomerEditForm(request.POST), 422
    if form.is_valid():
        try:
            services.update_customer(
                actor=user,
                customer_id=customer.pk,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except (InvalidInput, StaleVersion, services.DuplicateCustomer) as exc:
            status = exc.status
            if not exc.fields:
                form.add_error(None, exc.message)
            else:
                apply_errors(form, exc)
        else:
            return _saved(request, customer.pk, _("Customer saved."))
    context = {"customer": customer, "edit_form": form}
    return render(request, "customers/_customer_form.html", context, status=status)


@require_POST
@page()
def vehicle_edit(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    user = actor(request)
    vehicle = Vehicle.objects.visible_to(user).filter(pk=vehicle_id).first()
    if vehicle is None:
        raise NotFound(_("No such vehicle."))
    _may(user, Capability.EDIT_CUSTOMER)
    form, status = VehicleEditForm(request.POST, prefix=f"v{vehicle.pk}"), 422
    if form.is_valid():
        try:
            services.update_vehicle(
                actor=user,
                vehicle_id=vehicle.pk,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except (InvalidInput, StaleVersion, services.DuplicateCustomer) as exc:
            status = exc.status
            if not exc.fields:
                form.add_error(None, exc.message)
            else:
                apply_errors(form, exc)
        else:
            return _saved(request, vehicle.customer_id, _("Vehicle saved."))
    context = {"vehicle": vehicle, "form": form}
    return render(request, "customers/_vehicle_form.html", context, status=status)


@require_POST
@page()
def customer_merge(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Fold the chosen duplicate into this customer, after the manager confirmed."""
    user = actor(request)
    customer = services.get_customer(actor=user, customer_id=customer_id)
    _may(user, Capability.MERGE_CUSTOMERS)
    candidates = _merge_candidates(user, customer, request.POST.get("dup", ""))
    form = MergeForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            log = flows.merge_customers(
                actor=user, customer_id=customer.pk, other_id=form.cleaned_data["other_id"]
            )
        except (InvalidInput, flows.AlreadyMerged) as exc:
            apply_errors(form, exc)
        else:
            moved = _(
                "Merged #%(other)s into this customer: %(complaints)d complaints, %(vehicles)d vehicles moved."  # noqa: E501
            )
            return _saved(
                request,
                customer.pk,
                moved
                % {
                    "other": log.merged_id,
                    "complaints": len(log.moved.get("complaints", [])),
                    "vehicles": len(log.moved.get("vehicles", [])),
                },
            )
    context = _customer_context(request, customer, merge_form=form)
    return render(request, "customers/customer.html", context, status=422)


@require_POST
@page()
def customer_reveal_phone(request: HttpRequest, customer_id: int) -> HttpResponse:
    mobile = services.reveal_mobile(actor=actor(request), customer_id=customer_id)
    return HttpResponse(f'<span class="phone-full" data-testid="phone-full">{mobile}</span>')


@require_POST
@page()
def customer_erase(request: HttpRequest, customer_id: int) -> HttpResponse:
    """PIPL erasure from the customer page (general managers, administrators): 404 out of scope,
    403 without the capability; a missing reason comes back as a message."""
    try:
        flows.erasure.erase_customer(
            actor=actor(request), customer_id=customer_id, reason=request.POST.get("reason", "")
        )
    except (InvalidInput, flows.erasure.AlreadyErased) as exc:
        messages.error(request, exc.fields.get("reason") or exc.message)
    else:
        messages.success(request, _("The customer's personal data has been erased; the complaints stay."))
    return redirect("customers:customer", customer_id=customer_id)
