"""Follow-up calls: generated from closed complaints and vehicle events (set-based, idempotent),
the retry plan, and recording what a call brought.

Generation runs in the worker (``tasks.generate_followups``), which passes the dealers' working
calendars in (``calendar_of``): this app does not compute working time itself. What an outcome
does across apps (the revisit clock, reopening the complaint, the language guard on an SMS, the
service manager told) is composed in ``kesu.flows.followups``; this module checks and writes the
follow-up's own part, inside that use case's transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import events
from kesu.complaints.choices import LUKEWARM, Satisfaction, Status
from kesu.complaints.models import Complaint
from kesu.core.errors import DomainError, Forbidden, InvalidInput, NotFound, StaleVersion
from kesu.customers.models import Customer, Vehicle
from kesu.notifications import outbox
from kesu.notifications.choices import Channel
from kesu.organizations.choices import Role
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability
from kesu.sla.choices import ClockKind
from kesu.sla.models import Clock
from kesu.worklist import items
from kesu.worklist.choices import WorkKind
from kesu.worklist.models import WorkItem

from . import scripts
from .choices import (
    DayPart,
    Fallback,
    FollowUpKind,
    FollowUpState,
    Question,
    Rating,
    Result,
    VehicleEventKind,
)
from .models import Attempt, FollowUp, GenerationCursor, VehicleEvent
from .selectors import get_followup

MAX_ATTEMPTS = 3  # calls that did not reach the customer; then an SMS or a letter
DAYS_AFTER = {FollowUpKind.SERVICE_3D: 3, FollowUpKind.DELIVERY_3D: 3, FollowUpKind.DELIVERY_7D: 7}
KINDS_OF_EVENT = {
    VehicleEventKind.SERVICE_VISIT: (FollowUpKind.SERVICE_3D,),
    VehicleEventKind.DELIVERY: (FollowUpKind.DELIVERY_3D, FollowUpKind.DELIVERY_7D),
}
# Who may be given a generated call: the desk (the complaint's handler if they sit at the desk)
DESK_ROLES = frozenset({Role.AGENT, Role.SERVICE_MANAGER, Role.GENERAL_MANAGER})
REF_MODEL = "followups.followup"
BATCH = 2000
# revisit clocks re-read on every run: a close that committed after a later one was read
REVISIT_OVERLAP = 5000
MAX_TEXT = 2000
MAX_SMS = 300


class Conflict(DomainError):
    status = 409
    code = "conflict"


# --- working days and times of day ---------------------------------------------------------------


class Calendar(Protocol):
    """What generation needs of a dealer's working calendar (kesu.sla.calendar.WorkingCalendar)."""

    @property
    def zone(self) -> ZoneInfo: ...

    def hours_on(self, day: date) -> tuple[tuple[int, int], ...]: ...

    def next_open(self, moment: datetime) -> datetime: ...

    def opening_after_working_days(self, moment: datetime, days: int) -> datetime: ...


CalendarOf = Callable[[int], Calendar]


def opening_of_working_day(calendar: Calendar, moment: datetime, days: int) -> datetime:
    """The first opening of the ``days``-th working day after the day of ``moment`` (a day with
    opening hours on the dealer's Chinese calendar: holidays skipped, 调休 days counted) — the
    rule of the revisit (kesu.sla.services.revisit_earliest), for every kind of call."""
    return calendar.opening_after_working_days(moment, days)


# When each part of the day starts (local time): the retry plan calls at the next part not tried.
DAY_PARTS: tuple[tuple[str, time], ...] = (
    (DayPart.MORNING, time(9, 0)),
    (DayPart.AFTERNOON, time(14, 0)),
    (DayPart.EVENING, time(18, 30)),
)


def day_part_of(moment: datetime) -> str:
    hour = timezone.localtime(moment).hour
    if hour < 12:
        return DayPart.MORNING
    return DayPart.AFTERNOON if hour < 18 else DayPart.EVENING


def next_attempt_at(now: datetime, tried: set[str]) -> datetime:
    """The start of the next part of the day not tried yet, after ``now`` (today or later)."""
    local = timezone.localtime(now)
    for offset in range(4):
        day = local.date() + timedelta(days=offset)
        for part, start in DAY_PARTS:
            moment = datetime.combine(day, start, tzinfo=local.tzinfo)
            if part not in tried and moment > now:
                return moment
    raise ValueError("every part of the day tried")  # never with fewer than three attempts


# --- generation (the worker) -------------------------------------------------------------------


