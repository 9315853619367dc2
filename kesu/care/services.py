"""Proactive care (主动电访): the daily generator of care lists, campaigns, and working an item.

The generator (:func:`generate_care_lists`) is incremental. Per vehicle it keeps a
:class:`~.models.CareWatermark`: an MD5 fingerprint of the facts the rules read (computed by the
database, so finding changed vehicles is one set-based anti-join, no Python per unchanged row)
and ``wake_on``, the next day something new can fall due (an indexed range). A run looks only at
vehicles that are new, changed or woken; writes are set-based (``core.pg.insert_columns`` /
``update_rows``: one statement per batch).
"""

import time as clock
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import CharField, Count, Exists, OuterRef, Q, Value
from django.db.models.functions import MD5, Cast, Coalesce, Concat, Substr
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kesu.core.errors import Forbidden, InvalidInput, NotFound, invalid, not_one_of, required_message
from kesu.core.pg import insert_columns, update_rows, without_jit
from kesu.core.privacy import unmasked
from kesu.core.validators import normalize_vin
from kesu.customers.models import Vehicle
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import scope_for, user_dealer_id
from kesu.worklist.choices import WorkKind, WorkState
from kesu.worklist.items import close_item, close_items
from kesu.worklist.models import WorkItem

from . import rules, vectorized
from .choices import CampaignAction, CareChannel, CareKind, CareOutcome, CareState
from .models import Campaign, CareItem, CareRun, CareWatermark, ConsentLog

REF_MODEL = "care.careitem"
BATCH = 20_000
WORK_HOUR = time(9, 0)  # a care call's work item is due at 9:00 on the day its list opens
MAX_ATTEMPTS = 3  # not reached this many times: the item is closed (send an SMS or a letter)
SMS_MAX_CHARS = 300

# what the rules read, in order: (field path, Facts attribute)
_FACT_FIELDS = (
    ("purchase_date", "purchase_date"),
    ("mileage_km", "mileage_km"),
    ("warranty_end", "warranty_end"),
    ("last_service_date", "last_service_date"),
    ("care_facts__insurance_renewal", "insurance_renewal"),
    ("customer__care_facts__birthday", "birthday"),
)


def _fingerprint() -> MD5:
    """MD5 of the facts, computed by the database (the same text on PostgreSQL and SQLite)."""
    parts: list[Any] = []
    for path, _attr in _FACT_FIELDS:
        if parts:
            parts.append(Value("|"))
        parts.append(Coalesce(Cast(path, output_field=CharField()), Value("")))
    return MD5(Concat(*parts, output_field=CharField()))


def _facts_query() -> Any:
    return Vehicle.objects.annotate(fp=_fingerprint())


_COLUMNS = (
    "pk",
    "customer_id",
    "customer__dealer_id",
    "plate",
    "vin",
    "customer__name",
    *(path for path, _attr in _FACT_FIELDS),
    "fp",
)


@dataclass
class _Batch:
    today: date
    new_ids: list[int]  # vehicles without a watermark yet: their new watermarks, column-wise
    new_fingerprints: list[str]
    new_wakes: list[date | None]
    states_changed: list[Any]
    items: list[dict[str, Any]]
    subjects: dict[tuple[int, str, date], str]
    desired: dict[int, dict[str, date]]  # changed vehicles already known: what is due now


class _State:
    __slots__ = ("computed_on", "fingerprint", "pk", "wake_on")

    def __init__(self, pk: int, fingerprint: str, wake_on: date | None, computed_on: date) -> None:
        self.pk, self.fingerprint, self.wake_on, self.computed_on = pk, fingerprint, wake_on, computed_on


_LABELS: dict[str, str] = {}


def _label(kind: str) -> str:
    if kind not in _LABELS:
        with translation.override("zh-hans"):
            _LABELS[kind] = str(CareKind(kind).label)
    return _LABELS[kind]


def _subject(kind: str, plate: str, vin: str, name: str) -> str:
    return f"{_label(kind)} {plate or vin} {name}"[:200]


def _due_at(day: date, cache: dict[date, datetime]) -> datetime:
    if day not in cache:
        cache[day] = timezone.make_aware(datetime.combine(day, WORK_HOUR), timezone.get_default_timezone())
    return cache[day]


