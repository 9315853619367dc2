"""The 2-3-7 clocks of a complaint: start, stop, pause, resume, and how they read right now.

Called from the complaint workflow (inside its transaction) and from the pages and API.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import events
from kesu.complaints.choices import EventKind, Status
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import get_complaint
from kesu.core.errors import Forbidden, InvalidInput
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability

from .calendar import WorkingCalendar
from .choices import ACTIVE_STATES, ClockKind, ClockState, TargetUnit
from .models import Breach, Clock, SlaPolicy
from .policies import calendar_for, due_after, select_policy, warn_time

# Which clocks an action stops, and which it starts. The written decision (书面答复, seed 002:
# within 7 days) is not stopped by the internal plan: only the written answer sent to the
# customer stops it (record_written_answer, from kesu.flows.letters), or the case ending.
STOPS: dict[str, tuple[str, ...]] = {
    "start_investigation": (ClockKind.FIRST_REPLY,),
    "propose_plan": (ClockKind.FIRST_REPLY,),
    "refuse": (ClockKind.FIRST_REPLY, ClockKind.DECISION, ClockKind.RESOLUTION),
    "close": (ClockKind.FIRST_REPLY, ClockKind.DECISION, ClockKind.RESOLUTION),
    # a manager closes a case the agent could not (a lukewarm rating, a major or crisis case)
    "decide_close": (ClockKind.FIRST_REPLY, ClockKind.DECISION, ClockKind.RESOLUTION),
    # back in handling: the new cycle's clocks replace the revisit of the closed one
    "reopen": (ClockKind.REVISIT,),
}
INTAKE_CLOCKS = (ClockKind.FIRST_REPLY, ClockKind.RESOLUTION, ClockKind.DECISION)
# The revisit is a call on a later day (seed 004's "7天内再次回访"): earliest this many working
# days after the close; earlier only with a reason, which the timeline keeps.
REVISIT_AFTER_WORKING_DAYS = 1


def _target(policy: SlaPolicy, kind: str) -> tuple[int, str]:
    return getattr(policy, kind), getattr(policy, f"{kind}_unit")


def _new_clock(
    complaint: Complaint,
    policy: SlaPolicy,
    kind: str,
    start: datetime,
    calendar: WorkingCalendar,
    cycle: int,
) -> Clock:
    amount, unit = _target(policy, kind)
    due = due_after(calendar, start, amount, unit)
    warn = warn_time(calendar, start, due, unit, policy.warning_fraction)
    return Clock(
        complaint=complaint,
        kind=kind,
        cycle=cycle,
        policy=policy,
        unit=unit,
        started_at=start,
        due_at=due,
        warn_at=warn,
        state=ClockState.RUNNING,
        next_check_at=min(warn, due),
    )


def _refresh_due(complaint: Complaint) -> None:
    """The queue orders by ``Complaint.due_at``: the earliest due time of a running clock (the
    revisit of a closed complaint included, so an overdue revisit call comes up first)."""
    due = Clock.objects.filter(
        complaint=complaint, state__in=ACTIVE_STATES, stopped_at__isnull=True
    ).aggregate(first=Min("due_at"))["first"]
    Complaint.objects.filter(pk=complaint.pk).update(due_at=due)
    complaint.due_at = due


def plan_clocks(
    complaint: Complaint,
    *,
    kinds: tuple[str, ...] = INTAKE_CLOCKS,
    start: datetime | None = None,
    cycle: int = 0,
    policy: SlaPolicy | None = None,
) -> list[Clock]:
    """The clocks ``complaint`` gets, unsaved (the complaint may be unsaved too), under
    ``policy`` or, for a new complaint, the policy that applies to it now."""
    policy = policy or select_policy(
        dealer_id=complaint.dealer_id,
        severity=complaint.severity,
        category=complaint.category,
        is_vip=complaint.customer.is_vip,
    )
    calendar = calendar_for(complaint.dealer_id)
    begin = start or complaint.received_at
    return [_new_clock(complaint, policy, kind, begin, calendar, cycle) for kind in kinds]


def earliest_due(clocks: list[Clock]) -> datetime | None:
    """What ``Complaint.due_at`` is for a complaint whose only clocks are these."""
    dues = [c.due_at for c in clocks if c.state in ACTIVE_STATES and c.stopped_at is None]
    return min(dues, default=None)


def _current(complaint: Complaint, kind: str) -> Clock | None:
    return Clock.objects.filter(complaint=complaint, kind=kind).order_by("-cycle").first()


def _starting_policy(complaint: Complaint) -> SlaPolicy | None:
    """The policy version the complaint started with: a complaint keeps it for every later clock
    (revisit, reopened cycles), whatever an admin has changed since."""
    first = Clock.objects.filter(complaint=complaint).order_by("cycle", "pk").select_related("policy").first()
    return first.policy if first is not None else None


def _stop(clock: Clock, at: datetime) -> None:
    if clock.stopped_at is not None:
        return
    late = (at - clock.due_at).total_seconds()
    if clock.state == ClockState.PAUSED:  # stopping a paused clock: judge by the time it had
        late = -1 if (clock.remaining_at_pause or 0) > 0 else late
    clock.stopped_at, clock.next_check_at = at, None
    if late > 0 or clock.state == ClockState.BREACHED:
        clock.state = ClockState.BREACHED
        breach, _created = Breach.objects.get_or_create(
            clock=clock,
            defaults={
                "complaint_id": clock.complaint_id,
                "kind": clock.kind,
                "policy_id": clock.policy_id,
                "due_at": clock.due_at,
                "detected_at": at,
                "overdue_seconds_at_detection": int(late),
            },
        )
        Breach.objects.filter(pk=breach.pk).update(final_overdue_seconds=max(int(late), 0))
    else:
        clock.state = ClockState.MET
    clock.save(update_fields=["state", "stopped_at", "next_check_at"])


def after_transition(complaint: Complaint, *, action: str, actor: User, at: datetime) -> None:
    """The workflow's hook: stop the clocks an action satisfies, start the next ones."""
    for kind in STOPS.get(action, ()):
        clock = _current(complaint, kind)
        if clock is not None and clock.stopped_at is None:
            _stop(clock, at)
            if kind == ClockKind.FIRST_REPLY:
                events.record(
                    complaint,
                    actor,
                    EventKind.FIRST_REPLY,
                    note=_("First customer-facing reply: the customer was told what happens next."),
                )
    kinds: tuple[str, ...] = ()
    if action in ("close", "decide_close"):
        resolution = _current(complaint, ClockKind.RESOLUTION)
        kinds, cycle = (ClockKind.REVISIT,), (resolution.cycle if resolution else 0)
    elif action == "reopen":
        previous = _current(complaint, ClockKind.RESOLUTION)
        kinds, cycle = (ClockKind.FIRST_REPLY, ClockKind.RESOLUTION), (previous.cycle + 1 if previous else 0)
    if kinds:  # later clocks keep the policy version the complaint started with
        policy = _starting_policy(complaint)
        Clock.objects.bulk_create(plan_clocks(complaint, kinds=kinds, start=at, cycle=cycle, policy=policy))
    _refresh_due(complaint)