def _subject(kind: str, name: str, plate: str) -> str:
    return " · ".join(p for p in (scripts.script_for(kind).title, name, plate) if p)


def _open_work_items(followup_ids: list[int]) -> int:
    """One worklist item per follow-up (set-based; existing items are left as they are)."""
    rows = FollowUp.objects.filter(pk__in=followup_ids, state=FollowUpState.OPEN).values(
        "pk",
        "dealer_id",
        "assignee_id",
        "due_at",
        "kind",
        "customer__name",
        "vehicle__plate",
        "complaint_id",
        "customer_id",
    )
    return items.open_items(
        [
            WorkItem(
                dealer_id=r["dealer_id"],
                assignee_id=r["assignee_id"],
                kind=WorkKind.FOLLOW_UP,
                due_at=r["due_at"],
                subject=_subject(r["kind"], r["customer__name"], r["vehicle__plate"] or "")[:200],
                ref_model=REF_MODEL,
                ref_id=r["pk"],
                complaint_id=r["complaint_id"],
                customer_id=r["customer_id"],
            )
            for r in rows
        ]
    )


@dataclass
class Generated:
    revisits: int = 0
    after_events: int = 0
    events_read: int = 0


def generate_revisits(*, calendar_of: CalendarOf, after_working_days: int, batch: int = BATCH) -> int:
    """A revisit follow-up for every closed complaint whose revisit clock runs, once per clock,
    due at the opening of the next working day after the close. Reads only the clocks added since
    the last run (a cursor on their ids). Returns how many were created."""
    cursor, _new = GenerationCursor.objects.get_or_create(name="revisit")
    position = max(cursor.position - REVISIT_OVERLAP, 0)
    created = 0
    while True:
        rows = list(
            Clock.objects.filter(kind=ClockKind.REVISIT, pk__gt=position)
            .order_by("pk")
            .values(
                "pk",
                "stopped_at",
                "started_at",
                "complaint_id",
                "complaint__status",
                "complaint__dealer_id",
                "complaint__customer_id",
                "complaint__vehicle_id",
                "complaint__closed_at",
                "complaint__assignee_id",
                "complaint__assignee__role",
            )[:batch]
        )
        if not rows:
            break
        position = rows[-1]["pk"]
        wanted = [r for r in rows if r["stopped_at"] is None and r["complaint__status"] == Status.CLOSED]
        have = set(
            FollowUp.objects.filter(source_clock_id__in=[r["pk"] for r in wanted]).values_list(
                "source_clock_id", flat=True
            )
        )
        fresh = []
        for r in wanted:
            if r["pk"] in have:
                continue
            closed = r["complaint__closed_at"] or r["started_at"]
            due = opening_of_working_day(calendar_of(r["complaint__dealer_id"]), closed, after_working_days)
            handler = r["complaint__assignee_id"] if r["complaint__assignee__role"] in DESK_ROLES else None
            fresh.append(
                FollowUp(
                    dealer_id=r["complaint__dealer_id"],
                    kind=FollowUpKind.REVISIT,
                    customer_id=r["complaint__customer_id"],
                    vehicle_id=r["complaint__vehicle_id"],
                    complaint_id=r["complaint_id"],
                    source_clock_id=r["pk"],
                    planned_at=due,
                    due_at=due,
                    assignee_id=handler,
                )
            )
        if fresh:
            with transaction.atomic():
                FollowUp.objects.bulk_create(fresh, ignore_conflicts=True)
                ids = list(
                    FollowUp.objects.filter(
                        source_clock_id__in=[f.source_clock_id for f in fresh]
                    ).values_list("pk", flat=True)
                )
                _open_work_items(ids)
            created += len(fresh)
        if len(rows) < batch:
            break
    top = Clock.objects.aggregate(top=Max("pk"))["top"] or 0
    GenerationCursor.objects.filter(name="revisit").update(position=min(max(position, cursor.position), top))
    return created