def _open_work_items(rows: Sequence[tuple[int, int, int, date]], subjects: dict[int, str]) -> None:
    """One CARE_CALL work item per new care item ``(id, dealer_id, customer_id, list_date)``."""
    cache: dict[date, datetime] = {}
    if not rows:
        return
    ids, dealers, customers, list_dates = zip(*rows, strict=True)
    insert_columns(
        WorkItem,
        {
            "dealer_id": dealers,
            "due_at": [_due_at(day, cache) for day in list_dates],
            "subject": [subjects[item_id] for item_id in ids],
            "ref_id": ids,
            "customer_id": customers,
        },
        same={"kind": WorkKind.CARE_CALL, "state": WorkState.OPEN, "ref_model": REF_MODEL},
        ignore_conflicts=True,
    )


def _insert_items(
    items: list[dict[str, Any]], subjects: dict[tuple[int, str, date], str], *, campaign_id: int | None = None
) -> int:
    """Insert new open care items (of ``campaign_id``; a repeat of an existing one is skipped)
    and their work items; returns how many were new."""
    if not items:
        return 0
    returned = insert_columns(
        CareItem,
        {name: [row[name] for row in items] for name in items[0]},
        same={"state": CareState.OPEN, "campaign_id": campaign_id},
        ignore_conflicts=True,
        returning=("id", "dealer_id", "customer", "list_date", "vehicle", "kind", "due_date"),
    )
    if connection.vendor != "postgresql":  # no RETURNING there: read back the batch's items
        vehicles = {row["vehicle_id"] for row in items}
        found = CareItem.objects.filter(vehicle_id__in=vehicles, state=CareState.OPEN)
        found = found.exclude(Exists(WorkItem.objects.filter(ref_model=REF_MODEL, ref_id=OuterRef("pk"))))
        returned = [
            (i.pk, i.dealer_id, i.customer_id, i.list_date, i.vehicle_id, i.kind, i.due_date)
            for i in found
            if i.campaign_id == campaign_id
        ]
    _open_work_items(
        [row[:4] for row in returned],
        {row[0]: subjects.get((row[4], row[5], row[6]), _label(row[5])) for row in returned},
    )
    return len(returned)


def _plan_chunk(rows: list[tuple[Any, ...]], batch: _Batch, run: CareRun, *, is_change: bool) -> None:
    """Plan a batch of vehicles column-wise (:func:`.vectorized.plan_many`) and queue the new
    items, the watermarks and (for changed vehicles) what is due now."""
    cols = list(zip(*rows, strict=True))
    pks, customers, dealers, plates, vins, names = cols[:6]
    facts = {
        "purchase_date": vectorized.as_days(cols[6]),
        "warranty_end": vectorized.as_days(cols[8]),
        "last_service_date": vectorized.as_days(cols[9]),
        "insurance_renewal": vectorized.as_days(cols[10]),
        "birthday": vectorized.as_days(cols[11]),
    }
    mileage = np.array(cols[7], dtype=np.float64)  # None → NaN
    due_items, wake = vectorized.plan_many(facts, mileage, batch.today)
    fingerprints, known, wakes = cols[12], cols[13], wake.tolist()
    if any(known):
        for index, (pk, wake_on) in enumerate(zip(pks, wakes, strict=True)):
            if known[index]:
                batch.states_changed.append(_State(pk, fingerprints[index], wake_on, batch.today))
                if is_change:
                    batch.desired[pk] = {}
            else:
                batch.new_ids.append(pk)
                batch.new_fingerprints.append(fingerprints[index])
                batch.new_wakes.append(wake_on)
    else:  # a first run: whole columns, no Python per vehicle
        batch.new_ids.extend(pks)
        batch.new_fingerprints.extend(fingerprints)
        batch.new_wakes.extend(wakes)
    for kind, indexes, dues in due_items:
        for index, due in zip(indexes.tolist(), dues.tolist(), strict=True):
            pk = pks[index]
            batch.items.append(
                {
                    "dealer_id": dealers[index],
                    "customer_id": customers[index],
                    "vehicle_id": pk,
                    "kind": kind,
                    "due_date": due,
                    "list_date": max(rules.opens_on(kind, due), min(due, batch.today)),
                }
            )
            batch.subjects[(pk, kind, due)] = _subject(kind, plates[index], vins[index], names[index])
            if pk in batch.desired:
                batch.desired[pk][kind] = due
    run.vehicles += len(rows)


