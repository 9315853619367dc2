"""The insights API as an integrator (and the pages as a user) meets it: analysing text, a
complaint's suggestions and decisions, related complaints, quality signals, training — and
scope on every endpoint that takes a complaint id."""

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from kesu import flows
from kesu.complaints.models import Complaint
from kesu.insights.models import ClassificationFeedback, ComplaintLink, QualitySignal, Suggestion
from kesu.insights.recurrence import link_pending
from kesu.insights.tasks import train_classifier
from kesu.organizations.choices import OrgKind, Role
from kesu.organizations.models import Organization, User

from .conftest import customer, make_complaint

pytestmark = pytest.mark.django_db

BRAKES = "刹车踩下去有吱吱的异响，刚换的刹车片，开了不到一百公里又响了"
CRISIS = "三次没修好，再不解决我就找媒体曝光，还要打12315投诉！"


def complaint_at(demo, dealer: int = 1, text: str = BRAKES, n: int = 1) -> Complaint:
    """A registered complaint, after the worker has linked it."""
    complaint = make_complaint(demo, dealer, verbatim=text, customer=customer(demo, dealer, n))
    link_pending()
    return complaint


def state(complaint: Complaint) -> tuple[object, ...]:
    """Everything an insights endpoint could change about a complaint."""
    complaint.refresh_from_db()
    suggestion = Suggestion.objects.filter(complaint=complaint).values().first()
    return (
        complaint.version,
        complaint.category,
        complaint.nature,
        complaint.severity,
        complaint.emotion,
        complaint.timeline.count(),
        suggestion,
        ClassificationFeedback.objects.filter(complaint=complaint).count(),
        ComplaintLink.objects.count(),
        QualitySignal.objects.count(),
    )


# --- POST /analyze --------------------------------------------------------------------------


def test_analyze_finds_crisis_words_where_the_customer_wrote_them(api):
    response = api("agent1").post("/api/v1/insights/analyze", {"text": CRISIS})
    assert response.status_code == 200
    body = response.json()
    assert body["crisis"]["is_crisis"] is True
    assert body["severity"]["value"] == "crisis"
    words = " ".join(s["signal"] for s in body["crisis"]["signals"])
    assert "媒体" in words and "12315" in words
    for signal in body["crisis"]["signals"]:
        assert CRISIS[signal["start"] : signal["end"]] == signal["signal"]  # highlights line up
        assert signal["kind_label"]
    assert body["length"] == len(CRISIS) and body["truncated"] is False


def test_analyze_suggests_category_fault_area_and_the_stance_to_take(api):
    body = api("agent1").post("/api/v1/insights/analyze", {"text": BRAKES}).json()
    assert body["category"][0]["value"] == "product"
    assert body["fault_area"][0]["value"] == "brakes"
    assert body["fault_area"][0]["label"]
    assert "刹车" in body["fault_area"][0]["words"]
    confidences = [o["confidence"] for o in body["fault_area"]]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 < c <= 1 for c in confidences)
    assert body["crisis"]["is_crisis"] is False and body["severity"]["value"] != "crisis"
    assert body["emotion"]["stance"] and body["emotion"]["behaviour_label"]
    assert body["source"] == "rules"


def test_analyze_of_nothing_suggests_nothing(api):
    body = api("agent1").post("/api/v1/insights/analyze", {"text": "   "}).json()
    assert body["category"] == [] and body["fault_area"] == [] and body["length"] == 0
    assert body["crisis"]["is_crisis"] is False
    words = api("agent1").post("/api/v1/insights/analyze", {"text": "变速箱顿挫"}).json()
    assert words["fault_area"] and words["category"] and words["length"] == 5


def test_a_very_long_text_is_analysed_in_part_and_says_so(api):
    text = BRAKES + "。" + "我每天上下班都开这辆车，周末还要接送孩子。" * 2000
    body = api("agent1").post("/api/v1/insights/analyze", {"text": text}).json()
    assert body["truncated"] is True
    assert body["length"] == len(text)
    assert body["fault_area"][0]["value"] == "brakes"


