"""Calendars and policies for an organisation: looked up along dealer → region → manufacturer."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.complaints.choices import Category, Severity
from kesu.core.caches import ProcessCache
from kesu.core.errors import Forbidden, InvalidInput, one_of, raise_if
from kesu.organizations import tree
from kesu.organizations.choices import Role
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import may_configure

from .calendar import DEFAULT_WEEK, DayHours, WorkingCalendar, seconds_of, validate_day
from .choices import TargetUnit
from .models import BusinessHours, CalendarOverride, SlaPolicy

# Per-process caches of what every intake reads and almost nobody edits: calendars, ancestor
# chains and the current policies. An edit in this process clears them at once (signals, see
# apps.py); other processes see it within CACHE_TTL_SECONDS.
CACHE_TTL_SECONDS = 60
_CALENDARS: ProcessCache[int | None, WorkingCalendar] = ProcessCache("sla.calendars", ttl=CACHE_TTL_SECONDS)
_POLICIES: ProcessCache[int, list[SlaPolicy]] = ProcessCache("sla.policies", ttl=CACHE_TTL_SECONDS)


def _require_admin(actor: User, message: str) -> None:
    """Policies and calendars are edited by administrators only."""
    if not actor.is_kesu_admin:
        raise Forbidden(message)


def _require_configurer(actor: User, organization_id: int | None, message: str) -> None:
    """Hours and calendar dates: administrators anywhere; a dealer's general manager for their own
    dealer and its departments (kesu.organizations.permissions.may_configure)."""
    organization = Organization.objects.filter(pk=organization_id).first() if organization_id else None
    if not may_configure(actor, organization):
        raise Forbidden(message)


def org_chain(org_id: int | None) -> list[int]:
    """The organisation and its ancestors, nearest first (cached with the organisation tree)."""
    return [pk for pk, _code, _kind in tree.chain(org_id)]


def _weekly_for(chain: list[int]) -> tuple[DayHours, ...]:
    for org_id in chain:
        rows = list(BusinessHours.objects.filter(organization_id=org_id))
        if rows:
            days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
            for row in rows:
                days[row.weekday].append((seconds_of(row.opens), seconds_of(row.closes)))
            return tuple(validate_day(day) for day in days)
    return DEFAULT_WEEK


def _overrides_for(chain: list[int], weekly: tuple[DayHours, ...]) -> dict[date, DayHours]:
    overrides: dict[date, DayHours] = {}
    rows = CalendarOverride.objects.filter(organization_id__in=chain) | CalendarOverride.objects.filter(
        organization__isnull=True
    )
    # global first, then farther ancestors, so the nearest organisation's override wins
    rank: dict[int | None, int] = {org_id: position for position, org_id in enumerate(chain)}
    for row in sorted(rows, key=lambda r: -rank.get(r.organization_id, len(chain) + 1)):
        if not row.is_open:
            overrides[row.date] = ()
        elif row.opens and row.closes:
            overrides[row.date] = ((seconds_of(row.opens), seconds_of(row.closes)),)
        else:
            # open as usual that day; a day normally closed opens with ordinary weekday hours
            overrides[row.date] = weekly[row.date.weekday()] or next((h for h in weekly[:5] if h), ())
    return overrides


def calendar_for(org_id: int | None) -> WorkingCalendar:
    """The organisation's working calendar (cached briefly; edits clear this process's cache)."""
    cached = _CALENDARS.get(org_id)
    if cached is not None:
        return cached
    chain = org_chain(org_id)
    weekly = _weekly_for(chain)
    calendar = WorkingCalendar(weekly=weekly, overrides=_overrides_for(chain, weekly))
    return _CALENDARS.set(org_id, calendar)


def forget_calendars() -> None:
    """Drop this process's cached calendars, chains and policies (after an edit, in tests)."""
    _CALENDARS.clear()
    tree.forget()
    _POLICIES.clear()


def _current_policies(dealer_id: int, chain: list[int]) -> list[SlaPolicy]:
    cached = _POLICIES.get(dealer_id)
    if cached is not None:
        return cached
    policies = list(
        SlaPolicy.objects.filter(is_current=True).filter(organization_id__in=chain)
        | SlaPolicy.objects.filter(is_current=True, organization__isnull=True)
    )
    return _POLICIES.set(dealer_id, policies)


