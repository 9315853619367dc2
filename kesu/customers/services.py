"""Customer and vehicle rules: validation of phone, plate and VIN, one customer per number at a
dealer, lookup, edits (version-checked, logged), phone reveal."""

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Right
from django.utils.translation import gettext as _

from kesu.core.errors import DomainError, Forbidden, InvalidInput, NotFound, StaleVersion, invalid, raise_if
from kesu.core.normalize import normalize, traditional_to_simplified
from kesu.core.validators import (
    mask_mobile,
    normalize_mobile,
    normalize_plate,
    normalize_vin,
    normalized_or_empty,
    too_long,
)
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import scope_for, user_dealer_id

from .choices import RevealChannel
from .models import Customer, CustomerChange, PhoneReveal, Vehicle
from .selectors import get_customer


class DuplicateCustomer(DomainError):
    """The number already belongs to another customer of the dealer: one customer per person."""

    status = 409
    code = "duplicate_customer"

    def __init__(self, existing: Customer, *, field: str = "mobile"):
        message = _("This number already belongs to %(name)s (customer #%(id)s) of this dealer.") % {
            "name": existing.name,
            "id": existing.pk,
        }
        super().__init__(message, fields={field: message}, details={"existing_customer_id": existing.pk})
        self.existing = existing


def stale_customer() -> StaleVersion:
    return StaleVersion(_("Someone else changed this record since you opened it; reload and try again."))


def customer_with_mobile(*, dealer_id: int, mobile: str, exclude_id: int | None = None) -> Customer | None:
    """The dealer's customer with this (normalised) number, the oldest when legacy data has two."""
    found = Customer.objects.filter(dealer_id=dealer_id, mobile=mobile)
    if exclude_id is not None:
        found = found.exclude(pk=exclude_id)
    return found.order_by("pk").first()


def same_person_name(a: str, b: str) -> bool:
    """张先生 and 张 先生, 張先生 and 张先生: the same name as an agent would hear it."""

    def key(name: str) -> str:
        return normalize("".join(name.split())).casefold()

    return key(a) == key(b)


def _lock_dealer(dealer_id: int) -> None:
    """Serialise the creation of customers at one dealer, so that two agents registering the
    same new caller at once never make two records (the second finds the first)."""
    Organization.objects.select_for_update().filter(pk=dealer_id).first()


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
    raise_if(errors)
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


def _clean_customer_fields(
    errors: dict[str, str], *, name: str, mobile: str, notes: str, prefix: str = ""
) -> tuple[str, str]:
    name = name.strip()
    if not name:
        errors[prefix + "name"] = _("Enter the customer's name.")
    elif len(name) > 60:
        errors[prefix + "name"] = _("A name has at most 60 characters.")
    mobile = _field(errors, prefix + "mobile", normalize_mobile, mobile)
    if len(notes) > MAX_NOTES:
        errors[prefix + "notes"] = too_long(MAX_NOTES)
    return name, mobile


@transaction.atomic
def create_customer(
    *,
    actor: User,
    name: str,
    mobile: str,
    dealer_id: int | None = None,
    is_vip: bool = False,
    notes: str = "",
    consent_sms: bool = False,
    consent_calls: bool = False,
    vehicle: VehicleInput | None = None,
    allow_shared_mobile: bool = False,
) -> Customer:
    """A new customer (and their first vehicle). A number that already belongs to a customer of
    the dealer is refused (409 ``duplicate_customer`` with that customer's id): one customer per
    person. ``allow_shared_mobile`` is for data that has duplicates already (legacy records and
    fixtures), which a manager then merges. Consent is False unless given."""
    if not has_capability(actor, Capability.EDIT_CUSTOMER):
        raise Forbidden(_("Your role cannot register customers."))
    errors: dict[str, str] = {}
    name, mobile = _clean_customer_fields(errors, name=name, mobile=mobile, notes=notes)
    cleaned_vehicle = None
    if vehicle is not None:
        try:
            cleaned_vehicle = clean_vehicle(vehicle, prefix="vehicle.")
        except InvalidInput as exc:
            errors.update(exc.fields)
    raise_if(errors)
    dealer = resolve_dealer(actor=actor, dealer_id=dealer_id)
    if not allow_shared_mobile:
        _lock_dealer(dealer.pk)
        existing = customer_with_mobile(dealer_id=dealer.pk, mobile=mobile)
        if existing is not None:
            raise DuplicateCustomer(existing)
    customer, _vehicle = _insert_customer(
        dealer,
        name=name,
        mobile=mobile,
        is_vip=is_vip,
        notes=notes,
        consent_sms=consent_sms,
        consent_calls=consent_calls,
        vehicle=cleaned_vehicle,
    )
    return customer