def generate_from_events(*, calendar_of: CalendarOf, batch: int = BATCH) -> tuple[int, int]:
    """The calls every new vehicle event asks for (service visit: 3 days; delivery: 3 and 7
    days), once per event and kind; events are taken in batches that concurrent workers skip.
    Returns (events read, follow-ups created)."""
    read = created = 0
    while True:
        with transaction.atomic():
            batch_events = list(
                VehicleEvent.objects.filter(generated_at__isnull=True)
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values("pk", "dealer_id", "customer_id", "vehicle_id", "kind", "happened_at", "assignee_id")[
                    :batch
                ]
            )
            if not batch_events:
                break
            fresh = []
            for e in batch_events:
                calendar = calendar_of(e["dealer_id"])
                for kind in KINDS_OF_EVENT[VehicleEventKind(e["kind"])]:
                    due = opening_of_working_day(calendar, e["happened_at"], DAYS_AFTER[kind])
                    fresh.append(
                        FollowUp(
                            dealer_id=e["dealer_id"],
                            kind=kind,
                            customer_id=e["customer_id"],
                            vehicle_id=e["vehicle_id"],
                            source_event_id=e["pk"],
                            planned_at=due,
                            due_at=due,
                            assignee_id=e["assignee_id"],
                        )
                    )
            event_ids = [e["pk"] for e in batch_events]
            FollowUp.objects.bulk_create(fresh, ignore_conflicts=True)
            VehicleEvent.objects.filter(pk__in=event_ids).update(generated_at=timezone.now())
            ids = list(FollowUp.objects.filter(source_event_id__in=event_ids).values_list("pk", flat=True))
            _open_work_items(ids)
            read += len(batch_events)
            created += len(fresh)
        if len(batch_events) < batch:
            break
    return read, created


# --- vehicle events (the DMS or the desk) ------------------------------------------------------


@dataclass
class VehicleEventInput:
    happened_at: datetime
    work: str = ""
    advisor: str = ""
    mileage_km: int | None = None
    external_ref: str = ""
    assignee_id: int | None = None


def record_vehicle_event(
    *, actor: User, vehicle_id: int, kind: str, data: VehicleEventInput, time_field: str
) -> tuple[VehicleEvent, bool]:
    """A service visit finished or a car delivered: the worker generates its calls. The same DMS
    number posted again is the same event (returned, False). 404 for a vehicle out of scope."""
    vehicle = Vehicle.objects.visible_to(actor).select_related("customer").filter(pk=vehicle_id).first()
    if vehicle is None:
        raise NotFound(_("No such vehicle."))
    if not has_capability(actor, Capability.WORK_FOLLOW_UPS):
        raise Forbidden(_("Your role cannot record service visits or deliveries."))
    dealer_id = vehicle.customer.dealer_id
    now = timezone.now()
    if timezone.is_naive(data.happened_at):
        data.happened_at = timezone.make_aware(data.happened_at)
    if data.happened_at > now + timedelta(minutes=5):
        raise InvalidInput(_("This is in the future."), fields={time_field: _("This is in the future.")})
    if data.happened_at < now - timedelta(days=365):
        message = _("More than a year ago: no follow-up call is due any more.")
        raise InvalidInput(message, fields={time_field: message})
    for name, limit in (("work", 200), ("advisor", 60), ("external_ref", 40)):
        if len(getattr(data, name)) > limit:
            message = _("At most %(n)d characters.") % {"n": limit}
            raise InvalidInput(message, fields={name: message})
    if data.mileage_km is not None and not 0 <= data.mileage_km <= 2_000_000:
        raise InvalidInput(
            _("Between 0 and 2,000,000."), fields={"mileage_km": _("Between 0 and 2,000,000.")}
        )
    if data.assignee_id is not None and not _desk_user(data.assignee_id, dealer_id):
        message = _("Not someone at this dealer's desk.")
        raise InvalidInput(message, fields={"assignee_id": message})
    ref = data.external_ref.strip()
    if ref:
        existing = VehicleEvent.objects.filter(dealer_id=dealer_id, kind=kind, external_ref=ref).first()
        if existing is not None:
            return existing, False
    with transaction.atomic():
        event = VehicleEvent.objects.create(
            dealer_id=dealer_id,
            vehicle=vehicle,
            customer_id=vehicle.customer_id,
            kind=kind,
            happened_at=data.happened_at,
            work=data.work.strip(),
            advisor=data.advisor.strip(),
            mileage_km=data.mileage_km,
            external_ref=ref,
            assignee_id=data.assignee_id,
            created_by=actor,
        )
        if data.mileage_km is not None and (vehicle.mileage_km or 0) < data.mileage_km:
            Vehicle.objects.filter(pk=vehicle.pk).update(mileage_km=data.mileage_km)
    return event, True


def _desk_user(user_id: int, dealer_id: int) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).select_related("organization").first()
    if user is None or user.role not in DESK_ROLES or user.organization is None:
        return False
    dealer = user.organization.dealer
    return dealer is not None and dealer.pk == dealer_id