def due_after(calendar: WorkingCalendar, start: datetime, amount: int, unit: str) -> datetime:
    if unit == TargetUnit.WORKING_MINUTES:
        return calendar.add_working(start, timedelta(minutes=amount))
    if unit == TargetUnit.WORKING_DAYS:
        return calendar.add_working_days(start, amount)
    return start + timedelta(minutes=amount)


def warn_time(
    calendar: WorkingCalendar, start: datetime, due: datetime, unit: str, fraction: Decimal
) -> datetime:
    if unit == TargetUnit.CALENDAR_MINUTES:
        return start + (due - start) * float(fraction)
    span = calendar.working_between(start, due)
    return calendar.add_working(start, span * float(fraction))


def select_policy(*, dealer_id: int, severity: str, category: str, is_vip: bool) -> SlaPolicy:
    """The most specific current policy: nearest organisation first, then the most conditions."""
    chain = org_chain(dealer_id)
    candidates = _current_policies(dealer_id, chain)
    best: tuple[int, int, int] | None = None
    chosen: SlaPolicy | None = None
    for policy in candidates:
        if policy.severity and policy.severity != severity:
            continue
        if policy.category and policy.category != category:
            continue
        if policy.vip_only and not is_vip:
            continue
        depth = chain.index(policy.organization_id) if policy.organization_id in chain else len(chain)
        specificity = bool(policy.severity) + bool(policy.category) + policy.vip_only
        score = (-depth, specificity, policy.pk)
        if best is None or score > best:
            best, chosen = score, policy
    if chosen is None:
        chosen = ensure_default_policy()
        _POLICIES.pop(dealer_id)
    return chosen


DEFAULT_LADDER = [
    {"role": "service_manager", "after_minutes": 0},
    {"role": "general_manager", "after_minutes": 120},
    {"role": "region_manager", "after_minutes": 24 * 60},
    {"role": "crc_agent", "after_minutes": 48 * 60},
]


def ensure_default_policy() -> SlaPolicy:
    """2-3-7: reply in 2 working hours, close in 3 working days, revisit within 7 days."""
    policy = SlaPolicy.objects.filter(family="default", is_current=True).first()
    if policy is None:
        policy, _ = SlaPolicy.objects.get_or_create(
            family="default",
            version=1,
            defaults={"name": "2-3-7", "ladder": DEFAULT_LADDER},
        )
    return policy


POLICY_FIELDS = (
    "name",
    "severity",
    "category",
    "vip_only",
    "first_reply",
    "first_reply_unit",
    "resolution",
    "resolution_unit",
    "revisit",
    "revisit_unit",
    "decision",
    "decision_unit",
    "warning_fraction",
    "ladder",
)


def _validate_policy(values: dict[str, object]) -> None:
    errors: dict[str, str] = {}
    for name in ("first_reply", "resolution", "revisit", "decision"):
        amount = values.get(name)
        if not isinstance(amount, int) or amount <= 0:
            errors[name] = _("A target must be a whole number greater than zero.")
        if values.get(f"{name}_unit") not in TargetUnit.values:
            errors[f"{name}_unit"] = one_of(TargetUnit.values)
    fraction = values.get("warning_fraction")
    if not isinstance(fraction, Decimal) or not Decimal("0.05") <= fraction <= Decimal("0.99"):
        errors["warning_fraction"] = _("Warn between 5% and 99% of the target.")
    for name, allowed in (("severity", Severity.values), ("category", Category.values)):
        if values.get(name, "") not in ("", *allowed):  # blank: the policy applies to every one
            errors[name] = one_of(allowed, or_empty=True)
    ladder = values.get("ladder")
    if not isinstance(ladder, list) or not all(
        isinstance(step, dict)
        and isinstance(step.get("role"), str)
        and isinstance(step.get("after_minutes"), int)
        and step["after_minutes"] >= 0
        for step in ladder
    ):
        errors["ladder"] = _('A list of {"role": ..., "after_minutes": n ≥ 0}.')
    elif unknown := sorted({str(step["role"]) for step in ladder} - set(Role.values)):
        errors["ladder"] = _("Unknown role %(role)s; one of: %(allowed)s.") % {
            "role": ", ".join(unknown),
            "allowed": ", ".join(Role.values),
        }
    raise_if(errors)