def _reconcile(batch: _Batch, run: CareRun) -> None:
    """Changed vehicles: an open automatic item whose date moved follows it (its work item
    too); one no longer due becomes obsolete (its work item cancelled)."""
    if not batch.desired:
        return
    existing = CareItem.objects.filter(vehicle_id__in=batch.desired, campaign__isnull=True).only(
        "pk", "vehicle_id", "kind", "due_date", "state"
    )
    taken = {(i.vehicle_id, i.kind, i.due_date) for i in existing}
    moved, gone = [], []
    for item in existing:
        if item.state != CareState.OPEN:
            continue
        wanted = batch.desired[item.vehicle_id].get(item.kind)
        if wanted == item.due_date:
            continue
        if item.kind != CareKind.MAINTENANCE and item.due_date < batch.today:
            continue  # a past birthday or renewal is left to the agent
        if wanted is not None and (item.vehicle_id, item.kind, wanted) not in taken:
            taken.add((item.vehicle_id, item.kind, wanted))
            item.due_date, item.list_date = wanted, max(rules.opens_on(item.kind, wanted), batch.today)
            moved.append(item)
        else:
            gone.append(item.pk)
    if moved:
        update_rows(CareItem, moved, ["due_date", "list_date"])
        cache: dict[date, datetime] = {}
        by_day: dict[date, list[int]] = {}
        for item in moved:
            by_day.setdefault(item.list_date, []).append(item.pk)
        for day, ids in by_day.items():  # one statement per new list day, not one per item
            WorkItem.objects.filter(ref_model=REF_MODEL, ref_id__in=ids, kind=WorkKind.CARE_CALL).update(
                due_at=_due_at(day, cache)
            )
        moved_keys = {(i.vehicle_id, i.kind, i.due_date) for i in moved}
        batch.items = [
            r for r in batch.items if (r["vehicle_id"], r["kind"], r["due_date"]) not in moved_keys
        ]
    if gone:
        CareItem.objects.filter(pk__in=gone).update(state=CareState.OBSOLETE)
        close_items(ref_model=REF_MODEL, ref_ids=gone, kind=WorkKind.CARE_CALL, cancelled=True)
    run.updated += len(moved)
    run.obsolete += len(gone)


def _flush(batch: _Batch, run: CareRun) -> None:
    _reconcile(batch, run)
    run.opened += _insert_items(batch.items, batch.subjects)
    insert_columns(
        CareWatermark,
        {
            "vehicle_id": batch.new_ids,
            "fingerprint": batch.new_fingerprints,
            "wake_on": batch.new_wakes,
            "computed_on": [batch.today] * len(batch.new_ids),
        },
    )
    update_rows(CareWatermark, batch.states_changed, ["fingerprint", "wake_on", "computed_on"])
    batch.new_ids, batch.new_fingerprints, batch.new_wakes = [], [], []
    batch.states_changed, batch.items = [], []
    batch.subjects, batch.desired = {}, {}


def _rows(queryset: Any) -> Iterable[tuple[Any, ...]]:
    if connection.vendor == "postgresql":
        return queryset.values_list(*_COLUMNS, "known").iterator(chunk_size=BATCH)
    return list(queryset.values_list(*_COLUMNS, "known"))


