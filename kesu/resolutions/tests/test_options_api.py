"""Countermeasure options through the API: drafting with amounts, proposing within authority or
through an approval, the customer's answer driving the workflow, and every bad input refused
naming its field with nothing half-saved."""

import base64
import zlib
from datetime import timedelta
from decimal import Decimal
from struct import pack

import pytest
from django.utils import timezone

from kesu import flows
from kesu.approvals.models import ApprovalRequest
from kesu.complaints.models import Complaint, TimelineEntry
from kesu.complaints.tests.factories import make_complaint
from kesu.resolutions.models import Option, OptionAnswer, OptionLine


def tiny_png(width: int = 4, height: int = 2) -> bytes:
    """A real PNG (black pixels), as a canvas's toDataURL would give."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return pack(">I", len(data)) + kind + data + pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x00\x00\x00\xff" * width for _ in range(height))
    header = pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


SIGNATURE = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()


def investigating(demo, api, dealer: int = 1, **extra) -> Complaint:
    complaint = make_complaint(demo, dealer, **extra)
    promised = (timezone.now() + timedelta(days=1)).isoformat()
    response = api(f"agent{dealer}").post(
        f"/api/v1/complaints/{complaint.pk}/transitions",
        {"action": "start_investigation", "promised_plan_at": promised, "note": "已致歉，记录诉求"},
    )
    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    return complaint


def body(*lines: tuple[str, object], **extra) -> dict:
    return {
        "lines": [{"remedy": remedy, "amount": amount, "note": ""} for remedy, amount in lines],
        "schedule": "今天下午三点前完成维修并通知您取车",
        "pros": "当天修好，不耽误您明天用车",
        "cons": "需要您来店里取车",
        **extra,
    }


def options_url(complaint: Complaint, option_id: int | None = None, tail: str = "") -> str:
    url = f"/api/v1/complaints/{complaint.pk}/options"
    if option_id is not None:
        url += f"/{option_id}"
    return url + tail


def create(api, user: str, complaint: Complaint, *lines, **extra) -> dict:
    response = api(user).post(options_url(complaint), body(*lines, **extra))
    assert response.status_code == 201, response.content
    return response.json()


def counts() -> tuple[int, ...]:
    return (
        Option.objects.count(),
        OptionLine.objects.count(),
        OptionAnswer.objects.count(),
        TimelineEntry.objects.count(),
        ApprovalRequest.objects.count(),
    )


# --- drafting ----------------------------------------------------------------------------------


def test_a_draft_option_sums_its_remedies_and_says_so_on_the_timeline(demo, api):
    complaint = investigating(demo, api)
    option = create(api, "manager1", complaint, ("towing", "300"), ("transport", 85.5), ("apology", 0))
    assert option["state"] == "draft" and option["label"] == "方案一"
    assert option["total"] == "385.50"
    assert [(line["remedy"], line["amount"]) for line in option["lines"]] == [
        ("towing", "300.00"),
        ("transport", "85.50"),
        ("apology", "0.00"),
    ]
    assert [line["remedy_label"] for line in option["lines"]][0] == "拖车费报销"
    entry = complaint.timeline.filter(kind="option").get()
    assert entry.action == "drafted" and "¥385.50" in entry.note
    listed = api("agent1").get(options_url(complaint)).json()
    assert [o["id"] for o in listed] == [option["id"]]
    timeline = api("agent1").get(f"/api/v1/complaints/{complaint.pk}/timeline").json()
    assert any(e["kind"] == "option" for e in timeline)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (-1, "负"),
        ("-0.01", "负"),
        ("NaN", "1200.50"),
        ("Infinity", "1200.50"),
        ("1.005", "2 位小数"),
        (0.125, "2 位小数"),
        (10_000_000.01, "10,000,000"),
        ("99999999999999", "10,000,000"),
        ("十元", "1200.50"),
        ("", "1200.50"),
    ],
)
def test_bad_amounts_are_refused_naming_the_line_and_nothing_is_saved(demo, api, amount, words):
    complaint = investigating(demo, api)
    before = counts()
    response = api("manager1").post(options_url(complaint), body(("towing", "100"), ("transport", amount)))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert "lines.1.amount" in error["fields"], error
    assert words in error["fields"]["lines.1.amount"]
    assert counts() == before


def test_an_amount_with_trailing_zeros_is_fine_and_commas_are_read(demo, api):
    complaint = investigating(demo, api)
    option = create(api, "manager1", complaint, ("compensation", "1,200.500"), ("gift", "0.10"))
    assert option["total"] == "1200.60"


def test_the_total_cannot_be_absurd_either(demo, api):
    complaint = investigating(demo, api)
    before = counts()
    lines = [("compensation", "9000000")] * 2
    response = api("manager1").post(options_url(complaint), body(*lines))
    assert response.status_code == 422 and "lines" in response.json()["error"]["fields"]
    assert counts() == before


def test_unknown_remedy_missing_schedule_and_no_lines_name_their_fields(demo, api):
    complaint = investigating(demo, api)
    before = counts()
    response = api("manager1").post(options_url(complaint), body(("spa_day", "100"), schedule=" "))
    fields = response.json()["error"]["fields"]
    assert response.status_code == 422
    assert "spa_day" in fields["lines.0.remedy"] and "schedule" in fields
    response = api("manager1").post(options_url(complaint), {**body(), "lines": []})
    assert response.status_code == 422 and "lines" in response.json()["error"]["fields"]
    response = api("manager1").post(
        options_url(complaint), {"lines": [{"remedy": "gift"}], "schedule": "今天"}
    )
    assert response.status_code == 422 and "lines.0.amount" in response.json()["error"]["fields"]
    assert counts() == before


def test_what_the_customer_is_told_passes_the_guard(demo, api):
    complaint = investigating(demo, api)
    before = counts()
    response = api("manager1").post(
        options_url(complaint), body(("free_repair", 0), cons="再多的这我做不到。")
    )
    error = response.json()["error"]
    assert response.status_code == 422 and error["code"] == "forbidden_phrase"
    assert list(error["fields"]) == ["cons"]
    assert counts() == before
    response = api("manager1").post(
        options_url(complaint),
        body(("free_repair", 0), cons="再多的这我做不到。", override_reason="客户原话复述，需如实记录"),
    )
    assert response.status_code == 201


def test_roles_without_the_capability_are_refused(demo, api):
    complaint = investigating(demo, api)
    before = counts()
    response = api("region1").post(options_url(complaint), body(("gift", 100)))
    assert response.status_code == 403
    assert counts() == before


# --- proposing ---------------------------------------------------------------------------------


def test_within_authority_the_option_is_proposed_and_becomes_the_plan(demo, api):
    complaint = investigating(demo, api)
    option = create(api, "manager1", complaint, ("towing", "300"), ("free_repair", 0))
    response = api("manager1").post(
        options_url(complaint, option["id"], "/propose"), {"root_cause": "油泵质量问题，经销商无备货"}
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["approval_request"] is None
    assert answer["option"]["state"] == "proposed" and answer["complaint_status"] == "plan_proposed"
    complaint.refresh_from_db()
    assert complaint.status == "plan_proposed"
    assert complaint.root_cause == "油泵质量问题，经销商无备货"
    assert complaint.plan.startswith("方案一：") and "¥300.00" in complaint.plan
    assert complaint.timeline.filter(kind="transition", action="propose_plan").exists()


def test_the_root_cause_is_needed_from_somewhere(demo, api):
    complaint = investigating(demo, api)
    option = create(api, "manager1", complaint, ("towing", "300"))
    before = counts()
    response = api("manager1").post(options_url(complaint, option["id"], "/propose"), {})
    assert response.status_code == 422 and "root_cause" in response.json()["error"]["fields"]
    assert counts() == before
    assert Option.objects.get(pk=option["id"]).state == "draft"


def test_beyond_authority_an_approval_is_opened_and_its_approval_proposes(demo, api):
    complaint = investigating(demo, api)
    option = create(api, "manager1", complaint, ("compensation", "5000"), ("towing", "300"))
    response = api("manager1").post(
        options_url(complaint, option["id"], "/propose"), {"root_cause": "刹车系统故障"}
    )
    assert response.status_code == 202, response.content
    request = response.json()["approval_request"]
    assert request["status"] == "pending" and request["total"] == "5300.00"
    assert request["current_role"] == "general_manager"
    assert response.json()["option"]["state"] == "pending_approval"
    complaint.refresh_from_db()
    assert complaint.status == "investigating" and complaint.plan == ""  # nothing promised yet
    # locked while it waits: no edit, no second proposal
    locked = api("manager1").patch(options_url(complaint, option["id"]), body(("compensation", "100")))
    assert locked.status_code == 409 and locked.json()["error"]["code"] == "option_locked"
    again = api("manager1").post(options_url(complaint, option["id"], "/propose"), {"root_cause": "x"})
    assert again.status_code == 409
    flows.approvals.decide(
        actor=demo.users["gm1"], request_id=request["id"], decision="approve", comment="同意"
    )
    complaint.refresh_from_db()
    stored = Option.objects.get(pk=option["id"])
    assert stored.state == "proposed" and stored.approved_at is not None
    assert complaint.status == "plan_proposed" and "¥5,000.00" in complaint.plan
    entry = complaint.timeline.get(kind="transition", action="propose_plan")
    assert entry.actor == demo.users["manager1"] and str(demo.users["gm1"]) in entry.note


def test_a_sent_back_option_is_a_draft_again(demo, api):
    complaint = investigating(demo, api)
    option = create(api, "manager1", complaint, ("compensation", "5000"))
    request = (
        api("manager1")
        .post(options_url(complaint, option["id"], "/propose"), {"root_cause": "刹车系统故障"})
        .json()["approval_request"]
    )
    flows.approvals.decide(
        actor=demo.users["gm1"],
        request_id=request["id"],
        decision="send_back",
        comment="金额过高，请重新协商",
    )
    assert Option.objects.get(pk=option["id"]).state == "draft"
    changed = api("manager1").patch(options_url(complaint, option["id"]), body(("compensation", "1500")))
    assert changed.status_code == 200 and changed.json()["total"] == "1500.00"


def test_nobody_may_approve_it_then_422_over_authority_and_nothing_is_saved(demo, api):
    complaint = investigating(demo, api)
    option = create(api, "manager1", complaint, ("return", "2000000"))
    before = counts()
    response = api("manager1").post(options_url(complaint, option["id"], "/propose"), {"root_cause": "故障"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "over_authority" and error["fields"]
    assert counts() == before
    assert Option.objects.get(pk=option["id"]).state == "draft"


def test_revising_an_option_waiting_for_approval_withdraws_the_request(demo, api):
    complaint = investigating(demo, api)
    option = create(api, "manager1", complaint, ("compensation", "5000"))
    api("manager1").post(options_url(complaint, option["id"], "/propose"), {"root_cause": "故障"})
    response = api("manager1").post(
        options_url(complaint, option["id"], "/revise"), body(("compensation", "1800"))
    )
    assert response.status_code == 201
    new = response.json()
    assert new["revises_id"] == option["id"] and new["label"] == "方案二" and new["state"] == "draft"
    assert Option.objects.get(pk=option["id"]).state == "superseded"
    assert ApprovalRequest.objects.get(subject_id=option["id"]).status == "superseded"
    proposed = api("manager1").post(options_url(complaint, new["id"], "/propose"), {"root_cause": "故障"})
    assert proposed.status_code == 200


def test_another_dealers_option_is_not_found(demo, api):
    mine = investigating(demo, api, 1)
    theirs = investigating(demo, api, 2)
    option = create(api, "manager2", theirs, ("towing", "300"))
    before = counts()
    for path in ("/propose", "/answer", "/revise", "/agreement.pdf", ""):
        for complaint in (mine, theirs):
            url = options_url(complaint, option["id"], path)
            response = (
                api("manager1").get(url)
                if path in ("/agreement.pdf", "")
                else api("manager1").post(url, {"answer": "agreed", "root_cause": "x", **body(("gift", 1))})
            )
            assert response.status_code == 404, (url, response.content)
    assert counts() == before
    assert api("manager1").get(options_url(theirs)).status_code == 404


# --- the customer's answer ---------------------------------------------------------------------


def proposed(demo, api, *lines) -> tuple[Complaint, dict]:
    complaint = investigating(demo, api)
    option = create(api, "manager1", complaint, *(lines or (("towing", "300"),)))
    response = api("manager1").post(
        options_url(complaint, option["id"], "/propose"), {"root_cause": "油泵故障"}
    )
    assert response.status_code == 200, response.content
    return complaint, response.json()["option"]


def test_agreed_by_phone_moves_the_complaint_and_twice_is_409(demo, api):
    complaint, option = proposed(demo, api)
    answer = {"answer": "agreed", "method": "phone", "call_note": "15:20 致电客户，客户同意报销拖车费"}
    response = api("agent1").post(options_url(complaint, option["id"], "/answer"), answer)
    assert response.status_code == 201, response.content
    recorded = response.json()
    assert recorded["customer_name"] == "张先生" and recorded["method"] == "phone"
    complaint.refresh_from_db()
    assert complaint.status == "agreed"
    entry = complaint.timeline.get(kind="transition", action="customer_agrees")
    assert "方案一" in entry.note and "拖车费" in entry.note
    before = counts()
    again = api("agent1").post(options_url(complaint, option["id"], "/answer"), answer)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_answered" and "answer" in again.json()["error"]["fields"]
    rejected = api("agent1").post(
        options_url(complaint, option["id"], "/answer"), {"answer": "rejected", "reason": "改主意了"}
    )
    assert rejected.status_code == 409
    assert counts() == before


def test_an_agreement_without_a_chosen_option_names_option_id(demo, api):
    complaint = investigating(demo, api)
    option = create(api, "manager1", complaint, ("towing", "300"))
    before = counts()
    response = api("agent1").post(
        options_url(complaint, option["id"], "/answer"),
        {"answer": "agreed", "method": "sms", "sms_text": "同意"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "no_chosen_option" and "option_id" in error["fields"]
    pdf = api("agent1").get(options_url(complaint, option["id"], "/agreement.pdf"))
    assert pdf.status_code == 422 and "option_id" in pdf.json()["error"]["fields"]
    assert counts() == before


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"answer": "agreed"}, "method"),
        ({"answer": "agreed", "method": "fax"}, "method"),
        ({"answer": "agreed", "method": "signature"}, "signature"),
        ({"answer": "agreed", "method": "signature", "signature": "data:image/png;base64,AAAA"}, "signature"),
        (
            {"answer": "agreed", "method": "signature", "signature": "data:image/jpeg;base64,/9j/"},
            "signature",
        ),
        ({"answer": "agreed", "method": "phone"}, "call_note"),
        ({"answer": "agreed", "method": "sms"}, "sms_text"),
        ({"answer": "rejected"}, "reason"),
        ({"answer": "maybe"}, "answer"),
        ({"answer": "asked_for_time", "until": "2001-01-01"}, "until"),
        (
            {"answer": "agreed", "method": "sms", "sms_text": "好", "answered_at": "2099-01-01T10:00+08:00"},
            "answered_at",
        ),
    ],
)
def test_bad_answers_name_their_field_and_change_nothing(demo, api, answer, field):
    complaint, option = proposed(demo, api)
    before = counts()
    response = api("agent1").post(options_url(complaint, option["id"], "/answer"), answer)
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert counts() == before
    complaint.refresh_from_db()
    assert complaint.status == "plan_proposed"


def test_rejected_goes_back_to_investigating_and_a_new_option_can_follow(demo, api):
    complaint, option = proposed(demo, api)
    response = api("manager1").post(
        options_url(complaint, option["id"], "/answer"),
        {"answer": "rejected", "reason": "要求赔偿精神损失费"},
    )
    assert response.status_code == 201
    complaint.refresh_from_db()
    assert complaint.status == "investigating"
    assert Option.objects.get(pk=option["id"]).state == "rejected"
    second = create(api, "manager1", complaint, ("towing", "300"), ("transport", "120"))
    response = api("manager1").post(options_url(complaint, second["id"], "/propose"), {})
    assert response.status_code == 200  # the root cause recorded with the first proposal is reused
    assert complaint.timeline.filter(action="customer_rejects").exists()


def test_asking_for_time_keeps_the_plan_open_then_the_customer_agrees(demo, api):
    complaint, option = proposed(demo, api)
    until = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = api("agent1").post(
        options_url(complaint, option["id"], "/answer"), {"answer": "asked_for_time", "until": until}
    )
    assert response.status_code == 201
    complaint.refresh_from_db()
    assert complaint.status == "plan_proposed"
    assert Option.objects.get(pk=option["id"]).state == "asked_for_time"
    assert complaint.timeline.filter(kind="option", action="asked_for_time").exists()
    twice = api("agent1").post(options_url(complaint, option["id"], "/answer"), {"answer": "asked_for_time"})
    assert twice.status_code == 409
    agreed = api("agent1").post(
        options_url(complaint, option["id"], "/answer"),
        {"answer": "agreed", "method": "signature", "signature": SIGNATURE, "customer_name": "张伟"},
    )
    assert agreed.status_code == 201 and agreed.json()["has_signature"] is True
    assert bytes(OptionAnswer.objects.get(answer="agreed").signature_png or b"") == tiny_png()
    complaint.refresh_from_db()
    assert complaint.status == "agreed"


def test_only_the_desk_records_the_answer(demo, api):
    complaint, option = proposed(demo, api)
    before = counts()
    response = api("dept1").post(
        options_url(complaint, option["id"], "/answer"),
        {"answer": "agreed", "method": "sms", "sms_text": "同意"},
    )
    assert response.status_code == 403
    assert counts() == before


def test_the_customers_answer_on_a_stale_version_is_refused(demo, api):
    complaint, option = proposed(demo, api)
    before = counts()
    response = api("agent1").post(
        options_url(complaint, option["id"], "/answer"),
        {"answer": "agreed", "method": "sms", "sms_text": "同意", "version": complaint.version - 1},
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "stale_version"
    assert counts() == before


def test_option_amounts_are_stored_exactly(demo, api):
    complaint = investigating(demo, api)
    option = create(api, "manager1", complaint, ("discount", "1999.99"), ("gift", "0.01"))
    stored = Option.objects.get(pk=option["id"])
    assert stored.total == Decimal("2000.00")
    assert sorted(stored.lines.values_list("amount", flat=True)) == [Decimal("0.01"), Decimal("1999.99")]