def test_analyze_needs_a_token_and_a_text(api):
    assert api(None).post("/api/v1/insights/analyze", {"text": BRAKES}).status_code == 401
    assert api("agent1").post("/api/v1/insights/analyze", {"text": BRAKES}).status_code == 200
    missing = api("agent1").post("/api/v1/insights/analyze", {})
    assert missing.status_code == 422 and "text" in missing.json()["error"]["fields"]
    broken = api("agent1").post("/api/v1/insights/analyze", "{not json")
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "malformed_json"


# --- a complaint's suggestions and decisions ----------------------------------------------


def test_suggestions_then_accept_then_correct(demo, api):
    complaint = complaint_at(demo)
    client = api("agent1")
    shown = client.get(f"/api/v1/insights/complaints/{complaint.pk}/suggestions").json()
    assert shown["fault_area"] == "brakes" and shown["category"] == "product"
    assert shown["complaint_version"] == complaint.version
    accepted = client.post(
        f"/api/v1/insights/complaints/{complaint.pk}/decisions",
        {"field": "category", "chosen": shown["category"], "version": shown["complaint_version"]},
    )
    assert accepted.status_code == 200
    body = accepted.json()
    assert body["decisions"]["category"]["chosen"] == "product"
    assert body["complaint_version"] == complaint.version + 1
    record = client.get(f"/api/v1/complaints/{complaint.pk}").json()
    assert record["category"] == "product"
    corrected = client.post(
        f"/api/v1/insights/complaints/{complaint.pk}/decisions",
        {"field": "fault_area", "chosen": "suspension", "version": body["complaint_version"]},
    ).json()
    assert corrected["fault_area"] == "suspension"
    assert corrected["decisions"]["fault_area"] == {
        **corrected["decisions"]["fault_area"],
        "chosen": "suspension",
        "suggested": "brakes",
    }
    feedback = ClassificationFeedback.objects.filter(complaint=complaint).order_by("pk")
    assert [(f.field, f.is_correction) for f in feedback] == [("category", False), ("fault_area", True)]


def test_a_decision_on_a_stale_version_or_with_a_wrong_value_changes_nothing(demo, api):
    complaint = complaint_at(demo)
    client = api("agent1")
    stale = complaint.version
    client.patch(f"/api/v1/complaints/{complaint.pk}", {"facts": "客户又来电", "version": stale})
    before = state(complaint)
    conflict = client.post(
        f"/api/v1/insights/complaints/{complaint.pk}/decisions",
        {"field": "category", "chosen": "product", "version": stale},
    )
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "stale_version"
    wrong = client.post(
        f"/api/v1/insights/complaints/{complaint.pk}/decisions", {"field": "category", "chosen": "x"}
    )
    assert wrong.status_code == 422 and "chosen" in wrong.json()["error"]["fields"]
    unknown = client.post(
        f"/api/v1/insights/complaints/{complaint.pk}/decisions", {"field": "mood", "chosen": "x"}
    )
    assert unknown.status_code == 422 and "field" in unknown.json()["error"]["fields"]
    assert state(complaint) == before


def test_reanalyze_reads_edited_words(demo, api):
    complaint = complaint_at(demo)
    client = api("agent1")
    client.patch(
        f"/api/v1/complaints/{complaint.pk}",
        {"verbatim": "变速箱换挡顿挫，低速一顿一顿的", "version": complaint.version},
    )
    response = client.post(f"/api/v1/insights/complaints/{complaint.pk}/analyze")
    assert response.status_code == 200
    assert response.json()["fault_area"] == "transmission"


def test_a_region_manager_reads_suggestions_but_may_not_decide(demo, api):
    complaint = complaint_at(demo)
    before = state(complaint)
    region = api("region1")
    assert region.get(f"/api/v1/insights/complaints/{complaint.pk}/suggestions").status_code == 200
    decided = region.post(
        f"/api/v1/insights/complaints/{complaint.pk}/decisions", {"field": "category", "chosen": "product"}
    )
    assert decided.status_code == 403 and decided.json()["error"]["code"] == "forbidden"
    assert region.post(f"/api/v1/insights/complaints/{complaint.pk}/analyze").status_code == 403
    assert state(complaint) == before


