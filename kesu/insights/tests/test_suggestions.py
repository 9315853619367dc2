"""Suggestions: stored at intake from the customer's words, accepted or corrected by agents (the
organisation's training data, and an edit of the complaint like any other), analysed again on
demand without undoing what agents decided."""

from typing import Any

import pytest
from django.utils import translation

from kesu import flows
from kesu.complaints.models import Complaint
from kesu.core.errors import Forbidden, InvalidInput, NotFound, StaleVersion
from kesu.insights import services
from kesu.insights.models import ClassificationFeedback, Suggestion

from .conftest import customer, make_complaint

pytestmark = pytest.mark.django_db

BRAKES = "刹车踩下去有吱吱的异响，刚换的刹车片，开了不到一百公里又响了"
GEARBOX = "变速箱换挡顿挫，低速时一顿一顿的，担心开久了出问题"
RECEPTION = "服务顾问态度很差，接待的时候爱理不理，问什么都说不清楚"


def complaint_at(demo, dealer: int = 1, text: str = BRAKES, n: int = 1, **extra: Any) -> Complaint:
    return make_complaint(demo, dealer, verbatim=text, customer=customer(demo, dealer, n), **extra)


def snapshot(complaint: Complaint) -> tuple[object, ...]:
    """What a reader of the complaint and its suggestion would see change."""
    complaint.refresh_from_db()
    suggestion = Suggestion.objects.get(complaint=complaint)
    return (
        complaint.version,
        complaint.category,
        complaint.severity,
        complaint.timeline.count(),
        suggestion.fault_area,
        suggestion.decisions,
        ClassificationFeedback.objects.filter(complaint=complaint).count(),
    )


# --- stored at intake ---------------------------------------------------------------------------


def test_intake_stores_what_the_customers_words_suggest(demo):
    brakes = complaint_at(demo, text=BRAKES, n=1)
    reception = complaint_at(demo, text=RECEPTION, n=2)
    s = services.suggestion_for(actor=demo.users["agent1"], complaint_id=brakes.pk)
    assert (s.category, s.fault_area) == ("product", "brakes")
    assert s.source == "rules" and s.model_version == ""
    assert s.category_confidence > 0.5 and s.fault_area_confidence > 0.5
    assert "刹车" in s.analysis["fault_area"][0]["words"]
    other = services.suggestion_for(actor=demo.users["agent1"], complaint_id=reception.pk)
    assert other.category == "reception" and other.fault_area == ""
    # the agent's own record is not touched by a suggestion
    brakes.refresh_from_db()
    assert brakes.category == ""


def test_a_complaint_without_a_suggestion_is_analysed_when_first_read(demo):
    complaint = complaint_at(demo, text=GEARBOX)
    Suggestion.objects.filter(complaint=complaint).delete()  # e.g. registered before insights existed
    s = services.suggestion_for(actor=demo.users["manager1"], complaint_id=complaint.pk)
    assert s.fault_area == "transmission"
    assert Suggestion.objects.filter(complaint=complaint).count() == 1


def test_suggestions_of_another_dealers_complaint_are_not_found(demo):
    complaint = complaint_at(demo, 1)
    with pytest.raises(NotFound):
        services.suggestion_for(actor=demo.users["agent2"], complaint_id=complaint.pk)
    assert (
        services.suggestion_for(actor=demo.users["agent1"], complaint_id=complaint.pk).fault_area == "brakes"
    )


# --- accept or correct ----------------------------------------------------------------------


def test_accepting_the_suggested_category_sets_it_and_records_an_acceptance(demo):
    complaint = complaint_at(demo)
    version = complaint.version
    with translation.override("en"):
        suggestion, updated = flows.decide(
            actor=demo.users["agent1"],
            complaint_id=complaint.pk,
            field="category",
            chosen="product",
            expected_version=version,
        )
    assert updated.category == "product"
    assert updated.version == version + 1
    entry = updated.timeline.filter(changes__has_key="category").get()
    assert entry.changes["category"] == ["", "product"]
    assert "accepted" in entry.note.lower()
    feedback = ClassificationFeedback.objects.get(complaint=complaint)
    assert (feedback.field, feedback.suggested, feedback.chosen) == ("category", "product", "product")
    assert not feedback.is_correction
    assert feedback.user == demo.users["agent1"]
    assert 0 < feedback.confidence <= 1
    assert suggestion.decisions["category"]["chosen"] == "product"
    assert suggestion.decisions["category"]["user"] == demo.users["agent1"].pk


def test_correcting_a_suggestion_records_what_was_suggested_and_what_was_chosen(demo):
    complaint = complaint_at(demo)
    with translation.override("en"):
        _, updated = flows.decide(
            actor=demo.users["agent1"], complaint_id=complaint.pk, field="category", chosen="repair_quality"
        )
    assert updated.category == "repair_quality"
    entry = updated.timeline.filter(changes__has_key="category").get()
    assert "corrected" in entry.note.lower()
    feedback = ClassificationFeedback.objects.get(complaint=complaint)
    assert (feedback.suggested, feedback.chosen) == ("product", "repair_quality")
    assert feedback.is_correction


@pytest.mark.parametrize(
    "field, chosen",
    [("nature", "claim"), ("severity", "serious"), ("emotion", "angry"), ("category", "parts")],
)
def test_every_complaint_field_can_be_corrected(demo, field, chosen):
    complaint = complaint_at(demo)
    _, updated = flows.decide(
        actor=demo.users["manager1"], complaint_id=complaint.pk, field=field, chosen=chosen
    )
    updated.refresh_from_db()
    assert getattr(updated, field) == chosen
    assert ClassificationFeedback.objects.filter(complaint=complaint, field=field, chosen=chosen).exists()


