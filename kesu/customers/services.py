"""Customer and vehicle rules: validation of phone, plate and VIN, lookup, phone reveal."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kesu.core.errors import Forbidden, InvalidInput, invalid
from kesu.core.validators import normalize_mobile, normalize_plate, normalize_vin, too_long
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import scope_for, user_dealer_id

from .choices import RevealChannel
from .models import Customer, PhoneReveal, Vehicle
from .selectors import get_customer


@dataclass
class VehicleInput:
    plate: str = ""
    vin: str = ""
    model_name: str = ""
    mileage_km: int | None = None
    purchase_date: date | None = None
    warranty_end: date | None = None


def _field(errors: dict[str, str], name: str, normalize, value: str) -> str:  # type: ignore[no-untyped-def]
    try:
        return normalize(value)
    except ValueError as exc:
        errors[name] = str(exc)
        return ""


def clean_vehicle(data: VehicleInput, *, prefix: str = "") -> VehicleInput:
    """Validate and normalise; raises InvalidInput naming every wrong field at once."""
    errors: dict[str, str] = {}
    plate = _field(errors, prefix + "plate", normalize_plate, data.plate) if data.plate else ""
    vin = _field(errors, prefix + "vin", normalize_vin, data.vin) if data.vin else ""
    if not data.plate and not data.vin and not errors:
        errors[prefix + "plate"] = _("Enter the plate or the VIN.")
    if data.mileage_km is not None and not 0 <= data.mileage_km <= 3_000_000:
        errors[prefix + "mileage_km"] = _("Mileage must be between 0 and 3,000,000 km.")
    if data.purchase_date and data.warranty_end and data.warranty_end < data.purchase_date:
        errors[prefix + "warranty_end"] = _("The warranty cannot end before the purchase date.")
    if data.purchase_date and data.purchase_date > date.today():
        errors[prefix + "purchase_date"] = _("The purchase date cannot be in the future.")
    if errors:
        raise InvalidInput(next(iter(errors.values())), fields=errors)
    return VehicleInput(
        plate,
        vin,
        data.model_name.strip()[:60],
        data.mileage_km,
        data.purchase_date,
        data.warranty_end,
    )


def resolve_dealer(*, actor: User, dealer_id: int | None) -> Organization:
    """The dealer a new customer or complaint belongs to: the actor's own, or one in scope."""
    own = user_dealer_id(actor)
    if own is not None:
        if dealer_id not in (None, own):
            raise invalid("dealer", _("You can only register for your own dealer."))
        dealer_id = own
    if dealer_id is None:
        raise invalid("dealer", _("Choose the dealer responsible for this customer."))
    scope = scope_for(actor)
    if not (scope.everything or dealer_id in scope.dealer_ids | scope.escalated_dealer_ids):
        raise invalid("dealer", _("This dealer is not in your scope."))
    dealer = Organization.objects.filter(pk=dealer_id, kind=OrgKind.DEALER).first()
    if dealer is None:
        raise invalid("dealer", _("No such dealer."))
    return dealer


MAX_NOTES = 5000  # a customer's notes: preferences and history, not a document store


@transaction.atomic
def create_customer(
    *,
    actor: User,
    name: str,
    mobile: str,
    dealer_id: int | None = None,
    is_vip: bool = False,
    notes: str = "",
    consent_sms: bool = True,
    consent_calls: bool = True,
    vehicle: VehicleInput | None = None,
) -> Customer:
    if not has_capability(actor, Capability.EDIT_CUSTOMER):
        raise Forbidden(_("Your role cannot register customers."))
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = _("Enter the customer's name.")
    elif len(name) > 60:
        errors["name"] = _("A name has at most 60 characters.")
    mobile = _field(errors, "mobile", normalize_mobile, mobile)
    if len(notes) > MAX_NOTES:
        errors["notes"] = too_long(MAX_NOTES)
    cleaned_vehicle = None
    if vehicle is not None:
        try:
            cleaned_vehicle = clean_vehicle(vehicle, prefix="vehicle.")
        except InvalidInput as exc:
            errors.update(exc.fields)
    if errors:
        raise InvalidInput(next(iter(errors.values())), fields=errors)
    dealer = resolve_dealer(actor=actor, dealer_id=dealer_id)
    customer = Customer.objects.create(
        dealer=dealer,
        name=name,
        mobile=mobile,
        is_vip=is_vip,
        notes=notes.strip(),
        consent_sms=consent_sms,
        consent_calls=consent_calls,
    )
    if cleaned_vehicle is not None:
        _create_vehicle_row(customer, cleaned_vehicle)
    return customer


def _create_vehicle_row(customer: Customer, data: VehicleInput) -> Vehicle:
    return Vehicle.objects.create(
        customer=customer,
        plate=data.plate,
        vin=data.vin,
        model_name=data.model_name,
        mileage_km=data.mileage_km,
        purchase_date=data.purchase_date,
        warranty_end=data.warranty_end,
    )


@transaction.atomic
def add_vehicle(*, actor: User, customer_id: int, data: VehicleInput) -> Vehicle:
    customer = get_customer(actor=actor, customer_id=customer_id)
    if not has_capability(actor, Capability.EDIT_CUSTOMER):
        raise Forbidden(_("Your role cannot edit customers."))
    return _create_vehicle_row(customer, clean_vehicle(data))


def find_customers(*, actor: User, term: str, limit: int = 20) -> list[Customer]:
    """Find customers by (part of a) phone, plate, VIN or name, while the agent types."""
    term = term.strip()
    if len(term) < 2:
        return []
    compact = term.replace(" ", "").upper()
    condition = Q(name__startswith=term)
    if compact.isdigit():
        condition |= Q(mobile__startswith=compact) if len(compact) >= 3 else Q()
        if len(compact) == 4:
            condition |= Q(mobile__endswith=compact)
        if len(compact) >= 6:  # the VIN's last digits (车架号后六位), as owners usually quote it
            condition |= Q(vehicles__vin__endswith=compact)
    else:
        condition |= Q(vehicles__plate__startswith=compact) | Q(vehicles__vin__endswith=compact)
        condition |= Q(vehicles__vin=compact)
    found = (
        Customer.objects.visible_to(actor)
        .filter(condition)
        .distinct()
        .prefetch_related("vehicles")
        .order_by("-created_at")[:limit]
    )
    return list(found)


def reveal_mobile(*, actor: User, customer_id: int, channel: str = RevealChannel.WEB) -> str:
    """The full number, for roles that call customers; every reveal is logged."""
    customer = get_customer(actor=actor, customer_id=customer_id)
    if not has_capability(actor, Capability.REVEAL_PHONE):
        raise Forbidden(_("Your role cannot see full phone numbers."))
    PhoneReveal.objects.create(customer=customer, user=actor, channel=channel)
    return customer.mobile