# --- scope: every endpoint with a complaint id ----------------------------------------------

API_ENDPOINTS = [
    ("get", "/api/v1/insights/complaints/{id}/suggestions", None),
    ("post", "/api/v1/insights/complaints/{id}/analyze", None),
    ("post", "/api/v1/insights/complaints/{id}/decisions", {"field": "category", "chosen": "parts"}),
    ("post", "/api/v1/insights/complaints/{id}/decisions", {"field": "fault_area", "chosen": "engine"}),
    ("get", "/api/v1/insights/complaints/{id}/related", None),
]
OUTSIDERS = ["agent2", "manager2", "gm2", "dept2", "agent3", "region2", "crc1", "pr1", "quality1"]


@pytest.mark.parametrize("method, path, body", API_ENDPOINTS)
@pytest.mark.parametrize("username", OUTSIDERS)
def test_another_dealers_people_get_404_and_nothing_changes(demo, api, method, path, body, username):
    complaint = complaint_at(demo, 1)
    before = state(complaint)
    client = api(username)
    url = path.format(id=complaint.pk)
    response = client.get(url) if method == "get" else client.post(url, body)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert complaint.number not in response.content.decode()
    assert state(complaint) == before
    insider = api("agent1")
    assert (insider.get(url) if method == "get" else insider.post(url, body)).status_code == 200


@pytest.mark.parametrize(
    "method, path, data",
    [
        ("get", "/insights/complaints/{id}/panel/", None),
        ("post", "/insights/complaints/{id}/decide/", {"field": "category", "chosen": "parts"}),
    ],
)
@pytest.mark.parametrize("username", ["agent2", "manager2", "agent3"])
def test_another_dealers_people_get_404_on_the_pages_too(demo, method, path, data, username):
    complaint = complaint_at(demo, 1)
    before = state(complaint)
    browser = Client()
    browser.force_login(demo.users[username])
    url = path.format(id=complaint.pk)
    response = browser.get(url) if method == "get" else browser.post(url, data)
    assert response.status_code == 404
    assert state(complaint) == before
    browser.force_login(demo.users["agent1"])
    answered = browser.get(url) if method == "get" else browser.post(url, data)
    assert answered.status_code in (200, 302)


# --- quality signals: for the carmaker's CRC and administrators -----------------------------


def signal_complaints(demo) -> tuple[Complaint, Complaint]:
    first = complaint_at(demo, 1, BRAKES, 1)
    second = complaint_at(demo, 2, BRAKES.replace("一百", "两百"), 2)
    assert QualitySignal.objects.count() == 1
    return first, second


def test_quality_signals_are_shown_to_the_carmakers_quality_engineers_crc_and_administrators(demo, api):
    first, second = signal_complaints(demo)
    admin = api("admin").get("/api/v1/insights/quality-signals")
    assert admin.status_code == 200
    [row] = admin.json()
    assert (row["model_name"], row["fault_area"], row["status"]) == ("轩逸", "brakes", "open")
    assert (row["complaint_count"], row["dealer_count"]) == (2, 2)
    assert row["fault_area_label"] and row["shared_terms"]
    assert row["visible_complaint_ids"] == sorted([first.pk, second.pk])
    for username in ("quality1", "crc1"):
        response = api(username).get("/api/v1/insights/quality-signals")
        assert response.status_code == 200
        [seen] = response.json()
        assert seen["id"] == row["id"]
        assert (seen["complaint_count"], seen["dealer_count"]) == (2, 2)
        assert seen["visible_complaint_ids"] == []  # dealers' complaints open to the carmaker once escalated
        assert api(username).get("/api/v1/insights/quality-signals?status=closed").json() == []