def _insert_customer(
    dealer: Organization,
    *,
    name: str,
    mobile: str,
    is_vip: bool,
    notes: str,
    consent_sms: bool,
    consent_calls: bool,
    vehicle: VehicleInput | None,
) -> tuple[Customer, Vehicle | None]:
    """Write a customer (and first vehicle) whose fields are cleaned and whose number was checked."""
    customer = Customer.objects.create(
        dealer=dealer,
        name=name,
        mobile=mobile,
        is_vip=is_vip,
        notes=notes.strip(),
        consent_sms=consent_sms,
        consent_calls=consent_calls,
    )
    return customer, (_create_vehicle_row(customer, vehicle) if vehicle is not None else None)


@dataclass
class IntakeCustomer:
    """Who a complaint is for, as intake resolved it."""

    customer: Customer
    vehicle: Vehicle | None
    existing: bool  # True: a customer of the dealer already had this number


@transaction.atomic
def intake_customer(
    *,
    actor: User,
    name: str,
    mobile: str,
    dealer_id: int | None = None,
    is_vip: bool = False,
    notes: str = "",
    consent_sms: bool | None = False,
    consent_calls: bool | None = False,
    vehicle: VehicleInput | None = None,
    field_prefix: str = "",
) -> IntakeCustomer:
    """The customer a new complaint is for, from what intake typed: the dealer's customer with
    this number when there is one and the name is the same (their vehicle found by plate or VIN,
    or added), else a new customer. The number of a customer with another name is never made a
    second customer: DuplicateCustomer (409) names ``<field_prefix>mobile`` and the existing
    customer, for the agent to pick them (or correct the number). A consent given as None (not
    answered) is refused for a new customer: it is asked, never assumed."""
    if not has_capability(actor, Capability.EDIT_CUSTOMER):
        raise Forbidden(_("Your role cannot register customers."))
    errors: dict[str, str] = {}
    clean_name, clean_mobile = _clean_customer_fields(
        errors, name=name, mobile=mobile, notes=notes, prefix=field_prefix
    )
    unanswered = {
        field_prefix + field: _("Ask the customer and record the answer.")
        for field, answer in (("consent_sms", consent_sms), ("consent_calls", consent_calls))
        if answer is None
    }
    if errors:
        try:  # the vehicle's mistakes are reported in the same answer
            if vehicle is not None:
                clean_vehicle(vehicle, prefix=field_prefix + "vehicle.")
        except InvalidInput as exc:
            errors.update(exc.fields)
        errors.update(unanswered)
        raise InvalidInput(next(iter(errors.values())), fields=errors)
    dealer = resolve_dealer(actor=actor, dealer_id=dealer_id)
    _lock_dealer(dealer.pk)
    existing = customer_with_mobile(dealer_id=dealer.pk, mobile=clean_mobile)
    if existing is None:
        if unanswered:  # a new customer: the consent is asked, never assumed
            raise InvalidInput(next(iter(unanswered.values())), fields=unanswered)
        # checked, cleaned, locked and looked up above: only the write is left
        customer, first_vehicle = _insert_customer(
            dealer,
            name=clean_name,
            mobile=clean_mobile,
            is_vip=is_vip,
            notes=notes,
            consent_sms=bool(consent_sms),
            consent_calls=bool(consent_calls),
            vehicle=clean_vehicle(vehicle, prefix="vehicle.") if vehicle is not None else None,
        )
        return IntakeCustomer(customer, first_vehicle, existing=False)
    if not same_person_name(existing.name, clean_name):
        raise DuplicateCustomer(existing, field=field_prefix + "mobile")
    found = vehicle_for(actor=actor, customer=existing, data=vehicle, prefix=field_prefix + "vehicle.")
    return IntakeCustomer(existing, found, existing=True)


