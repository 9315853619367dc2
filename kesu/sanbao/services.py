"""Recording a vehicle's repairs and its sale facts; each write checks scope and role.

The rights check itself is :func:`kesu.sanbao.rules.assess` (pure); :mod:`.selectors` gathers
its facts from the database.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints.selectors import get_complaint
from kesu.core.errors import Forbidden, NotFound, invalid, raise_if
from kesu.core.validators import too_long
from kesu.customers.models import Vehicle
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import user_dealer_id

from .choices import System
from .models import Repair, VehicleSale
from .thresholds import USAGE_RATE_MAX

MAX_PARTS = 50
MAX_DAYS = 3650
MAX_MILEAGE = 3_000_000
MAX_PRICE = Decimal("99999999.99")


@dataclass
class PartInput:
    name: str
    main: bool = False  # a 主要零部件 (the list printed on the 三包凭证)


@dataclass
class RepairInput:
    date_in: date
    system: str
    problem: str
    date_out: date | None = None
    days_in_workshop: int | None = None
    mileage_km: int | None = None
    quality_problem: bool = True
    serious_safety_fault: bool = False
    system_failure: bool = False
    assembly_replaced: bool = False
    parts: list[PartInput] = field(default_factory=list)
    fixed: bool = True
    description: str = ""
    dealer_id: int | None = None
    complaint_id: int | None = None


def can_record(user: User) -> bool:
    return has_capability(user, Capability.EDIT_COMPLAINT)


def visible_vehicle(*, actor: User, vehicle_id: int) -> Vehicle:
    vehicle = Vehicle.objects.visible_to(actor).select_related("customer").filter(pk=vehicle_id).first()
    if vehicle is None:
        raise NotFound(_("No such vehicle."))
    return vehicle


def _today() -> date:
    return timezone.localdate()


def check_repair(data: RepairInput, *, vehicle: Vehicle, prefix: str = "") -> dict[str, str]:
    """Every wrong field at once, named (``prefix`` for an import's columns)."""
    errors: dict[str, str] = {}
    today = _today()
    if data.date_in > today:
        errors["date_in"] = _("The date in cannot be in the future.")
    elif vehicle.purchase_date and data.date_in < vehicle.purchase_date:
        errors["date_in"] = _("The repair cannot be before the purchase date (%(date)s).") % {
            "date": vehicle.purchase_date
        }
    if data.date_out is not None:
        if data.date_out < data.date_in:
            errors["date_out"] = _("The date out cannot be before the date in.")
        elif data.date_out > today:
            errors["date_out"] = _("The date out cannot be in the future.")
    if data.days_in_workshop is not None and not 1 <= data.days_in_workshop <= MAX_DAYS:
        errors["days_in_workshop"] = _("Between 1 and %(n)s days; a visit under 24 hours counts as 1.") % {
            "n": MAX_DAYS
        }
    if data.mileage_km is not None and not 0 <= data.mileage_km <= MAX_MILEAGE:
        errors["mileage_km"] = _("Mileage must be between 0 and 3,000,000 km.")
    if data.system not in System.values:
        errors["system"] = _("One of: %(allowed)s.") % {"allowed": ", ".join(System.values)}
    problem = data.problem.strip()
    if not problem:
        errors["problem"] = _("Name the problem (repairs of the same problem are counted together).")
    elif len(problem) > 100:
        errors["problem"] = too_long(100)
    if len(data.parts) > MAX_PARTS:
        errors["parts"] = _("At most %(n)s parts.") % {"n": MAX_PARTS}
    for index, part in enumerate(data.parts):
        name = part.name.strip()
        if not name or len(name) > 60:
            errors[f"parts.{index}.name"] = too_long(60) if name else _("Name the part.")
    if len(data.description) > 2000:
        errors["description"] = too_long(2000)
    return {f"{prefix}{key}": value for key, value in errors.items()}


def repair_dealer(actor: User, vehicle: Vehicle, dealer_id: int | None) -> int:
    if dealer_id is None:
        return user_dealer_id(actor) or vehicle.customer.dealer_id
    if not Organization.objects.filter(pk=dealer_id, kind=OrgKind.DEALER).exists():
        raise invalid("dealer_id", _("No such dealer."))
    return dealer_id


def counted_days(data: RepairInput) -> int | None:
    """The days given, or from the dates (a visit under 24 hours is one day); None: still in."""
    if data.days_in_workshop is not None:
        return data.days_in_workshop
    if data.date_out is None:
        return None
    return max(1, (data.date_out - data.date_in).days)


def build_repair(data: RepairInput, *, actor: User, vehicle: Vehicle, dealer_id: int) -> Repair:
    return Repair(
        vehicle=vehicle,
        dealer_id=dealer_id,
        complaint_id=data.complaint_id,
        date_in=data.date_in,
        date_out=data.date_out,
        days_in_workshop=counted_days(data),
        mileage_km=data.mileage_km,
        system=data.system,
        problem=" ".join(data.problem.split()),
        quality_problem=data.quality_problem,
        serious_safety_fault=data.serious_safety_fault or data.system_failure,
        system_failure=data.system_failure,
        assembly_replaced=data.assembly_replaced,
        parts=[{"name": p.name.strip(), "main": bool(p.main)} for p in data.parts],
        fixed=data.fixed,
        description=data.description.strip(),
        created_by=actor,
    )


def record_repair(*, actor: User, vehicle_id: int, data: RepairInput) -> Repair:
    vehicle = visible_vehicle(actor=actor, vehicle_id=vehicle_id)
    if not can_record(actor):
        raise Forbidden(_("Your role cannot record repairs."))
    errors = check_repair(data, vehicle=vehicle)
    raise_if(errors)
    if data.complaint_id is not None:
        complaint = get_complaint(actor=actor, complaint_id=data.complaint_id)
        if complaint.vehicle_id != vehicle.pk:
            raise invalid("complaint_id", _("This complaint is about another vehicle."))
    dealer_id = repair_dealer(actor, vehicle, data.dealer_id)
    with transaction.atomic():
        repair = build_repair(data, actor=actor, vehicle=vehicle, dealer_id=dealer_id)
        repair.save()
    return repair


def set_sale(
    *,
    actor: User,
    vehicle_id: int,
    price: Decimal | None,
    delivery_date: date | None,
    usage_rate: Decimal | None,
) -> VehicleSale:
    """车价款, 交付日期 and n for the check; None clears a value."""
    vehicle = visible_vehicle(actor=actor, vehicle_id=vehicle_id)
    if not has_capability(actor, Capability.EDIT_CUSTOMER):
        raise Forbidden(_("Your role cannot change the vehicle's sale."))
    errors: dict[str, str] = {}
    if price is not None and (not price.is_finite() or price < 0 or price > MAX_PRICE):
        errors["price"] = _("Give an amount between 0 and %(max)s.") % {"max": MAX_PRICE}
    elif price is not None and price.as_tuple().exponent < -2:  # type: ignore[operator]
        errors["price"] = _("At most 2 decimal places.")
    if usage_rate is not None and (
        not usage_rate.is_finite() or usage_rate < 0 or usage_rate > USAGE_RATE_MAX.figure
    ):
        errors["usage_rate"] = _("n is between 0 and %(max)s (%(article)s).") % {
            "max": USAGE_RATE_MAX.figure,
            "article": USAGE_RATE_MAX.article,
        }
    if delivery_date is not None:
        if delivery_date > _today():
            errors["delivery_date"] = _("The delivery date cannot be in the future.")
        elif vehicle.purchase_date and delivery_date < vehicle.purchase_date:
            errors["delivery_date"] = _("The delivery cannot be before the purchase date (%(date)s).") % {
                "date": vehicle.purchase_date
            }
    raise_if(errors)
    sale, _created = VehicleSale.objects.update_or_create(
        vehicle=vehicle,
        defaults={"price": price, "delivery_date": delivery_date, "usage_rate": usage_rate},
    )
    return sale
