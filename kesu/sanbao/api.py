"""三包: a vehicle's repairs, its sale facts, a repair-history import, and the rights check of a
complaint's vehicle (``GET /complaints/{id}/sanbao``)."""

from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any, cast

from django.http import HttpRequest
from ninja import File, Query, Router, Schema
from ninja import Status as Reply
from ninja.files import UploadedFile

from kesu.organizations.permissions import actor

from . import importing, selectors, services
from .choices import System, Verdict
from .models import Repair, VehicleSale
from .rules import Assessment, Ground, RightCheck
from .thresholds import Threshold

router = Router(tags=["sanbao"])


class PartIn(Schema):
    name: str
    main: bool = False


class RepairIn(Schema):
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
    parts: list[PartIn] = []
    fixed: bool = True
    description: str = ""
    dealer_id: int | None = None
    complaint_id: int | None = None


class RepairOut(Schema):
    id: int
    vehicle_id: int
    dealer_id: int
    dealer_name: str
    complaint_id: int | None
    date_in: date
    date_out: date | None
    days_in_workshop: int | None
    mileage_km: int | None
    system: str
    system_label: str
    problem: str
    quality_problem: bool
    serious_safety_fault: bool
    system_failure: bool
    assembly_replaced: bool
    parts: list[PartIn]
    fixed: bool
    description: str
    created_at: datetime

    @staticmethod
    def resolve_dealer_name(repair: Repair) -> str:
        return repair.dealer.name

    @staticmethod
    def resolve_system_label(repair: Repair) -> str:
        return str(System(repair.system).label)


class SaleIn(Schema):
    price: Decimal | None = None
    delivery_date: date | None = None
    usage_rate: Decimal | None = None


class SaleOut(Schema):
    vehicle_id: int
    price: Decimal | None
    delivery_date: date | None
    usage_rate: Decimal | None


class ThresholdOut(Schema):
    key: str
    article: str
    figure: Decimal
    unit: str
    rule: str
    wording: str
    verified: bool
    source: str


class GroundOut(Schema):
    article: str
    verdict: str
    reason: str
    thresholds: list[str]
    repair_ids: list[int]
    missing: list[str]
    free: bool


class RightOut(Schema):
    right: str
    label: str
    may_apply: str
    may_apply_label: str
    articles: list[str]
    thresholds: list[ThresholdOut]
    facts: dict[str, Any]
    missing: list[str]
    reasons: list[str]
    grounds: list[GroundOut]
    amount: Decimal | None


class SanbaoOut(Schema):
    complaint_id: int
    vehicle_id: int
    regulation: str
    as_of: date
    start_date: date | None
    start_basis: str
    warranty_end: date | None
    sanbao_end: date | None
    repairs: int
    rights: list[RightOut]


class RepairImportQuery(Schema):
    dry_run: bool = False


class RepairRowErrorOut(Schema):
    row: int
    column: str
    message: str


class RepairImportOut(Schema):
    rows: int
    errors: list[RepairRowErrorOut]
    repairs_created: int
    imported: bool
    dry_run: bool


def _threshold(t: Threshold) -> dict[str, Any]:
    return t.__dict__


def _ground(g: Ground) -> dict[str, Any]:
    return g.__dict__


def _right(r: RightCheck) -> dict[str, Any]:
    return {
        **r.__dict__,
        "label": r.label,
        "may_apply_label": str(Verdict(r.may_apply).label),
        "thresholds": [_threshold(t) for t in r.thresholds],
        "grounds": [_ground(g) for g in r.grounds],
    }


def assessment_body(complaint_id: int, vehicle_id: int, repairs: int, a: Assessment) -> dict[str, Any]:
    return {
        "complaint_id": complaint_id,
        "vehicle_id": vehicle_id,
        "regulation": a.regulation,
        "as_of": a.as_of,
        "start_date": a.start,
        "start_basis": a.start_basis,
        "warranty_end": a.warranty_end,
        "sanbao_end": a.sanbao_end,
        "repairs": repairs,
        "rights": [_right(r) for r in a.rights],
    }


@router.get("/vehicles/{vehicle_id}/repairs", response=list[RepairOut])
def list_repairs(request: HttpRequest, vehicle_id: int) -> list[Repair]:
    vehicle = services.visible_vehicle(actor=actor(request), vehicle_id=vehicle_id)
    return selectors.repairs_of(vehicle.pk)


@router.post("/vehicles/{vehicle_id}/repairs", response={201: RepairOut})
def create_repair(request: HttpRequest, vehicle_id: int, payload: RepairIn) -> Reply:
    data = services.RepairInput(
        **payload.model_dump(exclude={"parts"}),
        parts=[services.PartInput(name=p.name, main=p.main) for p in payload.parts],
    )
    repair = services.record_repair(actor=actor(request), vehicle_id=vehicle_id, data=data)
    return Reply(201, Repair.objects.select_related("dealer").get(pk=repair.pk))


@router.post("/vehicles/{vehicle_id}/sale", response=SaleOut)
def set_sale(request: HttpRequest, vehicle_id: int, payload: SaleIn) -> VehicleSale:
    return services.set_sale(actor=actor(request), vehicle_id=vehicle_id, **payload.model_dump())


@router.get("/complaints/{complaint_id}/sanbao", response=SanbaoOut)
def complaint_sanbao(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    check = selectors.check_complaint(actor=actor(request), complaint_id=complaint_id)
    return assessment_body(check.complaint.pk, check.vehicle.pk, len(check.repairs), check.assessment)


@router.post("/imports/repairs", response={200: RepairImportOut, 201: RepairImportOut, 422: RepairImportOut})
def import_repairs(request: HttpRequest, query: Query[RepairImportQuery], file: File[UploadedFile]) -> Reply:
    report = importing.import_repairs(
        actor=actor(request), handle=cast(IO[bytes], file.file), size=file.size or 0, dry_run=query.dry_run
    )
    body = {**report.__dict__, "dry_run": query.dry_run}
    if not report.clean:
        return Reply(422, body)
    return Reply(200 if query.dry_run else 201, body)