def vehicle_for(
    *, actor: User, customer: Customer, data: VehicleInput | None, prefix: str = ""
) -> Vehicle | None:
    """The customer's vehicle with this VIN or plate, added when new; None when none was typed."""
    if data is None or not (data.plate or data.vin):
        return None
    cleaned = clean_vehicle(data, prefix=prefix)
    mine = Vehicle.objects.filter(customer=customer)
    if cleaned.vin and (same := mine.filter(vin=cleaned.vin).first()):
        return same
    if cleaned.plate and (same := mine.filter(plate=cleaned.plate).first()):
        return same
    if not has_capability(actor, Capability.EDIT_CUSTOMER):
        raise Forbidden(_("Your role cannot edit customers."))
    return _create_vehicle_row(customer, cleaned)


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
    """Find customers while the agent types: by a phone — the whole number, its last four
    digits, or (for roles that may reveal numbers) its beginning —, a plate (3+ characters of
    its beginning, or the whole plate), a VIN (its
    last six or more characters) or a name (its beginning). Within the actor's scope.

    A role that sees names, plates and VINs masked (no ``SEE_IDENTITIES``) matches them only
    whole: a fragment one character longer per request would recover what the mask hides."""
    typed = term.strip()
    if len(typed) < 2:
        return []
    compact = "".join(unicodedata.normalize("NFKC", typed).split()).upper().replace("-", "")  # IME widths
    if compact.startswith("+86") and compact[3:].isdigit():
        compact = compact[3:]
    simplified = "".join(traditional_to_simplified().get(char, char) for char in typed)  # 張 → 张
    whole_only = not has_capability(actor, Capability.SEE_IDENTITIES)
    if whole_only:
        condition = Q(name=typed) | Q(name=simplified) | _whole_identifier(typed)
    else:
        condition = Q(name__startswith=typed) | Q(name__startswith=simplified)
    found = Customer.objects.visible_to(actor)
    if compact.isascii() and compact.isdigit():
        if len(compact) == 11:
            condition |= Q(mobile=compact)
        elif len(compact) >= 3 and has_capability(actor, Capability.REVEAL_PHONE):
            # the beginning of a number only for those who may see it whole: otherwise one
            # digit more per request recovers a masked number (issue 16)
            condition |= Q(mobile__startswith=compact)
        if len(compact) == 4:  # 尾号: the last four digits (indexed on PostgreSQL)
            found = found.annotate(mobile_tail=Right("mobile", 4))
            condition |= Q(mobile_tail=compact)
        if len(compact) >= 6 and not whole_only:  # the VIN's last digits (车架号后六位)
            condition |= Q(vehicles__vin__endswith=compact)
    elif len(compact) >= 3 and compact.isalnum() and not whole_only:
        condition |= Q(vehicles__plate__startswith=compact) | Q(vehicles__vin__endswith=compact)
        if len(compact) >= 5:  # a plate without its province character: 粤B12345 from B12345
            condition |= Q(vehicles__plate__endswith=compact)
    return list(
        found.filter(condition).distinct().prefetch_related("vehicles").order_by("-created_at")[:limit]
    )


def _whole_identifier(typed: str) -> Q:
    """A whole plate or VIN as typed (any spacing or case), else nothing."""
    if plate := normalized_or_empty(normalize_plate, typed):
        return Q(vehicles__plate=plate)
    if vin := normalized_or_empty(normalize_vin, typed):
        return Q(vehicles__vin=vin)
    return Q(pk__in=[])


CUSTOMER_FIELDS = ("name", "mobile", "is_vip", "notes", "consent_sms", "consent_calls", "consent_marketing")
VEHICLE_FIELDS = ("plate", "vin", "model_name", "mileage_km", "purchase_date", "warranty_end")


