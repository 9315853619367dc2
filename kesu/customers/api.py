"""Customers and vehicles: create, get, search by phone / plate / VIN; reveal a full number;
edit (version-checked, logged) and merge two records of one person."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply

from kesu import flows
from kesu.core.errors import NotFound, invalid
from kesu.core.schemas import schema_of, to_dataclass
from kesu.core.validators import normalize_mobile, normalize_plate, normalize_vin
from kesu.organizations.permissions import actor

from . import services
from .choices import RevealChannel
from .models import Customer, Vehicle

router = Router(tags=["customers"])


if TYPE_CHECKING:  # mypy reads the dataclass itself (see kesu.core.schemas)
    VehicleIn: TypeAlias = services.VehicleInput
else:  # the request body: the fields of the services' own input
    VehicleIn = schema_of(services.VehicleInput, name="VehicleIn")


class VehicleOut(Schema):
    id: int
    customer_id: int
    plate: str
    vin: str
    model_name: str
    mileage_km: int | None
    purchase_date: date | None
    warranty_end: date | None
    version: int


class CustomerIn(Schema):
    name: str
    mobile: str
    dealer_id: int | None = None
    is_vip: bool = False
    notes: str = ""
    consent_sms: bool = False  # asked, never assumed: absent means not given
    consent_calls: bool = False
    vehicle: VehicleIn | None = None


class CallerIn(Schema):
    """The caller as intake typed them (``POST /complaints`` with ``customer``): the dealer's
    customer with this number is used when the name is the same, else a new customer."""

    name: str
    mobile: str
    is_vip: bool = False
    consent_sms: bool = False
    consent_calls: bool = False
    vehicle: VehicleIn | None = None


def caller_input(caller: CallerIn, *, dealer_id: int | None = None) -> dict[str, Any]:
    """``customers.services.intake_customer``'s arguments; errors named ``customer.<field>``."""
    values = caller.model_dump(exclude={"vehicle"})
    vehicle = to_dataclass(services.VehicleInput, caller.vehicle) if caller.vehicle else None
    return {**values, "vehicle": vehicle, "dealer_id": dealer_id, "field_prefix": "customer."}


class CustomerPatch(Schema):
    version: int
    name: str | None = None
    mobile: str | None = None
    is_vip: bool | None = None
    notes: str | None = None
    consent_sms: bool | None = None
    consent_calls: bool | None = None
    consent_marketing: bool | None = None


class VehiclePatch(Schema):
    version: int
    plate: str | None = None
    vin: str | None = None
    model_name: str | None = None
    mileage_km: int | None = None
    purchase_date: date | None = None
    warranty_end: date | None = None


class MergeIn(Schema):
    other_id: int


class MergeOut(Schema):
    id: int
    kept_id: int
    merged_id: int
    merged_name: str
    merged_mobile_masked: str
    actor_id: int
    at: datetime
    moved: dict[str, Any]


class CustomerOut(Schema):
    id: int
    dealer_id: int
    name: str
    mobile_masked: str  # Customer.mobile_masked: 138****1234
    is_vip: bool
    notes: str
    consent_sms: bool
    consent_calls: bool
    consent_marketing: bool
    version: int
    vehicles: list[VehicleOut]


class CustomerSearch(Schema):
    phone: str = ""
    plate: str = ""
    vin: str = ""
    q: str = ""


class MobileOut(Schema):
    mobile: str


@router.post("/customers", response={201: CustomerOut})
def create_customer(request: HttpRequest, payload: CustomerIn) -> Reply:
    data = payload.model_dump(exclude={"vehicle"})
    vehicle = to_dataclass(services.VehicleInput, payload.vehicle) if payload.vehicle else None
    customer = services.create_customer(actor=actor(request), vehicle=vehicle, **data)
    return Reply(201, customer)


def _normalized(field: str, normalize: Any, value: str) -> str:
    try:
        return str(normalize(value))
    except ValueError as exc:
        raise invalid(field, str(exc)) from exc