@transaction.atomic
def save_policy_version(
    *, actor: User, family: str, organization_id: int | None, values: dict[str, object]
) -> SlaPolicy:
    """A new current version of a policy family; the previous version stays for its clocks."""
    _require_admin(actor, _("Only administrators edit SLA policies."))
    _validate_policy(values)
    current = SlaPolicy.objects.select_for_update().filter(family=family, is_current=True).first()
    version = 1
    if current is not None:
        version = current.version + 1
        SlaPolicy.objects.filter(pk=current.pk).update(is_current=False)
    fields = {name: values[name] for name in POLICY_FIELDS if name in values}
    return SlaPolicy.objects.create(
        family=family,
        version=version,
        organization_id=organization_id,
        created_by=actor,
        is_current=True,
        **fields,
    )


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_day(text: str) -> list[tuple[int, int]]:
    """ "08:30-12:00, 13:30-18:00" → [(30600, 43200), (48600, 64800)]; ValueError if malformed."""
    intervals = []
    for part in filter(None, (p.strip() for p in text.replace("，", ",").split(","))):
        try:
            start_text, end_text = (x.strip() for x in part.replace("–", "-").split("-"))
            start = datetime.strptime(start_text, "%H:%M").time()
            end = datetime.strptime(end_text, "%H:%M").time()
        except ValueError as exc:
            raise ValueError(_("Write hours as 08:30-12:00, 13:30-18:00.")) from exc
        intervals.append((seconds_of(start), seconds_of(end) if end.hour or end.minute else 86_400))
    return list(validate_day(intervals))


@transaction.atomic
def set_business_hours(*, actor: User, organization_id: int, days: dict[str, str]) -> None:
    """Replace an organisation's weekly hours; overlapping or reversed hours name the day."""
    _require_configurer(actor, organization_id, _("Only administrators edit business hours."))
    errors: dict[str, str] = {}
    parsed: dict[int, list[tuple[int, int]]] = {}
    for index, name in enumerate(WEEKDAYS):
        try:
            parsed[index] = parse_day(days.get(name, ""))
        except ValueError as exc:
            errors[name] = (
                str(exc) if "08:30" in str(exc) else _("Opening hours overlap or end before they start.")
            )
    raise_if(errors)
    BusinessHours.objects.filter(organization_id=organization_id).delete()
    rows = []
    for weekday, intervals in parsed.items():
        for start, end in intervals:
            rows.append(
                BusinessHours(
                    organization_id=organization_id,
                    weekday=weekday,
                    opens=_time_of(start),
                    closes=_time_of(min(end, 86_399)),
                )
            )
    BusinessHours.objects.bulk_create(rows)
    forget_calendars()


def _time_of(seconds: int) -> time:
    return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


@transaction.atomic
def add_override(
    *,
    actor: User,
    organization_id: int | None,
    day: date,
    is_open: bool,
    opens: time | None,
    closes: time | None,
    note: str,
) -> CalendarOverride:
    _require_configurer(actor, organization_id, _("Only administrators edit the calendar."))
    if is_open and bool(opens) != bool(closes):
        missing = "closes" if opens else "opens"
        raise InvalidInput(
            _("Give both opening and closing time, or neither for the usual hours."),
            fields={missing: _("Required with the other time.")},
        )
    if is_open and opens and closes and opens >= closes:
        raise InvalidInput(_("Closing time must be after opening."), fields={"closes": _("Before opening.")})
    # one override per organisation and date: saving the date again replaces it
    # organization_id=None matches the global row (IS NULL), as Django reads None in a lookup
    where: dict[str, Any] = {"organization_id": organization_id, "date": day}
    override, _created = CalendarOverride.objects.update_or_create(
        **where,
        defaults={
            "is_open": is_open,
            "opens": opens if is_open else None,
            "closes": closes if is_open else None,
            "note": note,
        },
    )
    forget_calendars()
    return override


@transaction.atomic
def remove_override(*, actor: User, override_id: int) -> None:
    override = CalendarOverride.objects.filter(pk=override_id).first()
    if override is None:
        return
    _require_configurer(actor, override.organization_id, _("Only administrators edit the calendar."))
    override.delete()
    forget_calendars()