def _logged(field: str, value: Any) -> Any:
    if field == "mobile":
        return mask_mobile(str(value))
    if isinstance(value, date):
        return value.isoformat()
    return value


@transaction.atomic
def update_customer(
    *, actor: User, customer_id: int, expected_version: int, changes: dict[str, Any]
) -> Customer:
    """Edit a customer with intake's rules (name, number, notes); a number that belongs to
    another customer of the dealer → 409 ``duplicate_customer``; a stale ``expected_version`` →
    409 ``stale_version`` (never merged over). Logged: who, each field old → new."""
    customer = get_customer(actor=actor, customer_id=customer_id)
    if not has_capability(actor, Capability.EDIT_CUSTOMER):
        raise Forbidden(_("Your role cannot edit customers."))
    unknown = sorted(set(changes) - set(CUSTOMER_FIELDS))
    if unknown:
        raise invalid(unknown[0], _("This field cannot be changed here."))
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.version != expected_version:
        raise stale_customer()
    errors: dict[str, str] = {}
    name, mobile = _clean_customer_fields(
        errors,
        name=str(changes.get("name", customer.name)),
        mobile=str(changes.get("mobile", customer.mobile)),
        notes=str(changes.get("notes", customer.notes)),
    )
    raise_if(errors)
    notes = str(changes.get("notes", customer.notes)).strip()
    new = {**changes, "name": name, "mobile": mobile, "notes": notes}
    if mobile != customer.mobile:
        _lock_dealer(customer.dealer_id)
        other = customer_with_mobile(dealer_id=customer.dealer_id, mobile=mobile, exclude_id=customer.pk)
        if other is not None:
            raise DuplicateCustomer(other)
    diff = {}
    for field in CUSTOMER_FIELDS:
        if field in new and new[field] != getattr(customer, field):
            diff[field] = [_logged(field, getattr(customer, field)), _logged(field, new[field])]
            setattr(customer, field, new[field])
    if diff:
        customer.version += 1
        customer.save()
        CustomerChange.objects.create(customer=customer, actor=actor, changes=diff)
    return customer


@transaction.atomic
def update_vehicle(
    *, actor: User, vehicle_id: int, expected_version: int, changes: dict[str, Any]
) -> Vehicle:
    """Edit a vehicle with intake's rules (plate, VIN, dates, mileage); version-checked and
    logged on its owner's change log."""
    vehicle = Vehicle.objects.visible_to(actor).filter(pk=vehicle_id).first()
    if vehicle is None:
        raise NotFound(_("No such vehicle."))
    if not has_capability(actor, Capability.EDIT_CUSTOMER):
        raise Forbidden(_("Your role cannot edit customers."))
    unknown = sorted(set(changes) - set(VEHICLE_FIELDS))
    if unknown:
        raise invalid(unknown[0], _("This field cannot be changed here."))
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    if vehicle.version != expected_version:
        raise stale_customer()
    merged = VehicleInput(**{field: changes.get(field, getattr(vehicle, field)) for field in VEHICLE_FIELDS})
    cleaned = clean_vehicle(merged)
    diff = {}
    for field in VEHICLE_FIELDS:
        value = getattr(cleaned, field)
        if value != getattr(vehicle, field):
            diff[field] = [_logged(field, getattr(vehicle, field)), _logged(field, value)]
            setattr(vehicle, field, value)
    if diff:
        vehicle.version += 1
        vehicle.save()
        CustomerChange.objects.create(
            customer_id=vehicle.customer_id, vehicle_id=vehicle.pk, actor=actor, changes=diff
        )
    return vehicle


def reveal_mobile(*, actor: User, customer_id: int, channel: str = RevealChannel.WEB) -> str:
    """The full number, for roles that call customers; every reveal is logged."""
    customer = get_customer(actor=actor, customer_id=customer_id)
    if not has_capability(actor, Capability.REVEAL_PHONE):
        raise Forbidden(_("Your role cannot see full phone numbers."))
    PhoneReveal.objects.create(customer=customer, user=actor, channel=channel)
    return customer.mobile