@router.get("/customers", response=list[CustomerOut])
def search_customers(request: HttpRequest, filters: Query[CustomerSearch]) -> list[Customer]:
    queryset = Customer.objects.visible_to(actor(request)).prefetch_related("vehicles")
    if filters.phone:
        queryset = queryset.filter(mobile=_normalized("phone", normalize_mobile, filters.phone))
    if filters.plate:
        plate = _normalized("plate", normalize_plate, filters.plate)
        queryset = queryset.filter(vehicles__plate=plate)
    if filters.vin:
        vin = _normalized("vin", normalize_vin, filters.vin)
        queryset = queryset.filter(vehicles__vin=vin)
    if filters.q:
        ids = [c.pk for c in services.find_customers(actor=actor(request), term=filters.q)]
        queryset = queryset.filter(pk__in=ids)
    if not (filters.phone or filters.plate or filters.vin or filters.q):
        raise invalid("q", _("Search by phone, plate, vin or q."))
    return list(queryset.distinct().order_by("-pk")[:50])


@router.get("/customers/{customer_id}", response=CustomerOut)
def get_customer(request: HttpRequest, customer_id: int) -> Customer:
    return services.get_customer(actor=actor(request), customer_id=customer_id)


def _changes(payload: Schema) -> dict[str, Any]:
    """The fields sent (null for a text means: leave it)."""
    sent = payload.model_dump(exclude={"version"}, exclude_unset=True)
    return {field: value for field, value in sent.items() if value is not None}


@router.patch("/customers/{customer_id}", response=CustomerOut)
def update_customer(request: HttpRequest, customer_id: int, payload: CustomerPatch) -> Customer:
    """Edit with intake's rules; 409 ``stale_version`` when ``version`` is not the current one,
    409 ``duplicate_customer`` when the number is another customer's of the dealer."""
    return services.update_customer(
        actor=actor(request),
        customer_id=customer_id,
        expected_version=payload.version,
        changes=_changes(payload),
    )


@router.post("/customers/{customer_id}/merge", response=MergeOut)
def merge_customer(request: HttpRequest, customer_id: int, payload: MergeIn) -> Any:
    """Fold customer ``other_id`` into this one: complaints, vehicles and history move; logged."""
    return flows.merge_customers(actor=actor(request), customer_id=customer_id, other_id=payload.other_id)


@router.post("/customers/{customer_id}/reveal-phone", response=MobileOut)
def reveal_phone(request: HttpRequest, customer_id: int) -> dict[str, str]:
    """The full number; every call is logged with who asked."""
    mobile = services.reveal_mobile(actor=actor(request), customer_id=customer_id, channel=RevealChannel.API)
    return {"mobile": mobile}


class ErasureIn(Schema):
    reason: str  # the customer's request: when, how it came


class ErasureOut(Schema):
    erasure_id: int
    customer_id: int
    rows: dict[str, int]


@router.post("/customers/{customer_id}/erase", response=ErasureOut)
def erase_customer(request: HttpRequest, customer_id: int, payload: ErasureIn) -> Any:
    """PIPL erasure: the customer's personal data anonymised everywhere, complaints kept for
    the statistics; logged (``/manage/privacy/``). General managers and administrators."""
    return flows.erasure.erase_customer(actor=actor(request), customer_id=customer_id, reason=payload.reason)


@router.post("/customers/{customer_id}/vehicles", response={201: VehicleOut})
def add_vehicle(request: HttpRequest, customer_id: int, payload: VehicleIn) -> Reply:
    vehicle = services.add_vehicle(
        actor=actor(request),
        customer_id=customer_id,
        data=to_dataclass(services.VehicleInput, payload),
    )
    return Reply(201, vehicle)


@router.get("/vehicles", response=list[VehicleOut])
def search_vehicles(request: HttpRequest, plate: str = "", vin: str = "") -> list[Vehicle]:
    if not plate and not vin:
        raise invalid("plate", _("Search by plate or vin."))
    condition = Q()
    if plate:
        condition &= Q(plate=_normalized("plate", normalize_plate, plate))
    if vin:
        condition &= Q(vin=_normalized("vin", normalize_vin, vin))
    return list(Vehicle.objects.visible_to(actor(request)).filter(condition).order_by("-pk")[:50])


@router.patch("/vehicles/{vehicle_id}", response=VehicleOut)
def update_vehicle(request: HttpRequest, vehicle_id: int, payload: VehiclePatch) -> Vehicle:
    return services.update_vehicle(
        actor=actor(request),
        vehicle_id=vehicle_id,
        expected_version=payload.version,
        changes=_changes(payload),
    )


@router.get("/vehicles/{vehicle_id}", response=VehicleOut)
def get_vehicle(request: HttpRequest, vehicle_id: int) -> Vehicle:
    vehicle = Vehicle.objects.visible_to(actor(request)).filter(pk=vehicle_id).first()
    if vehicle is None:
        raise NotFound(_("No such vehicle."))
    return vehicle
