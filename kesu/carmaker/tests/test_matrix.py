"""The carmaker's endpoints × every demo user: who may (2xx), who is refused by role (403, nothing
changed), who may not even know it exists (404, nothing changed), anonymous (401).

The complaint is a crisis at dealer D1 (so the carmaker sees it: the crisis escalated it); D2 is
the dealer asked for help; D3 and the northern region are strangers. ``pr2`` is a second PR user,
the lead who approves what ``pr1`` drafted."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kesu.carmaker.models import HelpRequest, IncidentReport, Instruction, MediaMention, PrTakeover, Statement
from kesu.carmaker.tests.test_carmaker import make_pr2, media_body, report_body
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.tests.factories import make_complaint

DEALER_1 = ("agent1", "manager1", "dept1", "gm1")
DEALER_2 = ("agent2", "manager2", "dept2", "gm2")
CARMAKER = ("region1", "crc1", "pr1", "quality1")
STRANGERS = ("agent3", "manager3", "gm3", "region2")
EVERYONE = DEALER_1 + DEALER_2 + CARMAKER + STRANGERS + ("pr2", "admin")


def later() -> str:
    return (timezone.now() + timedelta(hours=12)).isoformat()


@dataclass
class World:
    complaint: Complaint
    instruction: int
    help_request: int
    statement: int


def build(demo: Any, api: Any) -> World:
    make_pr2(demo)
    complaint = make_complaint(demo, 1, verbatim="车辆行驶中起火，记者已到现场拍照", severity="crisis")
    instruction = (
        api("crc1")
        .post(
            f"/api/v1/complaints/{complaint.pk}/instructions",
            {"text": "当日提交重大事故报告", "due_at": later()},
        )
        .json()["id"]
    )
    help_request = (
        api("agent1")
        .post(
            f"/api/v1/complaints/{complaint.pk}/help-requests",
            {
                "to_dealer_id": demo.dealers["D2"].pk,
                "kind": "technician",
                "what": "电气技师支援",
                "needed_by": later(),
            },
        )
        .json()["id"]
    )
    statement = (
        api("pr1")
        .post(
            f"/api/v1/complaints/{complaint.pk}/statements",
            {"text": "我们高度重视，已派专人赶赴现场了解情况。"},
        )
        .json()["id"]
    )
    return World(complaint, instruction, help_request, statement)


@dataclass
class Call:
    name: str
    method: str
    path: Callable[[World], str]
    body: Callable[[World], Any] | None
    allowed: frozenset[str]
    refused: frozenset[str]  # 403; everyone else but the allowed gets 404


def _set(*names: str) -> frozenset[str]:
    return frozenset(names)


CALLS = [
    Call(
        "instruct",
        "post",
        lambda w: f"/api/v1/complaints/{w.complaint.pk}/instructions",
        lambda w: {"text": "联系客户", "due_at": later()},
        _set(*CARMAKER, "pr2", "admin"),
        _set(*DEALER_1),
    ),
    Call(
        "acknowledge",
        "post",
        lambda w: f"/api/v1/instructions/{w.instruction}/acknowledge",
        None,
        _set(*DEALER_1, "admin"),
        _set(*CARMAKER, "pr2"),
    ),
    Call(
        "instruction done",
        "post",
        lambda w: f"/api/v1/instructions/{w.instruction}/done",
        lambda w: {"answer": "已处理"},
        _set(*DEALER_1, "admin"),
        _set(*CARMAKER, "pr2"),
    ),
    Call(
        "ask for help",
        "post",
        lambda w: f"/api/v1/complaints/{w.complaint.pk}/help-requests",
        lambda w: {
            "to_dealer_id": _dealer("D3"),
            "kind": "technician",
            "what": "技师",
            "needed_by": later(),
        },
        _set(*DEALER_1, "admin"),
        _set(*CARMAKER, "pr2"),
    ),
    Call(
        "answer help",
        "post",
        lambda w: f"/api/v1/help-requests/{w.help_request}/answer",
        lambda w: {"decision": "accept", "reply": "明早派技师"},
        _set("manager2", "dept2", "gm2", "admin"),
        _set("agent2", *DEALER_1, *CARMAKER, "pr2"),
    ),
    Call(
        "take over",
        "post",
        lambda w: f"/api/v1/complaints/{w.complaint.pk}/pr/takeover",
        lambda w: {"note": "接管"},
        _set("pr1", "pr2", "admin"),
        _set(*DEALER_1, "region1", "crc1", "quality1"),
    ),
    Call(
        "media",
        "post",
        lambda w: f"/api/v1/complaints/{w.complaint.pk}/media",
        lambda w: media_body(),
        _set("pr1", "pr2", "admin"),
        _set(*DEALER_1, "region1", "crc1", "quality1"),
    ),
    Call(
        "statement",
        "post",
        lambda w: f"/api/v1/complaints/{w.complaint.pk}/statements",
        lambda w: {"text": "我们将及时公布调查进展。"},
        _set("pr1", "pr2", "admin"),
        _set(*DEALER_1, "region1", "crc1", "quality1"),
    ),
    Call(
        "decide statement",
        "post",
        lambda w: f"/api/v1/statements/{w.statement}/decide",
        lambda w: {"decision": "approve"},
        _set("pr2", "admin"),
        _set("pr1", *DEALER_1, "region1", "crc1", "quality1"),
    ),
    Call(
        "incident report",
        "post",
        lambda w: f"/api/v1/complaints/{w.complaint.pk}/incident-report",
        lambda w: report_body(),
        _set("agent1", "manager1", "gm1", "crc1", "pr1", "pr2", "admin"),
        _set("dept1", "region1", "quality1"),
    ),
]


def _dealer(code: str) -> int:
    from kesu.organizations.models import Organization

    return Organization.objects.get(code=code).pk


def state() -> tuple[Any, ...]:
    return (
        TimelineEntry.objects.count(),
        Instruction.objects.count(),
        list(Instruction.objects.values_list("state", flat=True)),
        HelpRequest.objects.count(),
        list(HelpRequest.objects.values_list("status", flat=True)),
        PrTakeover.objects.count(),
        MediaMention.objects.count(),
        list(Statement.objects.values_list("state", flat=True)),
        IncidentReport.objects.count(),
    )


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
@pytest.mark.parametrize("username", EVERYONE)
def test_every_user_on_every_carmaker_endpoint(demo, api, call, username):
    world = build(demo, api)
    before = state()
    client = api(username)
    body = call.body(world) if call.body else None
    response = client.post(call.path(world), body)
    if username in call.allowed:
        assert response.status_code in (200, 201), response.content
        assert state() != before  # it did something, and the timeline says so
        assert TimelineEntry.objects.count() > before[0]
        return
    expected = 403 if username in call.refused else 404
    assert response.status_code == expected, (username, response.content)
    assert response.json()["error"]["code"] == ("forbidden" if expected == 403 else "not_found")
    assert world.complaint.verbatim not in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
def test_anonymous_gets_401_and_changes_nothing(demo, api, call):
    world = build(demo, api)
    before = state()
    response = api(None).post(call.path(world), call.body(world) if call.body else None)
    assert response.status_code == 401
    assert state() == before


def test_the_carmaker_sees_nothing_of_a_complaint_before_escalation(demo, api):
    complaint = make_complaint(demo, 1)
    for username in ("crc1", "pr1", "quality1"):
        for path in ("instructions", "media", "statements", "help-requests"):
            assert api(username).get(f"/api/v1/complaints/{complaint.pk}/{path}").status_code == 404
        response = api(username).post(
            f"/api/v1/complaints/{complaint.pk}/instructions", {"text": "x", "due_at": later()}
        )
        assert response.status_code == 404
    assert api("pr1").get(f"/api/v1/complaints/{complaint.pk}/incident-report.pdf").status_code == 404


@pytest.mark.parametrize(
    ("username", "status"),
    [("agent1", 200), ("dept1", 200), ("region1", 200), ("crc1", 200), ("agent2", 404), ("region2", 404)],
)
def test_the_incident_report_pdf_follows_the_complaints_scope(demo, api, username, status):
    complaint = make_complaint(demo, 1, verbatim="车辆起火", severity="crisis")
    response = api(username).get(f"/api/v1/complaints/{complaint.pk}/incident-report.pdf")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"


def test_who_lists_which_help_requests(demo, api):
    world = build(demo, api)
    sees = {u for u in EVERYONE if api(u).get("/api/v1/help-requests").json()}
    assert sees == set(DEALER_1) | set(DEALER_2) | set(CARMAKER) | {"pr2", "admin"}
    for username in DEALER_2:  # the asked dealer: never the complaint
        [row] = api(username).get("/api/v1/help-requests").json()
        assert row["complaint_id"] is None and row["id"] == world.help_request
    assert api("agent1").get("/api/v1/help-requests").json()[0]["complaint_id"] == world.complaint.pk
    bad = api("agent1").get("/api/v1/help-requests?direction=sideways")
    assert bad.status_code == 422 and "direction" in bad.json()["error"]["fields"]
