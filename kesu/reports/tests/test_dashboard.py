"""The dashboard's figures equal direct counts of the complaints, for every scope, and stay so
when complaints are edited, closed and reopened (the fact rows catch up)."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from kesu import flows
from kesu.complaints.models import Complaint
from kesu.demo.builder import ACTOR_ROLE, _inputs_for
from kesu.demo.cases import SEED_CASES
from kesu.reports import facts, services
from kesu.reports.facts import month_of
from kesu.reports.models import ComplaintFact

from .helpers import build_some, direct_counts, shown

pytestmark = pytest.mark.django_db


def _figures(api: Any, username: str, month: date, **params: Any) -> dict[str, Any]:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = api(username).get(f"/api/v1/insights/dashboard?month={month:%Y-%m}&{query}")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("username", ["manager1", "region1", "crc1", "admin"])
def test_figures_equal_direct_counts_in_each_scope(demo, api, username):
    complaints = build_some(demo)
    month = month_of(complaints[0].received_at)
    figures = _figures(api, username, month)
    visible = Complaint.objects.visible_to(demo.users[username])
    assert shown(figures) == {
        **direct_counts(visible, month),
        "dealer": direct_counts(visible, month)["dealer"],
    } | {"department": direct_counts(visible, month)["department"]}
    assert figures["totals"]["this"] > 0 or username == "crc1"
    assert len(figures["trend"]) == 13 and figures["trend"][-1]["month"] == f"{month:%Y-%m}"


def test_the_dashboard_follows_edits_closes_and_reopens(demo, api):
    complaints = build_some(demo, 7)
    month = month_of(complaints[0].received_at)
    region = demo.users["region1"]
    before = _figures(api, "region1", month)
    visible = Complaint.objects.visible_to(region)
    assert shown(before) == direct_counts(visible, month)

    # edit a category, close one in follow-up, reopen a closed one, then compare again
    mine = [c for c in complaints if c.dealer_id == demo.dealers["D1"].pk]
    target = Complaint.objects.get(pk=mine[0].pk)
    flows.update_complaint(
        actor=demo.users["agent1"],
        complaint_id=target.pk,
        changes={"category": "parts" if target.category != "parts" else "reception"},
        expected_version=target.version,
    )
    case = SEED_CASES[0]
    for complaint in Complaint.objects.filter(pk__in=[c.pk for c in complaints], status="follow_up"):
        index = complaint.dealer.code[1:]
        flows.transition(
            actor=demo.users[f"agent{index}"],
            complaint_id=complaint.pk,
            action="close",
            inputs=_inputs_for("close", case),
        )
    for complaint in Complaint.objects.filter(pk__in=[c.pk for c in complaints], status="closed"):
        index = complaint.dealer.code[1:]
        flows.transition(
            actor=demo.users[f"{ACTOR_ROLE['reopen']}{index}"],
            complaint_id=complaint.pk,
            action="reopen",
            inputs=_inputs_for("reopen", case),
        )
    after = _figures(api, "region1", month)
    assert shown(after) == direct_counts(visible, month)
    assert after != before


def test_facts_rebuilt_from_nothing_equal_the_caught_up_ones(demo):
    build_some(demo, 5)
    facts.catch_up()
    caught_up = sorted(ComplaintFact.objects.values_list(*[f.attname for f in ComplaintFact._meta.fields]))
    ComplaintFact.objects.all().delete()
    facts.rebuild()
    rebuilt = sorted(ComplaintFact.objects.values_list(*[f.attname for f in ComplaintFact._meta.fields]))
    assert rebuilt == caught_up
    assert len(rebuilt) == Complaint.objects.count()


@pytest.mark.parametrize(("username", "org"), [("region1", None), ("admin", "R-S"), ("manager1", None)])
def test_drill_down_links_list_the_complaints_behind_a_figure(demo, api, client, username, org):
    complaints = build_some(demo)
    month = month_of(complaints[0].received_at)
    params = {"org": demo.regions[org].pk} if org else {}
    figures = _figures(api, username, month, **params)
    client.force_login(demo.users[username])
    checked = 0
    for item in (
        figures["volume"]["category"] + figures["volume"]["channel"] + figures["volume"]["fault_area"]
    ):
        if not item["key"]:
            continue
        page = client.get(item["queue"])
        assert page.status_code == 200
        assert page.content.decode().count('data-testid="queue-row"') == item["this"], item
        checked += 1
    assert checked
    whole = client.get(figures["queue"]).content.decode()
    assert whole.count('data-testid="queue-row"') == min(figures["totals"]["this"], 25)


def test_the_queue_api_takes_the_drill_down_filters(demo, api):
    complaints = build_some(demo)
    month = month_of(complaints[0].received_at)
    region = api("region1")
    listed = region.get(f"/api/v1/complaints?month={month:%Y-%m}&channel={complaints[0].channel}").json()
    visible = Complaint.objects.visible_to(demo.users["region1"])
    start = timezone.make_aware(datetime(month.year, month.month, 1))
    expected = visible.filter(channel=complaints[0].channel, received_at__gte=start).count()
    assert listed["count"] == expected
    assert region.get("/api/v1/complaints?fault_area=wings").status_code == 422
    assert region.get("/api/v1/complaints?month=2026-1").status_code == 422


@pytest.mark.parametrize(
    "query",
    ["month=2026-13", "month=26-11", "month=", "month=abc", "month=2999-01"],
)
def test_a_bad_or_future_month_is_a_422_naming_month(demo, api, query):
    response = api("manager1").get(f"/api/v1/insights/dashboard?{query}")
    assert response.status_code == 422
    assert "month" in response.json()["error"]["fields"]


def test_an_organisation_outside_the_scope_is_a_404(demo, api):
    month = f"{month_of(timezone.now()):%Y-%m}"
    other_dealer = demo.dealers["D3"].pk
    assert (
        api("manager1").get(f"/api/v1/insights/dashboard?month={month}&org={other_dealer}").status_code == 404
    )
    assert (
        api("region1")
        .get(f"/api/v1/insights/dashboard?month={month}&org={demo.regions['R-N'].pk}")
        .status_code
        == 404
    )
    assert (
        api("region1").get(f"/api/v1/insights/dashboard?month={month}&org={demo.manufacturer.pk}").status_code
        == 404
    )
    assert api("region1").get(f"/api/v1/insights/dashboard?month={month}&org=999999").status_code == 404
    assert (
        api("region1")
        .get(f"/api/v1/insights/dashboard?month={month}&org={demo.dealers['D2'].pk}")
        .status_code
        == 200
    )
    assert api(None).get(f"/api/v1/insights/dashboard?month={month}").status_code == 401


def test_pareto_and_improvement_links(demo, api):
    complaints = build_some(demo)
    month = month_of(complaints[0].received_at)
    figures = _figures(api, "manager1", month)
    assert figures["pareto"], figures
    first = figures["pareto"][0]
    assert first["improve"].startswith("/improvements/new/?source=pareto&month=")
    assert f"org={demo.dealers['D1'].pk}" in first["improve"]
    assert figures["pareto"][-1]["cumulative_share"] <= 1.0
    assert services.add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert services.add_months(date(2026, 1, 1), -12) == date(2025, 1, 1)
    assert timedelta(0) == timedelta(0)


@given(year=st.integers(2000, 2100), month=st.integers(1, 12), step=st.integers(-240, 240))
def test_adding_months_lands_on_a_first_and_comes_back(year, month, step):
    start = date(year, month, 1)
    moved = services.add_months(start, step)
    assert moved.day == 1
    assert (moved.year - year) * 12 + moved.month - month == step
    assert services.add_months(moved, -step) == start
