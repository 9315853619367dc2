"""``insert_with_children``: the intake's one-statement write (PostgreSQL) must leave in the
database exactly what the instances say, and nothing at all when any row fails."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.core.bulk import insert_with_children
from kesu.insights.models import Suggestion
from kesu.sla.models import Clock

AUTO_TIMES = {"created_at", "updated_at"}  # set by pre_save at write time, checked separately


def _db_row(obj: models.Model) -> dict[str, Any]:
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in obj._meta.concrete_fields}


def _memory_row(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _same(obj: models.Model) -> None:
    stored, held = _db_row(obj), _memory_row(obj)
    assert {k: v for k, v in stored.items() if k not in AUTO_TIMES} == {
        k: v for k, v in held.items() if k not in AUTO_TIMES
    }, type(obj).__name__
    for name in AUTO_TIMES & stored.keys():
        assert stored[name] is not None and abs(stored[name] - timezone.now()) < timedelta(minutes=1)


def test_an_intake_stores_every_field_the_instances_hold(demo):
    """Complaint, clocks, first timeline entry and suggestion, as read back from the database."""
    complaint = make_complaint(
        demo, demands=["return", "compensation"], facts="三次维修记录", severity="serious"
    )
    clocks = list(Clock.objects.filter(complaint=complaint))
    assert {c.kind for c in clocks} == {"first_reply", "decision", "resolution"}
    _same(complaint)
    assert complaint.demands == ["compensation", "return"]
    for clock in clocks:
        _same(clock)
    entry = TimelineEntry.objects.get(complaint=complaint)
    assert (entry.kind, entry.to_status, entry.actor_id) == ("created", "received", demo.users["agent1"].pk)
    suggestion = Suggestion.objects.get(complaint=complaint)
    assert suggestion.links_pending and suggestion.analysis and suggestion.fault_area == "brakes"


def _unsaved_complaint(demo: Any, number: str, verbatim: str) -> Complaint:
    customer = make_customer(demo)
    return Complaint(
        number=number,
        dealer_id=customer.dealer_id,
        channel="phone",
        received_at=timezone.now(),
        customer=customer,
        received_by=demo.users["agent1"],
        verbatim=verbatim,
    )


def test_instances_get_their_primary_keys(demo):
    complaint = _unsaved_complaint(demo, "KS-TEST-000001", "空调不制冷")
    entry = TimelineEntry(complaint=complaint, kind="created", to_status="received", note="空调不制冷")
    insert_with_children(complaint, [("complaint", entry)])
    assert complaint.pk and entry.pk and entry.complaint_id == complaint.pk
    assert not complaint._state.adding and not entry._state.adding
    _same(complaint)
    _same(entry)


def test_nothing_is_written_when_one_row_fails(demo):
    """Two suggestions for one complaint break its one-to-one: the complaint is not written."""
    complaint = _unsaved_complaint(demo, "KS-TEST-000002", "变速箱异响")
    twice = [("complaint", Suggestion(complaint=complaint)), ("complaint", Suggestion(complaint=complaint))]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_with_children(complaint, twice)
    assert not Complaint.objects.filter(number="KS-TEST-000002").exists()
    assert not Suggestion.objects.filter(complaint__number="KS-TEST-000002").exists()
