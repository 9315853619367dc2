"""Bad input at the API's edge: every answer is a JSON error with the right 4xx — text no
database can store, out-of-range dates and numbers, wrong methods, unknown paths, broken
uploads — never a 500 and never an HTML page."""

import json

import pytest
from django.test import Client

from kesu.complaints.tests.factories import make_complaint

pytestmark = pytest.mark.django_db


def error_of(response, status):  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    return response.json()["error"]


def raw_post(api, path: str, text: str):  # type: ignore[no-untyped-def]
    """A body exactly as a client wrote it (json.dumps would escape what we want to send)."""
    return api.client.post(path, data=text.encode(), content_type="application/json", **api.headers)


@pytest.mark.parametrize("escape", ["\\ud800", "\\u0000", "\\udc00"])
def test_text_no_database_can_store_is_dropped_not_a_500(demo, api, escape):
    """NUL and half a surrogate pair: PostgreSQL or UTF-8 refuse them; they carry nothing."""
    agent = api("agent1")
    body = f'{{"name": "王先生{escape}", "mobile": "13800138000"}}'
    response = raw_post(agent, "/api/v1/customers", body)
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "王先生"
    words = {"customer_id": response.json()["id"], "channel": "phone", "verbatim": "刹车失灵"}
    body = json.dumps(words, ensure_ascii=False).replace("刹车失灵", "刹车" + escape + "失灵")
    created = raw_post(agent, "/api/v1/complaints", body)
    assert created.status_code == 201 and created.json()["verbatim"] == "刹车失灵"
    search = agent.get("/api/v1/complaints?q=" + "刹车%00")
    assert search.status_code == 200 and search.json()["count"] == 1
    token = raw_post(api(None), "/api/v1/auth/token", f'{{"username": "agent1{escape}", "password": "x"}}')
    assert error_of(token, 401)
    # a paired surrogate escape is an ordinary character (here 😀) and is kept
    emoji = raw_post(agent, "/api/v1/customers", '{"name": "李\\ud83d\\ude00", "mobile": "13800138001"}')
    assert emoji.status_code == 201 and emoji.json()["name"] == "李😀"


def test_an_error_echoing_the_input_stays_json_and_short(demo, api):
    complaint = make_complaint(demo, 1)
    body = {"field": "category", "chosen": "无" * 100_000, "version": complaint.version}
    response = api("agent1").post(f"/api/v1/insights/complaints/{complaint.pk}/decisions", body)
    error = error_of(response, 422)
    assert len(error["message"]) < 1000


def test_null_for_the_customers_words_is_refused(demo, api):
    complaint = make_complaint(demo, 1)
    for name in ("verbatim", "facts"):
        body = {"version": complaint.version, name: None}
        assert (
            name in error_of(api("agent1").patch(f"/api/v1/complaints/{complaint.pk}", body), 422)["fields"]
        )


def test_dates_and_numbers_out_of_range(demo, api):
    complaint = make_complaint(demo, 1)
    agent = api("agent1")
    body = {"customer_id": complaint.customer_id, "channel": "phone", "verbatim": "异响"}
    for moment in ("0001-01-01T00:00:00+14:00", "1900-05-01T10:00:00+08:00"):
        error = error_of(agent.post("/api/v1/complaints", {**body, "received_at": moment}), 422)
        assert "received_at" in error["fields"]
    for query in (
        "received_from=0001-01-01T00:00:00%2B14:00",
        "received_to=9999-12-31T23:59:59-14:00",
        f"dealer={2**63}",
        f"assignee={2**70}",
        "page=4611686018427387904",
    ):
        error_of(agent.get(f"/api/v1/complaints?{query}"), 422)
    moves = {"action": "start_investigation", "note": "n", "promised_plan_at": "9999-12-31T23:59:59-14:00"}
    error_of(agent.post(f"/api/v1/complaints/{complaint.pk}/transitions", moves), 422)
    error_of(api("manager1").get("/api/v1/language/overrides?month=9999-12"), 422)


def test_wrong_methods_and_unknown_paths_answer_json(demo, api):
    agent = api("agent1")
    response = agent.client.delete("/api/v1/complaints", **agent.headers)
    assert error_of(response, 405)["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]
    # a trailing slash or a typo, with a token and no CSRF cookie: 404, not Django's CSRF page
    csrf_checked = Client(enforce_csrf_checks=True, **agent.headers)
    response = csrf_checked.post("/api/v1/complaints/", "{}", content_type="application/json")
    assert error_of(response, 404)["code"] == "not_found"
    error_of(Client().get("/api/"), 404)


def test_head_answers_like_get_without_a_body(demo, api):
    agent = api("agent1")
    listed = agent.client.get("/api/v1/complaints", **agent.headers)
    head = agent.client.head("/api/v1/complaints", **agent.headers)
    assert head.status_code == 200 and head.content == b""
    assert int(head["Content-Length"]) == len(listed.content)
    stranger = make_complaint(demo, 2)
    assert agent.client.head(f"/api/v1/complaints/{stranger.pk}", **agent.headers).status_code == 404
    token = agent.client.head("/api/v1/auth/token")
    assert token.status_code == 405 and "HEAD" not in token["Allow"]


def test_a_broken_upload_is_a_bad_request(demo, api):
    complaint = make_complaint(demo, 1)
    agent = api("agent1")
    response = agent.client.post(
        f"/api/v1/complaints/{complaint.pk}/attachments",
        data=b"garbage",
        content_type="multipart/form-data",
        **agent.headers,
    )
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/json")


def test_a_body_over_the_limit_is_413(demo, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    text = json.dumps({"text": "您好" * 20_000}, ensure_ascii=False)
    error_of(raw_post(api("agent1"), "/api/v1/language/check", text), 413)


def test_field_errors_speak_the_users_language(demo, api):
    agent = api("agent1")
    body = {"channel": "phone", "verbatim": "刹车异响", "customer_id": "abc", "vehicle_id": 1.5}
    chinese = error_of(agent.post("/api/v1/complaints", body), 422)["fields"]
    assert chinese["customer_id"] == "请填写整数。"
    english = agent.post("/api/v1/complaints", body, HTTP_ACCEPT_LANGUAGE="en")
    assert error_of(english, 422)["fields"]["customer_id"] == "Give a whole number."
    page = error_of(agent.get("/api/v1/complaints?page_size=500"), 422)["fields"]
    assert page["page_size"] == "取值在 1 到 100 之间。"


def test_overlong_customer_notes_are_refused_and_nothing_is_saved(demo, api):
    from kesu.customers.models import Customer

    before = Customer.objects.count()
    body = {"name": "王先生", "mobile": "13800138000", "notes": "喜欢下午来电。" * 1000}
    assert "notes" in error_of(api("agent1").post("/api/v1/customers", body), 422)["fields"]
    assert Customer.objects.count() == before
