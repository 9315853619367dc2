"""The SLA sweep and due-rate benchmarks, run small: they must arrange, check and restore exactly.

No timing is asserted here (timings are measured by bench/sla_sweep.py and bench/due_rate.py and
never pass or fail).
"""

import random
from datetime import datetime, timedelta

import pytest

from bench import due_rate, sla_sweep
from bench.generate import Options, generate
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.notifications.models import Delivery, Notification
from kesu.sla.calendar import default_calendar
from kesu.sla.choices import ClockState
from kesu.sla.models import Breach, Clock, EscalationStep

NOW = datetime.fromisoformat(sla_sweep.DEFAULT_NOW)


def _clock_state() -> list[tuple[object, ...]]:
    return list(Clock.objects.order_by("pk").values_list("pk", *sla_sweep.RESTORED))


def _counts() -> tuple[int, ...]:
    models = (Breach, EscalationStep, Notification, Delivery, TimelineEntry)
    return tuple(m.objects.count() for m in models)


@pytest.fixture
def clocks(db: None) -> int:
    options = Options(complaints=60, regions=1, dealers_per_region=2, agents_per_dealer=1, years=1,
                      seed=5, batch=50, quiet=True)  # fmt: skip
    generate(options)
    return int(sla_sweep.setup_clocks(NOW, seed=1, quiet=True)["clocks"])


def test_setup_puts_three_running_clocks_per_complaint_none_due(clocks: int) -> None:
    assert clocks == Clock.objects.count() == 3 * Complaint.objects.count()
    assert not Clock.objects.filter(next_check_at__lte=NOW).exists()
    assert set(Clock.objects.values_list("state", flat=True)) == {ClockState.RUNNING}
    assert not Clock.objects.filter(next_check_at__isnull=True).exists()
    for clock in Clock.objects.all()[:30]:
        assert clock.started_at < NOW < clock.next_check_at == min(clock.warn_at, clock.due_at)


def test_a_run_sweeps_exactly_the_arranged_clocks_and_restores_everything(clocks: int) -> None:
    before, counts = _clock_state(), _counts()
    result = sla_sweep.timed_sweep(20, NOW, random.Random(3))
    checked = result["checked"]
    assert checked["handled"] == 20 and checked["still_due"] == 0
    assert checked["breaches"] == checked["escalation_steps"] == 10
    assert checked["notifications"] > 0 and checked["timeline_entries"] >= 20  # breach + escalation
    assert result["queries"] > 0
    assert _clock_state() == before
    assert _counts() == counts
    assert not Clock.objects.filter(next_check_at__lte=NOW).exists()


def test_explain_sweep_rolls_back(clocks: int) -> None:
    before, counts = _clock_state(), _counts()
    _text, summary = sla_sweep.explain_sweep(8, NOW, random.Random(4), profile=False)
    assert summary["handled"] == 8 and summary["queries"] > 0
    assert _clock_state() == before and _counts() == counts


def test_percentile_is_nearest_rank() -> None:
    assert sla_sweep.percentile([5.0, 1.0, 3.0], 0.95) == 5.0
    assert sla_sweep.percentile([float(v) for v in range(1, 21)], 0.95) == 19.0


def test_due_rate_starts_cover_the_year_and_results_are_open_times() -> None:
    starts = due_rate.start_times(2025, 3000, seed=1)
    facts = due_rate.describe(starts)
    assert facts["distinct_days"] > 300 and facts["on_statutory_holiday"] > 0
    calendar = default_calendar()
    for scenario in due_rate.scenarios(default_calendar)[:2]:
        for start in starts[:500]:
            due = scenario.call(start)
            assert due > start
            assert calendar.is_open(due) or calendar.is_open(due - timedelta(seconds=1))
    rows = due_rate.run(due_rate.scenarios(due_rate.lunch_calendar), starts[:200], repeats=2, warmup=10)
    assert [r["median_per_s"] > 0 for r in rows] == [True] * 4
