"""The case library (案例分享): a closed complaint told anonymously in seed 003's form, found by
a two-character word, published and taken back by managers, read by the organisation's staff
and those above it."""

import re

import pytest

from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.core.errors import Forbidden, IllegalTransition, NotFound
from kesu.improvements import selectors, services
from kesu.improvements.anonymise import anonymise

SAID = (
    "我是张先生，电话13812341234，车牌粤A12345，VIN {vin}。高速上突然刹车失灵，"
    "联系人：张伟 座机020-87654321，我朋友李女士的车粤B·6789D也一样，138 1234 1234 随时打。"
)


def closed(demo, **extra):  # type: ignore[no-untyped-def]
    customer = make_customer(demo, 1)
    customer.name = "张伟"
    customer.save()
    vin = customer.vehicles.get().vin
    complaint = make_complaint(demo, 1, verbatim=SAID.format(vin=vin), customer=customer, **extra)
    Complaint.objects.filter(pk=complaint.pk).update(status="closed", plan=f"为{customer.name}更换刹车总泵")
    return Complaint.objects.get(pk=complaint.pk)


def a_case(demo, complaint):  # type: ignore[no-untyped-def]
    return services.create_case(
        actor=demo.users["manager1"],
        data=services.CaseInput(
            complaint_id=complaint.pk,
            title="刹车失灵：先处理心情，再处理事情",
            analysis="张先生多次反映，经销商未及时关怀",
            commentary="与时间赛跑，大事化小",
        ),
    )


def test_no_name_phone_plate_or_vin_survives(demo):
    complaint = closed(demo)
    case = a_case(demo, complaint)
    vehicle, customer = complaint.vehicle, complaint.customer
    texts = " ".join([case.title, case.case_text, case.analysis, case.commentary])
    for secret in (
        "张伟",
        "张先生",
        "李女士",
        customer.mobile,
        vehicle.plate,
        vehicle.vin,
        "粤B",
        "87654321",
    ):
        assert secret not in texts, secret
    assert not re.search(r"1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}", texts)
    assert not re.search(r"[A-HJ-NPR-Z0-9]{17}", texts)
    assert "刹车失灵" in case.case_text and "更换刹车总泵" in case.case_text  # the story stays


def test_masking_by_pattern_alone():
    text = anonymise("王先生的车京A·D12345，VIN lgbh52e05ky123450，手机 139-1234-5678")
    assert text == "某客户的车[车牌]，VIN [VIN]，手机 [电话]"


def test_only_a_closed_complaint_becomes_a_case_once(demo):
    complaint = make_complaint(demo, 1)
    with pytest.raises(IllegalTransition) as error:
        a_case(demo, complaint)
    assert "complaint_id" in error.value.fields
    complaint = closed(demo)
    a_case(demo, complaint)
    with pytest.raises(IllegalTransition):
        a_case(demo, complaint)
    with pytest.raises(NotFound):  # another dealer's complaint
        services.create_case(
            actor=demo.users["manager2"],
            data=services.CaseInput(complaint_id=complaint.pk, title="t", analysis="a", commentary="c"),
        )


def test_a_published_case_is_found_by_a_two_character_word(demo):
    case = a_case(demo, closed(demo))
    agent = demo.users["agent1"]
    assert list(selectors.cases_for(actor=agent, q="刹车")) == []  # a draft: not for training yet
    services.set_published(actor=demo.users["manager1"], case_id=case.pk, published=True)
    for word in ("刹车", "失灵", "刹车失灵", "赛跑", "心情"):
        assert list(selectors.cases_for(actor=agent, q=word)) == [case], word
    assert list(selectors.cases_for(actor=agent, q="发动机")) == []
    assert list(selectors.cases_for(actor=agent, q="车失灵刹")) == []  # bigrams aligned, not a bag
    for username in ("dept1", "region1", "crc1"):
        assert list(selectors.cases_for(actor=demo.users[username], q="刹车")) == [case]
    for username in ("agent2", "region2"):
        assert list(selectors.cases_for(actor=demo.users[username], q="刹车")) == []
    with pytest.raises(Forbidden):
        services.set_published(actor=agent, case_id=case.pk, published=False)
    services.set_published(actor=demo.users["gm1"], case_id=case.pk, published=False)
    assert list(selectors.cases_for(actor=agent, q="刹车")) == []
    with pytest.raises(NotFound):  # a draft is not shown to staff who do not publish
        services.get_case(actor=agent, case_id=case.pk)


def test_an_edit_is_masked_too_and_a_stale_one_refused(demo):
    from kesu.core.errors import StaleVersion

    case = a_case(demo, closed(demo))
    changes = services.CaseChanges(version=case.version, analysis="客户张伟来电 13812341234")
    case = services.update_case(actor=demo.users["manager1"], case_id=case.pk, changes=changes)
    assert "张伟" not in case.analysis and "13812341234" not in case.analysis
    with pytest.raises(StaleVersion):
        services.update_case(actor=demo.users["manager1"], case_id=case.pk, changes=changes)
