"""Care lists (主动电访): the day's list, an item's outcome or SMS, a list's bulk SMS, campaigns."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja import Status as Reply

from kesu import flows
from kesu.core.schemas import PageNumber
from kesu.organizations.permissions import actor

from . import services
from .models import Campaign, CareItem

router = Router(tags=["care"])


class CareItemOut(Schema):
    id: int
    kind: str
    state: str
    due_date: dt.date
    list_date: dt.date
    customer_id: int
    customer_name: str
    mobile_masked: str
    consent_sms: bool
    vehicle_id: int
    plate: str
    vin: str
    campaign_id: int | None
    outcome: str
    attempts: int


def _item_out(item: CareItem) -> CareItemOut:
    return CareItemOut(
        id=item.pk,
        kind=item.kind,
        state=item.state,
        due_date=item.due_date,
        list_date=item.list_date,
        customer_id=item.customer_id,
        customer_name=item.customer.name,
        mobile_masked=item.customer.mobile_masked,
        consent_sms=item.customer.consent_sms,
        vehicle_id=item.vehicle_id,
        plate=item.vehicle.plate,
        vin=item.vehicle.vin,
        campaign_id=item.campaign_id,
        outcome=item.outcome,
        attempts=item.attempts,
    )


class CareListFilters(Schema):
    kind: str = ""
    date: dt.date | None = None
    page: PageNumber = 1
    page_size: int = 50


class CareListOut(Schema):
    date: dt.date
    kind: str
    count: int
    page: int
    page_size: int
    counts: dict[str, int]
    items: list[CareItemOut]


@router.get("/care-lists", response=CareListOut)
def care_list(request: HttpRequest, filters: Query[CareListFilters]) -> CareListOut:
    user = actor(request)
    day = filters.date or timezone.localdate()
    kind = services.parse_kind(filters.kind, or_empty=True)
    queryset = services.day_list(actor=user, kind=kind, day=day)
    page, size = max(filters.page, 1), min(max(filters.page_size, 1), 200)
    items = list(queryset[(page - 1) * size : page * size])
    return CareListOut(
        date=day,
        kind=kind,
        count=queryset.count(),
        page=page,
        page_size=size,
        counts=services.counts_by_kind(actor=user, day=day),
        items=[_item_out(i) for i in items],
    )


class OutcomeIn(Schema):
    outcome: str
    note: str = ""
    channel: str = "call"
    opt_out: list[str] = []


@router.post("/care-items/{item_id}/outcome", response=CareItemOut)
def care_outcome(request: HttpRequest, item_id: int, payload: OutcomeIn) -> CareItemOut:
    data = services.OutcomeInput(
        outcome=payload.outcome, note=payload.note, channel=payload.channel, opt_out=tuple(payload.opt_out)
    )
    item = flows.care.record_care_outcome(actor=actor(request), item_id=item_id, data=data)
    return _item_out(services.get_item(actor=actor(request), item_id=item.pk))


class ItemSmsIn(Schema):
    text: str


@router.post("/care-items/{item_id}/sms", response=CareItemOut)
def care_item_sms(request: HttpRequest, item_id: int, payload: ItemSmsIn) -> CareItemOut:
    item = flows.care.send_item_sms(actor=actor(request), item_id=item_id, text=payload.text)
    return _item_out(services.get_item(actor=actor(request), item_id=item.pk))


class ListSmsIn(Schema):
    kind: str
    date: dt.date | None = None
    text: str


class SmsOut(Schema):
    sent: int
    skipped: int
    skipped_items: list[int]


@router.post("/care-lists/sms", response=SmsOut)
def care_list_sms(request: HttpRequest, payload: ListSmsIn) -> SmsOut:
    result = flows.care.send_list_sms(
        actor=actor(request), kind=payload.kind, day=payload.date or timezone.localdate(), text=payload.text
    )
    return SmsOut(sent=result.sent, skipped=result.skipped, skipped_items=result.skipped_items)


class CampaignIn(Schema):
    title: str
    action: str
    due_date: dt.date | None = None
    model_name: str = ""
    vin_start: str = ""
    vin_end: str = ""


class CampaignOut(Schema):
    id: int
    title: str
    action: str
    model_name: str
    vin_start: str
    vin_end: str
    due_date: dt.date
    matched: int
    dealer_id: int | None


@router.post("/campaigns", response={201: CampaignOut})
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Reply:
    campaign = services.create_campaign(
        actor=actor(request), data=services.CampaignInput(**payload.model_dump())
    )
    return Reply(201, campaign)


@router.get("/campaigns", response=list[CampaignOut])
def list_campaigns(request: HttpRequest) -> list[Campaign]:
    user = actor(request)
    services.day_list(actor=user)  # the role may work care lists (403)
    return list(services.visible_campaigns(actor=user)[:100])


__all__ = ["router"]
