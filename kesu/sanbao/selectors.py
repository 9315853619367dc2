"""What the 三包 check reads: a vehicle's repairs and sale, as the pure function's facts."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints.models import Complaint
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import InvalidInput
from kesu.customers.models import Vehicle
from kesu.organizations.models import User

from .models import Repair, VehicleSale
from .rules import Assessment, RepairFact, VehicleFacts, assess


def repairs_of(vehicle_id: int) -> list[Repair]:
    return list(
        Repair.objects.filter(vehicle_id=vehicle_id).select_related("dealer").order_by("date_in", "pk")
    )


def repair_days(repair: Repair, today: date) -> int:
    """The counted days; a car still in the workshop counts up to today."""
    if repair.days_in_workshop is not None:
        return int(repair.days_in_workshop)
    return max(1, (today - repair.date_in).days)


def facts_of(
    vehicle: Vehicle, repairs: list[Repair], *, as_of: date, today: date | None = None
) -> VehicleFacts:
    today = today or timezone.localdate()
    sale = VehicleSale.objects.filter(vehicle_id=vehicle.pk).first()
    return VehicleFacts(
        as_of=as_of,
        purchase_date=vehicle.purchase_date,
        delivery_date=sale.delivery_date if sale else None,
        mileage_km=vehicle.mileage_km,
        price=sale.price if sale else None,
        usage_rate=sale.usage_rate if sale else None,
        repairs=tuple(
            RepairFact(
                id=r.pk,
                date_in=r.date_in,
                days=repair_days(r, today),
                system=r.system,
                problem=r.problem,
                mileage_km=r.mileage_km,
                quality_problem=r.quality_problem,
                serious_safety_fault=r.serious_safety_fault,
                system_failure=r.system_failure,
                assembly_replaced=r.assembly_replaced,
                main_parts=tuple(r.main_parts),
                fixed=r.fixed,
            )
            for r in repairs
        ),
    )


@dataclass
class ComplaintCheck:
    complaint: Complaint
    vehicle: Vehicle
    repairs: list[Repair]
    assessment: Assessment


def check_complaint(*, actor: User, complaint_id: int) -> ComplaintCheck:
    """The 三包 check of a complaint's vehicle, as of the day the complaint was received."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id)
    if complaint.vehicle_id is None:
        message = _("This complaint names no vehicle: record the vehicle first.")
        raise InvalidInput(message, fields={"vehicle": message}, code="no_vehicle")
    vehicle = Vehicle.objects.get(pk=complaint.vehicle_id)
    repairs = repairs_of(vehicle.pk)
    as_of = timezone.localdate(complaint.received_at)
    return ComplaintCheck(complaint, vehicle, repairs, assess(facts_of(vehicle, repairs, as_of=as_of)))
