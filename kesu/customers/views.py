"""Customer pages: the customer card, the intake's live lookup, revealing a phone number."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kesu.complaints.selectors import complaints_of_customer
from kesu.organizations.permissions import actor, page

from . import services


@page()
def customer_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: matches for the phone/plate/name the agent is typing."""
    term = request.GET.get("term") or request.GET.get("lookup", "")
    found = services.find_customers(actor=actor(request), term=term, limit=8)
    return render(request, "customers/_customer_matches.html", {"customers": found, "term": term})


@page()
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    user = actor(request)
    customer = services.get_customer(actor=user, customer_id=customer_id)
    return render(
        request,
        "customers/customer.html",
        {
            "customer": customer,
            "vehicles": customer.vehicles.all(),
            "complaints": complaints_of_customer(actor=user, customer_id=customer.pk),
            "reveals": customer.reveals.select_related("user")[:10],
        },
    )


@require_POST
@page()
def customer_reveal_phone(request: HttpRequest, customer_id: int) -> HttpResponse:
    mobile = services.reveal_mobile(actor=actor(request), customer_id=customer_id)
    return HttpResponse(f'<span class="phone-full" data-testid="phone-full">{mobile}</span>')