def generate_care_lists(*, today: date | None = None) -> CareRun:
    """Open today's care items: for every vehicle that is new, whose facts changed since the
    last run, or whose ``wake_on`` day has come. Rerunning the same day opens nothing new."""
    today = today or timezone.localdate()
    started = clock.perf_counter()
    run = CareRun(day=today)
    same = CareWatermark.objects.filter(vehicle_id=OuterRef("pk"), fingerprint=OuterRef("fp"))
    known = CareWatermark.objects.filter(vehicle_id=OuterRef("pk"))
    if CareWatermark.objects.exists():
        changed = _facts_query().exclude(Exists(same)).annotate(known=Exists(known))
    else:  # the first run: every vehicle is new (no fingerprint to compare: half the read's cost)
        changed = _facts_query().annotate(known=Value(False))
    woken = (
        _facts_query()
        .filter(pk__in=CareWatermark.objects.filter(wake_on__lte=today).values("vehicle_id"))
        .filter(Exists(same))
        .annotate(known=Value(True))
    )
    batch = _Batch(today, [], [], [], [], [], {}, {})
    with without_jit():  # one transaction; compiling the fingerprint scan cost more than it saved
        for queryset, is_change in ((changed, True), (woken, False)):
            chunk: list[tuple[Any, ...]] = []
            for row in _rows(queryset):
                chunk.append(row)
                if len(chunk) >= BATCH:
                    _plan_chunk(chunk, batch, run, is_change=is_change)
                    _flush(batch, run)
                    chunk = []
            if chunk:
                _plan_chunk(chunk, batch, run, is_change=is_change)
        _flush(batch, run)
        run.seconds = clock.perf_counter() - started
        run.save()
    return run


# --- reading the lists --------------------------------------------------------------------------


def may_work(user: User) -> bool:
    return has_capability(user, Capability.EDIT_CUSTOMER)


def _require_work(actor: User) -> None:
    if not may_work(actor):
        raise Forbidden(_("Your role cannot work care lists."))


def parse_kind(value: str, *, field: str = "kind", or_empty: bool = False) -> str:
    if or_empty and not value:
        return ""
    if value not in CareKind.values:
        raise invalid(field, not_one_of(value, CareKind.values))
    return value


def day_list(*, actor: User, kind: str = "", day: date | None = None) -> Any:
    """The open items due by ``day`` (default today) that ``actor`` may see, oldest first."""
    _require_work(actor)
    day = day or timezone.localdate()
    queryset = CareItem.objects.visible_to(actor).filter(state=CareState.OPEN, list_date__lte=day)
    if kind:
        queryset = queryset.filter(kind=parse_kind(kind))
    return queryset.select_related("customer", "vehicle").order_by("list_date", "pk")


def counts_by_kind(*, actor: User, day: date) -> dict[str, int]:
    queryset = CareItem.objects.visible_to(actor).filter(state=CareState.OPEN, list_date__lte=day)
    found = {row["kind"]: row["n"] for row in queryset.values("kind").annotate(n=Count("pk"))}
    return {kind: found.get(kind, 0) for kind in CareKind.values}


def get_item(*, actor: User, item_id: int, for_update: bool = False) -> CareItem:
    """An item ``actor`` may see (404 otherwise: another dealer's items do not exist for them)."""
    queryset = CareItem.objects.visible_to(actor).filter(pk=item_id)
    if for_update:
        queryset = queryset.select_for_update()
    item = queryset.select_related("customer", "vehicle").first()
    if item is None:
        raise NotFound(_("No such care item."))
    return item


# --- working an item ----------------------------------------------------------------------------

OPT_OUT_FIELDS = {"sms": "consent_sms", "calls": "consent_calls", "marketing": "consent_marketing"}


@dataclass(frozen=True)
class OutcomeInput:
    outcome: str
    note: str = ""
    channel: str = CareChannel.CALL
    opt_out: tuple[str, ...] = ()


def check_outcome(data: OutcomeInput) -> OutcomeInput:
    """422 naming the field: an outcome and channel from the lists; an opt-out names what."""
    if data.outcome not in CareOutcome.values:
        raise invalid("outcome", not_one_of(data.outcome, CareOutcome.values))
    if data.channel not in CareChannel.values:
        raise invalid("channel", not_one_of(data.channel, CareChannel.values))
    bad = [value for value in data.opt_out if value not in OPT_OUT_FIELDS]
    if bad:
        raise invalid("opt_out", not_one_of(bad[0], OPT_OUT_FIELDS))
    if data.outcome == CareOutcome.OPTED_OUT and not data.opt_out:
        raise invalid("opt_out", _("Say what the customer no longer wants: sms, calls or marketing."))
    if len(data.note) > 2000:
        raise invalid("note", _("At most %(n)d characters.") % {"n": 2000})
    return data