def record_first_reply(*, complaint: Complaint, actor: User, at: datetime | None = None) -> None:
    """A customer-facing reply sent (e.g. from the reply composer) stops the first-reply clock."""
    clock = _current(complaint, ClockKind.FIRST_REPLY)
    if clock is not None and clock.stopped_at is None:
        _stop(clock, at or timezone.now())
        events.record(complaint, actor, EventKind.FIRST_REPLY, note=_("First customer-facing reply."))
        _refresh_due(complaint)


def record_written_answer(*, complaint: Complaint, at: datetime) -> bool:
    """The written answer (书面答复) reached the customer at ``at``: the decision clock of the
    current cycle stops (met, or breached if late). False when no decision clock was running.
    Call inside the caller's transaction (kesu.flows.letters)."""
    clock = _current(complaint, ClockKind.DECISION)
    if clock is None or clock.stopped_at is not None:
        return False
    _stop(clock, at)
    _refresh_due(complaint)
    return True


def revisit_earliest(complaint: Complaint) -> datetime | None:
    """The earliest time of the revisit call: the first opening of the next working day after
    the close (the dealer's Chinese working calendar), REVISIT_AFTER_WORKING_DAYS later. None if
    the complaint is not closed."""
    if complaint.closed_at is None:
        return None
    calendar = calendar_for(complaint.dealer_id)
    return calendar.opening_after_working_days(complaint.closed_at, REVISIT_AFTER_WORKING_DAYS)


