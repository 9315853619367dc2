"""Complaints for the reports tests, built through the real flows (the demo's builder)."""

import random
from collections import Counter
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from kesu.complaints.models import Complaint
from kesu.demo.builder import DemoOrg, build_complaint
from kesu.demo.cases import SEED_CASES, VARIATIONS
from kesu.reports.facts import month_of
from kesu.sla.models import Clock

STATUSES = ("received", "investigating", "closed", "follow_up", "escalated", "refused", "reopened")


def build_some(demo: DemoOrg, count: int = 9, *, seed: int = 7, days_ago: float = 0.2) -> list[Complaint]:
    rng = random.Random(seed)
    cases = list(SEED_CASES) + list(VARIATIONS)
    return [
        build_complaint(
            demo,
            rng,
            dealer_index=1 + index % 3,
            case=cases[index % len(cases)],
            status=STATUSES[index % len(STATUSES)],
            days_ago=days_ago + index * 0.01,
        )
        for index in range(count)
    ]


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime(month.year, month.month, 1))
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, timezone.make_aware(datetime(following.year, following.month, 1))


def direct_counts(complaints: Any, month: date) -> dict[str, Any]:
    """What the dashboard should say, counted straight from the complaints (no facts)."""
    start, end = month_bounds(month)
    mine = complaints.filter(received_at__gte=start, received_at__lt=end)
    now = timezone.now()
    clocks = Clock.objects.filter(complaint__in=mine, cycle=0).exclude(state="paused")
    compliance = {}
    for kind in ("first_reply", "resolution", "revisit", "decision"):
        these = clocks.filter(kind=kind)
        met = sum(1 for c in these if c.stopped_at is not None and c.stopped_at <= c.due_at)
        missed = sum(
            1
            for c in these
            if (c.stopped_at is not None and c.stopped_at > c.due_at)
            or (c.stopped_at is None and c.due_at < now)
        )
        compliance[kind] = (met, missed)
    return {
        "total": mine.count(),
        "category": Counter(mine.values_list("category", flat=True)),
        "channel": Counter(mine.values_list("channel", flat=True)),
        "dealer": Counter(mine.values_list("dealer_id", flat=True)),
        "department": Counter(mine.values_list("department_id", flat=True)),
        "model": Counter(m or "" for m in mine.values_list("vehicle__model_name", flat=True)),
        "fault_area": Counter(f or "" for f in mine.values_list("insight__fault_area", flat=True)),
        "severity": Counter(mine.values_list("severity", flat=True)),
        "open": complaints.open().count(),
        "compliance": compliance,
    }


def shown(figures: dict[str, Any]) -> dict[str, Any]:
    """The same figures as the dashboard's JSON gives them."""
    volume = figures["volume"]
    return {
        "total": figures["totals"]["this"],
        **{
            key: Counter(
                {
                    item["key"] if item["key"] != "" or key != "department" else None: item["this"]
                    for item in volume[key]
                    if item["this"]
                }
            )
            for key in ("category", "channel", "dealer", "department", "model", "fault_area", "severity")
        },
        "open": sum(item["count"] for item in figures["backlog"]),
        "compliance": {item["key"]: (item["met"], item["missed"]) for item in figures["compliance"]},
    }


def this_month() -> date:
    return month_of(timezone.now())