@transaction.atomic
def record_outcome(*, actor: User, item_id: int, data: OutcomeInput) -> CareItem:
    """Record what came of a contact. Not reached: one more attempt (after
    :data:`MAX_ATTEMPTS` the item closes); anything else closes the item and its work item."""
    item = get_item(actor=actor, item_id=item_id, for_update=True)
    _require_work(actor)
    data = check_outcome(data)
    if item.state != CareState.OPEN:
        raise InvalidInput(_("This care item is already closed."), fields={"outcome": _("Already closed.")})
    item.outcome, item.channel, item.note = data.outcome, data.channel, data.note.strip()
    item.worked_at, item.worked_by = timezone.now(), actor
    if data.outcome == CareOutcome.NOT_REACHED:
        item.attempts += 1
        if item.attempts >= MAX_ATTEMPTS:
            item.state = CareState.DONE
    else:
        item.state = CareState.DONE
    item.save()
    if item.state == CareState.DONE:
        close_item(ref_model=REF_MODEL, ref_id=item.pk, kind=WorkKind.CARE_CALL, by=actor)
    return item


def log_consent(*, actor: User, customer_id: int, field: str, value: bool, item_id: int | None) -> None:
    ConsentLog.objects.create(customer_id=customer_id, item_id=item_id, field=field, value=value, actor=actor)


# --- SMS to a list ------------------------------------------------------------------------------


@dataclass
class SmsTargets:
    send: list[CareItem]
    skipped: list[CareItem]  # no SMS consent (or no mobile): never sent


def check_sms_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise invalid("text", required_message(_("text")))
    if len(text) > SMS_MAX_CHARS:
        raise invalid("text", _("At most %(n)d characters.") % {"n": SMS_MAX_CHARS})
    return text


def sms_targets(*, actor: User, kind: str, day: date, item_ids: Sequence[int] | None = None) -> SmsTargets:
    """Who a list's SMS goes to and who is skipped (no consent to SMS)."""
    queryset = day_list(actor=actor, kind=kind, day=day)
    if item_ids is not None:
        queryset = queryset.filter(pk__in=item_ids)
    send: list[CareItem] = []
    skipped: list[CareItem] = []
    for item in queryset:
        (send if item.customer.consent_sms and item.customer.mobile else skipped).append(item)
    return SmsTargets(send, skipped)


def sms_body(text: str, item: CareItem) -> str:
    """The text with ``{name}``, ``{plate}`` and ``{due}`` filled in for this item (what the
    customer receives: the stored values, whoever sends it)."""
    with unmasked():
        return _filled(text, item)


def _filled(text: str, item: CareItem) -> str:
    return (
        text.replace("{name}", item.customer.name)
        .replace("{plate}", item.vehicle.plate or item.vehicle.vin)
        .replace("{due}", item.due_date.isoformat())
    )


def mark_sms_sent(*, actor: User, items: Sequence[CareItem]) -> None:
    now = timezone.now()
    for item in items:
        item.state, item.outcome, item.channel = CareState.DONE, CareOutcome.SMS_SENT, CareChannel.SMS
        item.worked_at, item.worked_by = now, actor
    update_rows(CareItem, list(items), ["state", "outcome", "channel", "worked_at", "worked_by"])
    close_items(ref_model=REF_MODEL, ref_ids=[i.pk for i in items], kind=WorkKind.CARE_CALL, by=actor)


def refuse_sms_without_consent(item: CareItem) -> None:
    if not item.customer.consent_sms:
        message = _("This customer has not agreed to SMS (or opted out): call or write instead.")
        raise InvalidInput(message, fields={"consent_sms": message}, code="no_consent")


# --- campaigns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignInput:
    title: str
    action: str
    due_date: date | None
    model_name: str = ""
    vin_start: str = ""
    vin_end: str = ""


def _vin(field: str, value: str) -> str:
    try:
        return normalize_vin(value)
    except ValueError as error:
        raise invalid(field, str(error)) from None


def vin_prefix(vin: str) -> str:
    """What the VINs of one range share: maker and model (1–8) and year and plant (10–11)."""
    return vin[:8] + vin[9:11]


