"""The call audit (电访稽核): a random sample per agent, the checklist scored, scores per agent per
month for the monthly review; who may, and bad input."""

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from kesu.calls import services
from kesu.calls.models import Call, CallAudit
from kesu.calls.services import AuditScore, CallInput

FULL: dict[str, Any] = {
    "greeting": 2,
    "identity": 2,
    "script_followed": 2,
    "satisfaction_asked": 2,
    "closing_courtesy": 2,
}


def log_calls(demo, username, n, *, duration=60, days_ago=0):  # type: ignore[no-untyped-def]
    at = timezone.now() - timedelta(days=days_ago)
    return [
        services.record_call(
            actor=demo.users[username],
            data=CallInput(number="13912345678", purpose="enquiry", duration_seconds=duration, at=at),
        )
        for _ in range(n)
    ]


def today() -> str:
    return timezone.localdate().isoformat()


def test_a_sample_takes_n_completed_calls_of_each_agent_never_twice(demo, api):
    log_calls(demo, "agent1", 6)
    log_calls(demo, "dept1", 2)
    log_calls(demo, "agent1", 3, duration=0)  # not reached: not a completed call
    log_calls(demo, "agent2", 4)  # another dealer's
    body = {"date_from": today(), "date_to": today(), "per_agent": 4}
    response = api("manager1").post("/api/v1/call-audits/sample", body)
    assert response.status_code == 201, response.content
    audits = response.json()
    per_agent: dict[int, int] = {}
    for audit in audits:
        per_agent[audit["agent_id"]] = per_agent.get(audit["agent_id"], 0) + 1
    assert per_agent == {demo.users["agent1"].pk: 4, demo.users["dept1"].pk: 2}
    assert all(Call.objects.get(pk=a["call_id"]).duration_seconds > 0 for a in audits)
    again = api("manager1").post("/api/v1/call-audits/sample", body).json()
    assert {a["agent_id"] for a in again} == {demo.users["agent1"].pk}  # the 2 left of agent1
    assert len({a["call_id"] for a in audits + again}) == len(audits) + len(again) == 8
    exhausted = api("manager1").post("/api/v1/call-audits/sample", body)
    assert exhausted.status_code == 422 and "date_from" in exhausted.json()["error"]["fields"]


def test_the_sample_is_random(demo):
    calls = log_calls(demo, "agent1", 20)
    picked = services.sample_calls(
        actor=demo.users["manager1"],
        date_from=timezone.localdate(),
        date_to=timezone.localdate(),
        per_agent=5,
        rng=random.Random(7),
    )
    ids = sorted(a.call_id for a in picked)
    assert len(ids) == 5 and ids != sorted(c.pk for c in calls)[:5]


def test_a_supervisor_never_samples_their_own_calls(demo, api):
    log_calls(demo, "manager1", 3)
    response = api("manager1").post(
        "/api/v1/call-audits/sample", {"date_from": today(), "date_to": today(), "per_agent": 3}
    )
    assert response.status_code == 422


def test_scoring_and_the_monthly_scores(demo, api):
    log_calls(demo, "agent1", 2)
    log_calls(demo, "dept1", 1)
    audits = (
        api("gm1")
        .post("/api/v1/call-audits/sample", {"date_from": today(), "date_to": today(), "per_agent": 2})
        .json()
    )
    agent1 = [a for a in audits if a["agent_id"] == demo.users["agent1"].pk]
    first = api("gm1").post(f"/api/v1/call-audits/{agent1[0]['id']}/score", {**FULL, "comment": "标准"})
    assert first.status_code == 200 and first.json()["total"] == 10
    half = {**FULL, "script_followed": 0, "satisfaction_asked": 1}
    assert api("gm1").post(f"/api/v1/call-audits/{agent1[1]['id']}/score", half).json()["total"] == 7
    month = timezone.localdate().strftime("%Y-%m")
    scores = api("manager1").get(f"/api/v1/call-audits/scores?month={month}")
    assert scores.status_code == 200
    rows = {row["agent_id"]: row for row in scores.json()["agents"]}
    mine = rows[demo.users["agent1"].pk]
    assert (mine["sampled"], mine["scored"], mine["average"], mine["percent"]) == (2, 2, 8.5, 85.0)
    assert mine["items"]["script_followed"] == 1.0 and mine["items"]["greeting"] == 2.0
    dept = rows[demo.users["dept1"].pk]
    assert (dept["sampled"], dept["scored"], dept["average"]) == (1, 0, None)
    other_month = api("manager1").get("/api/v1/call-audits/scores?month=2020-01").json()
    assert other_month["agents"] == []
    # another dealer's supervisor sees none of it
    assert api("manager2").get(f"/api/v1/call-audits/scores?month={month}").json()["agents"] == []


def test_bad_scores_and_periods_name_the_field(demo, api):
    log_calls(demo, "agent1", 1)
    audit = (
        api("manager1")
        .post("/api/v1/call-audits/sample", {"date_from": today(), "date_to": today(), "per_agent": 1})
        .json()[0]
    )
    wrong = api("manager1").post(f"/api/v1/call-audits/{audit['id']}/score", {**FULL, "greeting": 3})
    assert wrong.status_code == 422 and "greeting" in wrong.json()["error"]["fields"]
    missing = api("manager1").post(f"/api/v1/call-audits/{audit['id']}/score", {"greeting": 2})
    assert missing.status_code == 422 and "identity" in missing.json()["error"]["fields"]
    assert CallAudit.objects.get().scored_at is None
    for body, field in (
        ({"date_from": today(), "date_to": "2020-01-01", "per_agent": 1}, "date_to"),
        ({"date_from": today(), "date_to": today(), "per_agent": 0}, "per_agent"),
        (
            {"date_from": today(), "date_to": today(), "per_agent": 1, "agent_id": demo.users["agent2"].pk},
            "agent_id",
        ),
    ):
        response = api("manager1").post("/api/v1/call-audits/sample", body)
        assert response.status_code == 422 and field in response.json()["error"]["fields"], body
    assert api("manager1").get("/api/v1/call-audits/scores?month=2026-13").status_code == 422


def test_nobody_scores_their_own_call(demo):
    (call,) = log_calls(demo, "manager1", 1)
    audit = CallAudit.objects.create(
        call=call, dealer=call.dealer, agent=call.taken_by, call_at=call.at, sampled_by=demo.users["gm1"]
    )
    import pytest

    from kesu.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.score_audit(actor=demo.users["manager1"], audit_id=audit.pk, score=AuditScore(**FULL))