def test_the_carmaker_can_open_a_signals_complaint_once_it_is_escalated(demo, api):
    first, second = signal_complaints(demo)
    flows.transition(  # the GM's escalation reaches the region: the carmaker sees it
        actor=demo.users["gm1"],
        complaint_id=first.pk,
        action="escalate",
        inputs={"reason": "客户要求厂方介入"},
    )
    for username in ("crc1", "quality1"):
        [seen] = api(username).get("/api/v1/insights/quality-signals").json()
        assert seen["visible_complaint_ids"] == [first.pk]


@pytest.mark.parametrize("username", ["manager1", "gm1", "region1", "manager2"])
def test_managers_and_the_region_see_the_signals_touching_their_dealers(demo, api, username):
    first, second = signal_complaints(demo)
    response = api(username).get("/api/v1/insights/quality-signals")
    assert response.status_code == 200
    [seen] = response.json()
    assert (seen["complaint_count"], seen["dealer_count"]) == (2, 2)
    own = {"manager1": [first.pk], "gm1": [first.pk], "manager2": [second.pk]}
    assert seen["visible_complaint_ids"] == own.get(username, sorted([first.pk, second.pk]))
    page = Client()
    page.force_login(demo.users[username])
    shown = page.get("/insights/quality-signals/")
    assert shown.status_code == 200 and "轩逸" in shown.content.decode()
    assert 'data-testid="nav-quality-signals"' in shown.content.decode()


@pytest.mark.parametrize("username", ["gm3", "region2"])
def test_managers_of_dealers_outside_the_signal_see_none(demo, api, username):
    signal_complaints(demo)
    assert api(username).get("/api/v1/insights/quality-signals").json() == []


@pytest.mark.parametrize("username", ["agent1", "dept1", "agent2", "pr1"])
def test_quality_signals_are_refused_to_everybody_else(demo, api, username):
    signal_complaints(demo)
    response = api(username).get("/api/v1/insights/quality-signals")
    assert response.status_code == 403
    assert "轩逸" not in response.content.decode()
    page = Client()
    page.force_login(demo.users[username])
    shown = page.get("/insights/quality-signals/")
    assert shown.status_code == 403
    assert "轩逸" not in shown.content.decode()
    assert len(api("crc1").get("/api/v1/insights/quality-signals").json()) == 1


def test_another_carmakers_crc_sees_none_of_these_signals(demo, api):
    signal_complaints(demo)
    other = Organization.objects.create(kind=OrgKind.MANUFACTURER, code="MFR2", name="另一家汽车公司")
    demo.users["crc_other"] = User.objects.create(
        username="crc_other", role=Role.CRC_AGENT, organization=other, display_name="别家客服"
    )
    response = api("crc_other").get("/api/v1/insights/quality-signals")
    assert response.status_code == 200 and response.json() == []
    assert len(api("crc1").get("/api/v1/insights/quality-signals").json()) == 1


def test_the_quality_signal_page_lists_the_signal_for_the_quality_engineer(demo):
    signal_complaints(demo)
    page = Client()
    page.force_login(demo.users["quality1"])
    response = page.get("/insights/quality-signals/")
    assert response.status_code == 200
    assert "轩逸" in response.content.decode()


# --- training through the API ---------------------------------------------------------------


def _labelled(demo, count: int) -> None:
    texts = [
        ("product", "刹车异响，踩下去吱吱响"),
        ("product", "变速箱换挡顿挫"),
        ("reception", "服务顾问态度很差，爱理不理"),
        ("repair_cost", "保养收费太贵，工时费乱收"),
        ("parts", "配件等了一个月还没到"),
    ]
    for i in range(count):
        category, text = texts[i % len(texts)]
        make_complaint(
            demo,
            1,
            verbatim=f"{text}，第{i + 1}次来电",
            customer=customer(demo, 1, 300 + i),
            category=category,
        )


def test_only_administrators_queue_training_and_see_models(demo, api):
    org = demo.dealers["D1"].pk
    refused = api("manager1").post("/api/v1/insights/train", {"organization_id": org})
    assert refused.status_code == 403
    assert api("manager1").get("/api/v1/insights/models").status_code == 403
    assert api("crc1").get("/api/v1/insights/models").status_code == 403
    assert api("admin").get("/api/v1/insights/models").json() == []
    assert api("admin").post("/api/v1/insights/train", {"organization_id": org}).status_code == 202