def check_campaign(data: CampaignInput) -> CampaignInput:
    """422 naming the field: a title, an action, a due date; a model or a VIN range; a range is
    two valid VINs with the same prefix (all but the check digit and the serial) and
    start ≤ end."""
    title = data.title.strip()
    if not title:
        raise invalid("title", required_message(_("title")))
    if len(title) > 120:
        raise invalid("title", _("At most %(n)d characters.") % {"n": 120})
    if data.action not in CampaignAction.values:
        raise invalid("action", not_one_of(data.action, CampaignAction.values))
    if data.due_date is None:
        raise invalid("due_date", required_message(_("due date")))
    model_name = data.model_name.strip()
    start, end = data.vin_start.strip(), data.vin_end.strip()
    if not (model_name or start or end):
        raise invalid("model_name", _("Give a model or a VIN range."))
    if start or end:
        if not start:
            raise invalid("vin_start", required_message(_("first VIN")))
        if not end:
            raise invalid("vin_end", required_message(_("last VIN")))
        start, end = _vin("vin_start", start), _vin("vin_end", end)
        if vin_prefix(start) != vin_prefix(end):
            raise invalid(
                "vin_end",
                _("Not a range: the last VIN must share the first VIN's characters 1–8 and 10–11 (%(p)s).")
                % {"p": start[:8] + "?" + start[9:11]},
            )
        if start[11:] > end[11:]:
            raise invalid("vin_end", _("Not a range: the last VIN's serial comes before the first's."))
    return CampaignInput(title, data.action, data.due_date, model_name[:60], start, end)


def may_run_campaigns(user: User) -> bool:
    return has_capability(user, Capability.MERGE_CUSTOMERS) or (
        user.is_authenticated
        and scope_for(user).everything
        and has_capability(user, Capability.EDIT_CUSTOMER)
    )


def campaign_vehicles(*, actor: User, data: CampaignInput) -> Any:
    queryset = Vehicle.objects.visible_to(actor)
    if data.model_name:
        queryset = queryset.filter(model_name__iexact=data.model_name)
    if data.vin_start:
        queryset = queryset.annotate(
            vin_prefix=Concat(Substr("vin", 1, 8), Substr("vin", 10, 2), output_field=CharField()),
            vin_serial=Substr("vin", 12, 6),
        ).filter(
            vin__startswith=data.vin_start[:8],
            vin_prefix=vin_prefix(data.vin_start),
            vin_serial__gte=data.vin_start[11:],
            vin_serial__lte=data.vin_end[11:],
        )
    return queryset


@transaction.atomic
def create_campaign(*, actor: User, data: CampaignInput) -> Campaign:
    """A recall or service action: one care item (and work item) per matching vehicle the
    actor may see, due on the campaign's date."""
    if not may_run_campaigns(actor):
        raise Forbidden(_("Your role cannot start campaigns."))
    data = check_campaign(data)
    assert data.due_date is not None
    campaign = Campaign.objects.create(
        dealer_id=None if scope_for(actor).everything else user_dealer_id(actor),
        title=data.title,
        action=data.action,
        model_name=data.model_name,
        vin_start=data.vin_start,
        vin_end=data.vin_end,
        due_date=data.due_date,
        created_by=actor,
    )
    today = timezone.localdate()
    list_date = min(today, data.due_date)
    rows = campaign_vehicles(actor=actor, data=data).values_list(
        "pk", "customer_id", "customer__dealer_id", "plate", "vin", "customer__name"
    )
    items, subjects = [], {}
    for pk, customer_id, dealer_id, plate, vin, name in rows.iterator(chunk_size=BATCH):
        items.append(
            {
                "dealer_id": dealer_id,
                "customer_id": customer_id,
                "vehicle_id": pk,
                "kind": CareKind.CAMPAIGN,
                "due_date": data.due_date,
                "list_date": list_date,
            }
        )
        subjects[(pk, CareKind.CAMPAIGN.value, data.due_date)] = f"{data.title} {plate or vin} {name}"[:200]
    campaign.matched = _insert_items(items, subjects, campaign_id=campaign.pk)
    campaign.save(update_fields=["matched"])
    return campaign


def visible_campaigns(*, actor: User) -> Any:
    scope = scope_for(actor)
    queryset = Campaign.objects.all()
    if not scope.everything:
        queryset = queryset.filter(Q(dealer_id__in=scope.dealer_ids) | Q(dealer__isnull=True))
    return queryset