@transaction.atomic
def record_revisit(*, actor: User, complaint_id: int, note: str, reason: str = "") -> Complaint:
    """The 7-day revisit call after closing was made: stops the revisit clock. It is a call on a
    later day — earliest the next working day after the close; earlier only with ``reason``."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not has_capability(actor, Capability.EDIT_COMPLAINT):
        raise Forbidden(_("Your role cannot record revisits."))
    if not note.strip():
        raise InvalidInput(_("Say what the customer said."), fields={"note": _("Required.")})
    clock = (
        Clock.objects.filter(complaint=complaint, kind=ClockKind.REVISIT, stopped_at__isnull=True)
        .order_by("-cycle")
        .first()
    )
    if clock is None:
        raise InvalidInput(
            _("No revisit is due: the complaint must be closed first."),
            fields={"complaint": _("No open revisit.")},
        )
    now = timezone.now()
    earliest = revisit_earliest(complaint)
    early = earliest is not None and now < earliest
    if early and not reason.strip():
        message = _(
            "The revisit call is made on a later day: earliest %(earliest)s. To record it earlier, "
            "give the reason."
        ) % {"earliest": timezone.localtime(earliest).strftime("%Y-%m-%d %H:%M")}
        raise InvalidInput(message, fields={"reason": message}, code="revisit_too_early")
    _stop(clock, now)
    changes = {"early_reason": [None, reason.strip()]} if early else {}
    events.record(complaint, actor, EventKind.REVISIT, note=note.strip(), changes=changes)
    _refresh_due(complaint)
    return complaint


@transaction.atomic
def pause(*, actor: User, complaint_id: int, reason: str) -> Complaint:
    """Stop the clocks while waiting for the customer or the manufacturer (reason logged)."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not has_capability(actor, Capability.EDIT_COMPLAINT):
        raise Forbidden(_("Your role cannot pause clocks."))
    if not reason.strip():
        raise InvalidInput(_("Say why the clocks stop."), fields={"reason": _("Required.")})
    now = timezone.now()
    calendar = calendar_for(complaint.dealer_id)
    running = list(
        Clock.objects.filter(complaint=complaint, stopped_at__isnull=True, state__in=ACTIVE_STATES)
    )
    if not running:
        raise InvalidInput(_("No clock is running."), fields={"reason": _("Nothing to pause.")})
    for clock in running:
        clock.remaining_at_pause = _remaining(clock, calendar, now).total_seconds()
        clock.state_before_pause, clock.state = clock.state, ClockState.PAUSED
        clock.paused_at, clock.next_check_at = now, None
        clock.save(
            update_fields=[
                "remaining_at_pause",
                "state_before_pause",
                "state",
                "paused_at",
                "next_check_at",
            ]
        )
    events.record(
        complaint,
        actor,
        EventKind.PAUSED,
        note=reason.strip(),
        changes={"clocks": [c.kind for c in running]},
    )
    _refresh_due(complaint)
    return complaint