# --- the outcome of a call -------------------------------------------------------------------------


@dataclass
class OutcomeInput:
    result: str
    satisfaction: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    comment: str = ""
    note: str = ""  # what happened (e.g. 无人接听, 关机)
    sms_text: str = ""  # the SMS instead of a call (default: the kind's text)
    early_reason: str = ""  # a revisit recorded before the next working day after the close
    version: int | None = None


@dataclass
class PendingOutcome:
    """A checked outcome, not yet written (the flow guards the SMS and records the revisit first)."""

    followup: FollowUp
    data: OutcomeInput
    answers: dict[str, Any]
    sms_text: str = ""

    @property
    def reached(self) -> bool:
        return self.data.result == Result.REACHED

    @property
    def lukewarm(self) -> bool:
        """A complaint's revisit that is not a close: 一般 / 不满意, or the problem not solved."""
        if self.followup.kind != FollowUpKind.REVISIT or not self.reached:
            return False
        return self.data.satisfaction in LUKEWARM or self.answers.get("problem_solved") == "no"


def _answer(step: scripts.Step, value: Any, name: str) -> Any:
    def bad(message: str) -> InvalidInput:
        return InvalidInput(f"{name}: {message}", fields={name: message})

    if value in (None, ""):
        return None
    if step.question == Question.YES_NO:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if value in ("yes", "no"):
            return value
        raise bad(_("One of: %(allowed)s.") % {"allowed": "yes, no"})
    if step.question == Question.RATING:
        if value not in Rating.values:
            raise bad(_("One of: %(allowed)s.") % {"allowed": ", ".join(Rating.values)})
        return value
    if step.question == Question.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
            raise bad(_("Give a whole number."))
        number = int(value)
        if number > 2_000_000:
            raise bad(_("Between 0 and 2,000,000."))
        return number
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise bad(_("At most %(n)d characters.") % {"n": MAX_TEXT})
    return text


def clean_answers(kind: str, answers: dict[str, Any]) -> dict[str, Any]:
    questions = scripts.script_for(kind).questions
    cleaned = {}
    for key, value in answers.items():
        name = f"answers.{key}"
        step = questions.get(key)
        if step is None:
            message = _("Not a question of this script.")
            raise InvalidInput(f"{name}: {message}", fields={name: message})
        answer = _answer(step, value, name)
        if answer is not None:
            cleaned[key] = answer
    return cleaned


def default_sms(followup: FollowUp, values: dict[str, str]) -> str:
    return scripts.render(
        "{customer}您好,我是{dealer}客户关系中心的{agent}。我们致电{purpose},未能联系上您。"
        "如有任何问题或建议,欢迎随时致电我们。祝您用车愉快!",
        {**values, "purpose": scripts.SMS_PURPOSE[followup.kind]},
    )


