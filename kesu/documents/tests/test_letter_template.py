"""A dealer edits its own 书面答复 template: managers only, known placeholders only, and words
that pass the dealer's forbidden-phrase list; the letters of that dealer use it."""

import json

import pytest

from kesu.documents.models import LetterTemplate
from kesu.documents.services import DEFAULT_BODY
from kesu.documents.tests.helpers import PLAN, with_plan

pytestmark = pytest.mark.django_db


def put(api, user, body, *, title="书面答复", **extra):  # type: ignore[no-untyped-def]
    client = api(user)
    payload = json.dumps({"title": title, "body": body, **extra})
    return client.client.put(
        "/api/v1/documents/letter-template", data=payload, content_type="application/json", **client.headers
    )


BODY = "{customer_name}先生/女士：\n投诉{number}的处理方案：{plan}\n联系人：{contact}\n{dealer} {date}"


def test_a_dealer_starts_from_the_default(demo, api):
    body = api("agent1").get("/api/v1/documents/letter-template").json()
    assert body["is_default"] is True and body["body"] == DEFAULT_BODY
    assert body["organization_id"] == demo.dealers["D1"].pk
    assert "{findings}" in body["body"] and "findings" in body["placeholders"]


def test_the_service_manager_saves_the_dealers_letter_and_letters_use_it(demo, api):
    saved = put(api, "manager1", BODY, title="客户投诉书面答复函")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["is_default"] is False
    complaint = with_plan(demo)
    sent = api("agent1").post(f"/api/v1/complaints/{complaint.pk}/written-answer", {"channel": "printed"})
    assert sent.status_code == 201
    assert sent.json()["title"] == "客户投诉书面答复函"
    assert sent.json()["text"].startswith("张先生先生/女士：") and PLAN in sent.json()["text"]
    # another dealer still has the default
    assert api("agent2").get("/api/v1/documents/letter-template").json()["is_default"] is True


def test_only_the_dealers_managers_edit_it(demo, api):
    assert put(api, "agent1", BODY).status_code == 403
    assert put(api, "dept1", BODY).status_code == 403
    assert put(api, "manager1", BODY, organization_id=demo.dealers["D2"].pk).status_code == 403
    assert put(api, "gm1", BODY).status_code == 200
    assert put(api, "admin", BODY, organization_id=demo.dealers["D2"].pk).status_code == 200
    assert set(LetterTemplate.objects.values_list("organization__code", flat=True)) == {"D1", "D2"}


def test_unknown_placeholders_and_forbidden_phrases_are_refused_naming_the_field(demo, api):
    unknown = put(api, "manager1", "{customer_name}：{refund_amount}")
    assert unknown.status_code == 422
    assert "{refund_amount}" in unknown.json()["error"]["fields"]["body"]
    rude = put(api, "manager1", "{customer_name}：我们的程序就是这样，只有等。")
    assert rude.status_code == 422
    assert rude.json()["error"]["code"] == "forbidden_phrase" and "body" in rude.json()["error"]["fields"]
    empty = put(api, "manager1", "", title=" ")
    assert set(empty.json()["error"]["fields"]) == {"title", "body"}
    assert not LetterTemplate.objects.exists()
