"""Several sweep threads share one sweep's batches (PostgreSQL): each due clock is handled once.

Committed data (transaction=True): the threads have connections of their own and see only what
is committed. On SQLite the sweep runs its batches one after the other; the outcome must be the
same."""

from datetime import datetime

import pytest

from kesu.notifications.models import Notification
from kesu.sla.calendar import SHANGHAI
from kesu.sla.sweep import sweep

from .crashkit import report, seed

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=SHANGHAI)


def test_three_threads_handle_every_due_clock_once():
    seed(30)  # 30 complaints, 90 clocks, all long overdue at NOW
    handled = sweep(now=NOW, batch_size=7, threads=3)
    result = report()
    assert handled >= 90 and result["clocks"] == 90
    assert result["breached_clocks"] == result["breaches"] == result["breach_entries"] == 90
    assert result["duplicate_steps"] == 0 and result["due_clocks_left"] == 0
    keys = list(Notification.objects.values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys)) > 90  # everybody told once, some of them of several clocks
    assert sweep(now=NOW, batch_size=7, threads=3) == 0  # nothing left for a second run
    assert report() == result