def check_outcome(*, actor: User, followup_id: int, data: OutcomeInput) -> PendingOutcome:
    """Lock the follow-up and check the outcome: 404 out of scope, 403 for a role that does not
    make calls, 409 on a closed follow-up, a fourth attempt, or an SMS/letter before three; 422
    naming the field (satisfaction when reached, an answer, consent to SMS)."""
    followup = get_followup(actor=actor, followup_id=followup_id, for_update=True)
    if not has_capability(actor, Capability.WORK_FOLLOW_UPS):
        raise Forbidden(_("Your role does not make follow-up calls."))
    if data.version is not None and data.version != followup.version:
        raise StaleVersion(_("Someone else recorded this call since you opened it; reload and try again."))
    if followup.state != FollowUpState.OPEN:
        message = _("This follow-up is %(state)s already.") % {"state": followup.get_state_display()}
        raise Conflict(message, fields={"state": message}, code="followup_closed")
    if data.result not in Result.values:
        message = _("One of: %(allowed)s.") % {"allowed": ", ".join(Result.values)}
        raise InvalidInput(message, fields={"result": message})
    exhausted = followup.attempts >= MAX_ATTEMPTS
    if data.result in (Result.REACHED, Result.NOT_REACHED) and exhausted:
        message = _("%(n)d calls did not reach the customer: send an SMS or a letter instead.") % {
            "n": MAX_ATTEMPTS
        }
        raise Conflict(
            message,
            fields={"result": message},
            code="attempts_exhausted",
            details={"plan": ["sms", "letter"]},
        )
    if data.result in (Result.SMS, Result.LETTER) and not exhausted:
        message = _(
            "Call first: an SMS or a letter replaces the call after %(n)d attempts (%(left)d left)."
        ) % {
            "n": MAX_ATTEMPTS,
            "left": MAX_ATTEMPTS - followup.attempts,
        }
        raise Conflict(message, fields={"result": message}, code="attempts_left")
    for name, limit in (("comment", MAX_TEXT), ("note", MAX_TEXT), ("early_reason", 500)):
        if len(getattr(data, name)) > limit:
            message = _("At most %(n)d characters.") % {"n": limit}
            raise InvalidInput(message, fields={name: message})
    answers: dict[str, Any] = {}
    if data.result == Result.REACHED:
        if not data.satisfaction:
            message = _("Ask the customer: very satisfied, satisfied, neutral or dissatisfied.")
            raise InvalidInput(message, fields={"satisfaction": message})
        if data.satisfaction not in Satisfaction.values:
            message = _("One of: %(allowed)s.") % {"allowed": ", ".join(Satisfaction.values)}
            raise InvalidInput(message, fields={"satisfaction": message})
        answers = clean_answers(followup.kind, data.answers or {})
    elif data.satisfaction or data.answers:
        message = _("Only a call that reached the customer has answers.")
        raise InvalidInput(message, fields={"satisfaction" if data.satisfaction else "answers": message})
    pending = PendingOutcome(followup=followup, data=data, answers=answers)
    if data.result == Result.SMS:
        customer = Customer.objects.get(pk=followup.customer_id)
        if not customer.consent_sms:
            message = _("The customer has not agreed to SMS: send a letter instead.")
            raise InvalidInput(message, fields={"consent_sms": message}, code="no_consent")
        text = data.sms_text.strip() or default_sms(followup, script_values(followup, actor))
        if len(text) > MAX_SMS:
            message = _("At most %(n)d characters.") % {"n": MAX_SMS}
            raise InvalidInput(message, fields={"sms_text": message})
        pending.sms_text = text
    return pending


def apply_outcome(*, actor: User, pending: PendingOutcome, at: datetime) -> FollowUp:
    """Write a checked outcome: the attempt, the follow-up's state and plan, its worklist item, the
    SMS (outbox), and a line on the complaint's timeline for a revisit."""
    followup, data = pending.followup, pending.data
    number = Attempt.objects.filter(followup=followup).count() + 1
    attempt = Attempt.objects.create(
        followup=followup,
        number=number,
        at=at,
        actor=actor,
        result=data.result,
        day_part=day_part_of(at),
        note=data.note.strip(),
    )
    fields = ["state", "due_at", "attempts", "fallback", "version"]
    if data.result == Result.NOT_REACHED:
        followup.attempts += 1
        if followup.attempts < MAX_ATTEMPTS:
            tried = set(
                Attempt.objects.filter(followup=followup, result=Result.NOT_REACHED).values_list(
                    "day_part", flat=True
                )
            )
            followup.due_at = next_attempt_at(at, tried)
        else:
            followup.due_at = at  # the plan now says: an SMS or a letter, today
        _reopen_item(followup)
    elif data.result == Result.REACHED:
        followup.state = FollowUpState.DONE
        followup.satisfaction = data.satisfaction
        followup.answers = pending.answers
        followup.comment = data.comment.strip()
        followup.completed_at, followup.completed_by = at, actor
        fields += ["satisfaction", "answers", "comment", "completed_at", "completed_by"]
        items.close_item(ref_model=REF_MODEL, ref_id=followup.pk, kind=WorkKind.FOLLOW_UP, by=actor)
    else:
        followup.state = FollowUpState.FAILED
        followup.fallback = Fallback.SMS if data.result == Result.SMS else Fallback.LETTER
        followup.completed_at, followup.completed_by = at, actor
        fields += ["completed_at", "completed_by"]
        if data.result == Result.SMS:
            customer = Customer.objects.get(pk=followup.customer_id)
            outbox.send_to_address(
                channel=Channel.SMS,
                target=customer.mobile,
                subject=scripts.script_for(followup.kind).title,
                body=pending.sms_text,
                key=f"followup:{followup.pk}:sms",
            )
            Attempt.objects.filter(pk=attempt.pk).update(note=pending.sms_text)
        items.close_item(ref_model=REF_MODEL, ref_id=followup.pk, kind=WorkKind.FOLLOW_UP, by=actor)
    followup.version += 1
    followup.save(update_fields=fields)
    if followup.complaint_id is not None:
        complaint = Complaint.objects.get(pk=followup.complaint_id)
        changes: dict[str, Any] = {"result": [None, data.result], "attempt": [None, number]}
        if data.result == Result.REACHED:
            changes["satisfaction"] = [None, data.satisfaction]
            if "problem_solved" in pending.answers:
                changes["problem_solved"] = [None, pending.answers["problem_solved"] == "yes"]
        note = (
            data.comment.strip() if data.result == Result.REACHED else (pending.sms_text or data.note.strip())
        )
        events.record_follow_up_call(
            complaint, actor, followup_id=followup.pk, kind=followup.kind, changes=changes, note=note
        )
    return followup