@transaction.atomic
def resume(*, actor: User, complaint_id: int, note: str = "") -> Complaint:
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not has_capability(actor, Capability.EDIT_COMPLAINT):
        raise Forbidden(_("Your role cannot resume clocks."))
    paused = list(Clock.objects.filter(complaint=complaint, state=ClockState.PAUSED, stopped_at__isnull=True))
    if not paused:
        raise InvalidInput(_("The clocks are not paused."), fields={"complaint": _("Not paused.")})
    now = timezone.now()
    calendar = calendar_for(complaint.dealer_id)
    for clock in paused:
        before = clock.state_before_pause or ClockState.RUNNING
        left = timedelta(seconds=max(clock.remaining_at_pause or 0, 0))
        if before != ClockState.BREACHED and left > timedelta(0):
            working = clock.unit != TargetUnit.CALENDAR_MINUTES
            new_due = calendar.add_working(now, left) if working else now + left
            if before == ClockState.RUNNING:  # the warning moves with the deadline
                clock.warn_at = new_due - (clock.due_at - clock.warn_at)
            clock.due_at = new_due
        clock.state = before
        clock.paused_at, clock.remaining_at_pause, clock.state_before_pause = None, None, ""
        next_check: dict[str, datetime] = {ClockState.BREACHED: now, ClockState.WARNING: clock.due_at}
        clock.next_check_at = next_check.get(before, min(clock.warn_at, clock.due_at))
        clock.save()
    events.record(complaint, actor, EventKind.RESUMED, note=note.strip())
    _refresh_due(complaint)
    return complaint


def _remaining(clock: Clock, calendar: WorkingCalendar, now: datetime) -> timedelta:
    if clock.unit == TargetUnit.CALENDAR_MINUTES:
        return clock.due_at - now
    return calendar.working_between(now, clock.due_at)


@dataclass(frozen=True)
class ClockReading:
    """``remaining_seconds`` is real time until ``due_at`` (negative once late; for a stopped
    clock, how early or late it stopped), so it always agrees with the due time shown. A working-
    time clock also gives ``remaining_working_seconds``: the open hours left. A paused clock has
    no due time running: both are what was left when it was paused."""

    kind: str
    due_at: datetime
    state: str
    remaining_seconds: int
    started_at: datetime
    stopped_at: datetime | None
    remaining_working_seconds: int | None = None


def read_clock(clock: Clock, calendar: WorkingCalendar, now: datetime) -> ClockReading:
    """How a clock reads right now — live, even if the sweep has not run yet."""
    working_unit = clock.unit != TargetUnit.CALENDAR_MINUTES
    working: int | None = None
    if clock.state == ClockState.PAUSED:
        state, remaining = ClockState.PAUSED, int(clock.remaining_at_pause or 0)
        working = remaining if working_unit else None
    elif clock.stopped_at is not None:
        state = ClockState.BREACHED if clock.state == ClockState.BREACHED else ClockState.MET
        remaining = int((clock.due_at - clock.stopped_at).total_seconds())
        if working_unit:
            working = int(calendar.working_between(clock.stopped_at, clock.due_at).total_seconds())
    else:
        remaining = int((clock.due_at - now).total_seconds())
        if working_unit:
            working = int(calendar.working_between(now, clock.due_at).total_seconds())
        if now >= clock.due_at or clock.state == ClockState.BREACHED:
            state = ClockState.BREACHED
        elif now >= clock.warn_at:
            state = ClockState.WARNING
        else:
            state = ClockState.RUNNING
    return ClockReading(
        kind=clock.kind,
        due_at=clock.due_at,
        state=state,
        remaining_seconds=remaining,
        started_at=clock.started_at,
        stopped_at=clock.stopped_at,
        remaining_working_seconds=working,
    )


def readings(complaint: Complaint, now: datetime | None = None) -> list[ClockReading]:
    """The current cycle's clocks of a complaint, in 2-3-7 order."""
    now = now or timezone.now()
    calendar = calendar_for(complaint.dealer_id)
    latest: dict[str, Clock] = {}
    for clock in Clock.objects.filter(complaint=complaint).order_by("cycle"):
        latest[clock.kind] = clock
    order = [ClockKind.FIRST_REPLY, ClockKind.RESOLUTION, ClockKind.REVISIT, ClockKind.DECISION]
    return [read_clock(latest[k], calendar, now) for k in order if k in latest]


def is_overdue(complaint: Complaint, now: datetime | None = None) -> bool:
    """Some clock is past due: handling, or the revisit call after closing."""
    if complaint.due_at is None or complaint.due_at > (now or timezone.now()):
        return False
    return complaint.status != Status.REFUSED  # a closed complaint can owe its revisit call