def test_a_department_is_not_trained(demo, api):
    department = next(org for (dealer, _code), org in demo.departments.items() if dealer == "D1")
    refused = api("admin").post("/api/v1/insights/train", {"organization_id": department.pk})
    assert refused.status_code == 422
    assert "organization_id" in refused.json()["error"]["fields"]


@pytest.mark.django_db(transaction=True)  # the worker closes connections, as in production
def test_queued_training_runs_in_the_worker_and_the_model_is_listed(demo, api):
    _labelled(demo, 50)
    queued = api("admin").post("/api/v1/insights/train", {"organization_id": demo.dealers["D1"].pk})
    assert queued.status_code == 202
    task_id = queued.json()["task_id"]
    assert queued.json()["status"]
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    result = train_classifier.get_result(task_id)
    assert str(result.status) == "SUCCESSFUL"
    [listed] = api("admin").get("/api/v1/insights/models").json()
    assert listed["organization_id"] == demo.dealers["D1"].pk
    assert result.return_value is not None
    assert listed["version"] == result.return_value["version"]
    assert listed["examples"]["category"] == 50
    assert 0.0 <= listed["metrics"]["category"]["micro_f1"] <= 1.0
    # from now on, the dealer's suggestions come from its model
    body: dict[str, Any] = api("agent1").post("/api/v1/insights/analyze", {"text": "刹车异响"}).json()
    assert body["source"] == "model" and body["model_version"] == listed["version"]


@pytest.mark.django_db(transaction=True)  # the worker closes connections, as in production
def test_training_with_too_few_complaints_fails_in_the_worker_without_a_model(demo, api):
    _labelled(demo, 5)
    queued = api("admin").post("/api/v1/insights/train", {"organization_id": demo.dealers["D1"].pk})
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert str(train_classifier.get_result(queued.json()["task_id"]).status) == "FAILED"
    assert api("admin").get("/api/v1/insights/models").json() == []


def test_training_an_unknown_organisation_is_refused_at_once(demo, api):
    response = api("admin").post("/api/v1/insights/train", {"organization_id": 999_999})
    assert response.status_code == 422
    assert "organization_id" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("text", "is_crisis", "kinds", "dismissed"),
    [
        # misses of the kinds issue 15 names, in new words
        ("下坡时刹车一脚踩空，车冲进了路边的沟里", True, {"safety"}, set()),
        ("明天我带上几个车主到你们店门口拉条幅", True, {"violence"}, set()),
        ("我已经去区市场监管局交了投诉材料", True, {"authority"}, set()),
        ("协商不成，那就只能走司法程序了", True, {"legal"}, set()),
        # false alarms of the kinds issue 15 names, in new words
        ("我也没想过去告你们，只要修好就行", False, set(), {"告你们"}),
        ("我舅舅在电视台上班，他来帮我提车", False, set(), {"电视台"}),
        ("仪表盘上胎压报警灯一直亮", False, set(), {"报警"}),
        ("天热的时候车子会不会自燃？", False, set(), {"自燃"}),
        ("在直播间买的车，今天来办手续", False, set(), set()),
        ("提车很顺利，发了朋友圈表扬你们的销售", False, set(), {"朋友圈"}),
    ],
)
def test_analyze_reads_crisis_words_in_context_and_says_why(api, text, is_crisis, kinds, dismissed):
    body = api("agent1").post("/api/v1/insights/analyze", {"text": text}).json()
    crisis = body["crisis"]
    assert crisis["is_crisis"] is is_crisis
    assert {s["kind"] for s in crisis["signals"]} >= kinds
    assert all(s["why"] and s["kind_label"] for s in crisis["signals"])
    assert {d["signal"] for d in crisis["dismissed"]} >= dismissed
    assert all(d["why"] for d in crisis["dismissed"])
    assert (body["severity"]["value"] == "crisis") is is_crisis