def link_call(*, followup: FollowUp, call_id: int) -> None:
    """The call log's record of the last attempt (kesu.calls)."""
    last = Attempt.objects.filter(followup=followup).order_by("-number").first()
    if last is not None:
        Attempt.objects.filter(pk=last.pk).update(call_id=call_id)


def _reopen_item(followup: FollowUp) -> None:
    customer = Customer.objects.only("name").get(pk=followup.customer_id)
    plate = Vehicle.objects.filter(pk=followup.vehicle_id or 0).values_list("plate", flat=True).first() or ""
    items.open_item(
        dealer_id=followup.dealer_id,
        kind=WorkKind.FOLLOW_UP,
        due_at=followup.due_at,
        subject=_subject(followup.kind, customer.name, plate),
        ref_model=REF_MODEL,
        ref_id=followup.pk,
        assignee_id=followup.assignee_id,
        complaint_id=followup.complaint_id,
        customer_id=followup.customer_id,
    )


# --- the script screen -------------------------------------------------------------------------


def script_values(followup: FollowUp, agent: User) -> dict[str, str]:
    """What the script's placeholders say for this follow-up, called by ``agent``."""
    customer = Customer.objects.select_related("dealer").get(pk=followup.customer_id)
    vehicle = Vehicle.objects.filter(pk=followup.vehicle_id or 0).first()
    event = VehicleEvent.objects.filter(pk=followup.source_event_id or 0).first()
    complaint = Complaint.objects.filter(pk=followup.complaint_id or 0).first()
    happened = event.happened_at if event else (complaint.closed_at if complaint else None)
    local = timezone.localtime(happened) if happened else None
    return {
        "customer": customer.name,
        "dealer": customer.dealer.name,
        "agent": str(agent),
        "vehicle": " ".join(p for p in ((vehicle.model_name, vehicle.plate) if vehicle else ()) if p),
        "date": f"{local.month}月{local.day}日" if local else "",
        "work": event.work if event else "",
        "advisor": event.advisor if event else "",
        "complaint": complaint.number if complaint else "",
        "tip": scripts.TIPS[timezone.localtime().month],
        "experience": scripts.EXPERIENCE[followup.kind],
    }


@dataclass(frozen=True)
class ScriptLine:
    key: str
    text: str
    question: str
    choices: tuple[tuple[str, str], ...]


def script_lines(followup: FollowUp, agent: User) -> list[ScriptLine]:
    values = script_values(followup, agent)
    return [
        ScriptLine(s.key, scripts.render(s.text, values), s.question, s.choices)
        for s in scripts.script_for(followup.kind).steps
    ]


@dataclass(frozen=True)
class Plan:
    """The retry plan as the screen shows it."""

    attempts: int
    attempts_left: int
    next_at: datetime | None
    next_part: str
    tried: list[str]
    fallback_due: bool  # three calls did not reach the customer: an SMS or a letter now
    sms_allowed: bool  # the customer agreed to SMS


def plan_of(followup: FollowUp) -> Plan:
    tried = list(
        Attempt.objects.filter(followup=followup, result=Result.NOT_REACHED)
        .order_by("number")
        .values_list("day_part", flat=True)
    )
    is_open = followup.state == FollowUpState.OPEN
    fallback_due = is_open and followup.attempts >= MAX_ATTEMPTS
    next_at = followup.due_at if is_open and not fallback_due else None
    consent = Customer.objects.filter(pk=followup.customer_id).values_list("consent_sms", flat=True).first()
    return Plan(
        attempts=followup.attempts,
        attempts_left=max(MAX_ATTEMPTS - followup.attempts, 0) if is_open else 0,
        next_at=next_at,
        next_part=day_part_of(next_at) if next_at else "",
        tried=tried,
        fallback_due=fallback_due,
        sms_allowed=bool(consent),
    )