def test_the_fault_area_lives_on_the_suggestion_and_survives_reanalysis(demo):
    complaint = complaint_at(demo)
    agent = demo.users["agent1"]
    version = complaint.version
    suggestion, updated = flows.decide(
        actor=agent, complaint_id=complaint.pk, field="fault_area", chosen="suspension"
    )
    assert suggestion.fault_area == "suspension"
    assert updated.version == version  # not a field of the complaint record
    again = flows.reanalyse(actor=agent, complaint_id=complaint.pk)
    assert again.fault_area == "suspension"
    assert again.decisions["fault_area"]["chosen"] == "suspension"
    # a second correction still remembers what the words suggested
    flows.decide(actor=agent, complaint_id=complaint.pk, field="fault_area", chosen="")
    feedback = list(ClassificationFeedback.objects.filter(complaint=complaint, field="fault_area"))
    assert [(f.suggested, f.chosen) for f in feedback] == [("brakes", "suspension"), ("brakes", "")]
    assert Suggestion.objects.get(complaint=complaint).fault_area == ""


def test_a_decided_category_stays_on_the_complaint_after_reanalysis(demo):
    complaint = complaint_at(demo)
    agent = demo.users["agent1"]
    flows.decide(actor=agent, complaint_id=complaint.pk, field="category", chosen="repair_quality")
    flows.reanalyse(actor=agent, complaint_id=complaint.pk)
    complaint.refresh_from_db()
    assert complaint.category == "repair_quality"


@pytest.mark.parametrize(
    "field, chosen, named",
    [("colour", "red", "field"), ("category", "wheels", "chosen"), ("fault_area", "product", "chosen")],
)
def test_unknown_fields_and_values_are_refused_and_nothing_changes(demo, field, chosen, named):
    complaint = complaint_at(demo)
    before = snapshot(complaint)
    with pytest.raises(InvalidInput) as caught:
        flows.decide(actor=demo.users["agent1"], complaint_id=complaint.pk, field=field, chosen=chosen)
    assert named in caught.value.fields
    assert snapshot(complaint) == before
    flows.decide(actor=demo.users["agent1"], complaint_id=complaint.pk, field="category", chosen="parts")
    assert snapshot(complaint) != before


def test_a_stale_version_is_refused_and_nothing_changes(demo):
    complaint = complaint_at(demo)
    stale = complaint.version
    flows.update_complaint(
        actor=demo.users["manager1"],
        complaint_id=complaint.pk,
        expected_version=stale,
        changes={"facts": "客户第二次来电"},
    )
    before = snapshot(complaint)
    with pytest.raises(StaleVersion):
        flows.decide(
            actor=demo.users["agent1"],
            complaint_id=complaint.pk,
            field="category",
            chosen="product",
            expected_version=stale,
        )
    assert snapshot(complaint) == before
    _, updated = flows.decide(
        actor=demo.users["agent1"],
        complaint_id=complaint.pk,
        field="category",
        chosen="product",
        expected_version=stale + 1,
    )
    assert updated.category == "product"


def test_a_region_manager_may_read_but_not_decide_or_reanalyse(demo):
    complaint = complaint_at(demo)
    before = snapshot(complaint)
    region = demo.users["region1"]
    assert services.suggestion_for(actor=region, complaint_id=complaint.pk).fault_area == "brakes"
    with pytest.raises(Forbidden):
        flows.decide(actor=region, complaint_id=complaint.pk, field="category", chosen="product")
    with pytest.raises(Forbidden):
        flows.reanalyse(actor=region, complaint_id=complaint.pk)
    assert snapshot(complaint) == before


@pytest.mark.parametrize("username", ["agent2", "manager2", "gm2", "region2", "manager3"])
def test_another_dealers_people_get_not_found_and_nothing_changes(demo, username):
    complaint = complaint_at(demo, 1)
    before = snapshot(complaint)
    user = demo.users[username]
    with pytest.raises(NotFound):
        flows.decide(actor=user, complaint_id=complaint.pk, field="category", chosen="parts")
    with pytest.raises(NotFound):
        flows.reanalyse(actor=user, complaint_id=complaint.pk)
    assert snapshot(complaint) == before
    _, updated = flows.decide(
        actor=demo.users["agent1"], complaint_id=complaint.pk, field="category", chosen="parts"
    )
    assert updated.category == "parts"


# --- analysing again --------------------------------------------------------------------------


def test_reanalysis_reads_the_edited_words(demo):
    complaint = complaint_at(demo, text=BRAKES)
    flows.update_complaint(
        actor=demo.users["agent1"],
        complaint_id=complaint.pk,
        expected_version=complaint.version,
        changes={"verbatim": GEARBOX},
    )
    s = flows.reanalyse(actor=demo.users["agent1"], complaint_id=complaint.pk)
    assert s.fault_area == "transmission"
    assert s.analysis["fault_area"][0]["value"] == "transmission"


def test_store_suggestion_replaces_the_analysis_but_keeps_decisions(demo):
    complaint = complaint_at(demo, text=BRAKES)
    flows.decide(actor=demo.users["agent1"], complaint_id=complaint.pk, field="nature", chosen="claim")
    result = services.analyse_text(actor=demo.users["agent1"], text=RECEPTION)
    stored = services.store_suggestion(complaint, result)
    assert stored.category == "reception"
    assert stored.fault_area == ""
    assert stored.decisions["nature"]["chosen"] == "claim"
    assert Suggestion.objects.filter(complaint=complaint).count() == 1