def _duration_text(seconds: int) -> str:
    minutes = abs(seconds) // 60
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        text = _("%(d)dd %(h)dh") % {"d": days, "h": hours}
    elif hours:
        text = _("%(h)dh %(m)dm") % {"h": hours, "m": mins}
    else:
        text = _("%(m)dm") % {"m": mins}
    return text if seconds >= 0 else _("%(t)s late") % {"t": text}


def _remaining_text(reading: ClockReading) -> str:
    if reading.stopped_at is None or reading.remaining_seconds < 0:
        return _duration_text(reading.remaining_seconds)  # stopped late: by how much
    return "—"


@dataclass(frozen=True)
class BreachFact:
    kind: str
    label: str
    due_at: datetime
    detected_at: datetime
    overdue_seconds: int  # at detection, or final once the clock stopped
    final: bool
    overdue_text: str


def breaches_of(complaint: Complaint) -> list[BreachFact]:
    """The deadlines this complaint missed, as recorded when they were missed."""
    facts = []
    for breach in Breach.objects.filter(complaint=complaint).order_by("due_at", "pk"):
        final = breach.final_overdue_seconds is not None
        seconds = breach.final_overdue_seconds if final else breach.overdue_seconds_at_detection
        facts.append(
            BreachFact(
                kind=breach.kind,
                label=str(ClockKind(breach.kind).label),
                due_at=breach.due_at,
                detected_at=breach.detected_at,
                overdue_seconds=int(seconds or 0),
                final=final,
                overdue_text=_duration_text(-int(seconds or 0)),
            )
        )
    return facts


def panel(complaint: Complaint) -> dict[str, object]:
    """What the complaint page shows about the clocks."""
    clocks = readings(complaint)
    rows = [
        {
            "kind": r.kind,
            "label": ClockKind(r.kind).label,
            "state": r.state,
            "state_label": ClockState(r.state).label,
            "due_at": r.due_at,
            "remaining": _remaining_text(r),
        }
        for r in clocks
    ]
    return {
        "clocks": rows,
        "breaches": breaches_of(complaint),
        "any_paused": any(r.state == ClockState.PAUSED for r in clocks),
        "any_running": any(
            r.stopped_at is None and r.state != ClockState.PAUSED and r.kind != ClockKind.REVISIT
            for r in clocks
        ),
        "revisit_open": any(r.kind == ClockKind.REVISIT and r.stopped_at is None for r in clocks),
        **_revisit_panel(complaint),
    }


def _revisit_panel(complaint: Complaint) -> dict[str, object]:
    """When the revisit call may be made: a call before then needs a reason."""
    earliest = revisit_earliest(complaint)
    return {"revisit_earliest": earliest, "revisit_early": earliest is not None and timezone.now() < earliest}


URGENCY = {ClockState.BREACHED: 0, ClockState.WARNING: 1, ClockState.RUNNING: 2, ClockState.PAUSED: 3}


def queue_badges(complaints: list[Complaint], now: datetime | None = None) -> dict[int, dict[str, object]]:
    """For a page of the work queue: each complaint's most urgent running clock (one query)."""
    now = now or timezone.now()
    best: dict[int, ClockReading] = {}
    open_clocks = Clock.objects.filter(complaint__in=complaints, stopped_at__isnull=True)
    dealers = {c.pk: c.dealer_id for c in complaints}
    for clock in open_clocks:
        reading = read_clock(clock, calendar_for(dealers[clock.complaint_id]), now)
        current = best.get(clock.complaint_id)
        if current is None or (URGENCY[ClockState(reading.state)], reading.due_at) < (
            URGENCY[ClockState(current.state)],
            current.due_at,
        ):
            best[clock.complaint_id] = reading
    return {
        complaint_id: {
            "state": r.state,
            "label": ClockState(r.state).label,
            "kind": ClockKind(r.kind).label,
            "remaining": _duration_text(r.remaining_seconds),
        }
        for complaint_id, r in best.items()
    }
