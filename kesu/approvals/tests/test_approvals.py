"""Authority limits (核决权限), approval chains and decisions, the approval clock, payment tasks —
through the real services, the API and the page, as the people involved would notice."""

import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PASSWORD
from kesu.approvals import services
from kesu.approvals.choices import LADDER, LIMIT_ROLES, RequestStatus, StepState
from kesu.approvals.models import ApprovalDecision, ApprovalRequest, AuthorityLimit, PaymentTask
from kesu.complaints.choices import EventKind
from kesu.complaints.models import TimelineEntry
from kesu.complaints.tests.factories import make_complaint
from kesu.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from kesu.flows import approvals as approval_flows
from kesu.notifications.models import Notification
from kesu.organizations.choices import Role
from kesu.organizations.models import User
from kesu.resolutions.choices import Remedy
from kesu.worklist.models import WorkItem

SUBJECT = "tests.thing"  # not an option: the flow leaves the subject alone


def open_for(
    demo: Any, requester: str, total: str, remedies: list[str], complaint: Any = None, subject_id: int = 1
):
    complaint = complaint or make_complaint(demo, 1)
    return services.open_request(
        actor=demo.users[requester],
        complaint=complaint,
        subject_model=SUBJECT,
        subject_id=subject_id,
        total=Decimal(total),
        remedies=remedies,
        summary="补偿客户拖车费及交通费",
    )


def decide(
    demo: Any, who: str, request: ApprovalRequest, decision: str = "approve", comment: str = ""
) -> Any:
    return approval_flows.decide(
        actor=demo.users[who], request_id=request.pk, decision=decision, comment=comment
    )


def put(client: Any, path: str, body: Any) -> Any:
    return client._send("put", path, body)


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


# --- limits per role -------------------------------------------------------------------------------


def test_demo_defaults_per_role(demo):
    agent, manager, gm, region = (
        services.authority_of(demo.users[u]) for u in ("agent1", "manager1", "gm1", "region1")
    )
    assert agent.max_total == Decimal("500.00") and agent.remedies == {"free_repair", "apology", "gift"}
    assert manager.max_total == Decimal("2000.00")
    assert Remedy.RETURN not in manager.remedies and Remedy.EXCHANGE not in manager.remedies
    assert (
        gm.max_total == Decimal("20000.00")
        and Remedy.EXCHANGE in gm.remedies
        and Remedy.RETURN not in gm.remedies
    )
    assert Remedy.RETURN in region.remedies
    assert services.authority_of(demo.users["crc1"]).max_total == 0  # off the ladder: promises nothing


def test_within_authority(demo):
    manager = demo.users["manager1"]
    assert services.within_authority(user=manager, total=Decimal("1800"), remedies=["towing", "transport"])
    assert not services.within_authority(user=manager, total=Decimal("2000.01"), remedies=["towing"])
    assert not services.within_authority(user=manager, total=Decimal("100"), remedies=["exchange"])
    # seed 003's storm wiper: the agent fixes it on the spot, with a meal and a small gift
    assert services.within_authority(
        user=demo.users["agent1"], total=Decimal("300"), remedies=["free_repair", "gift"]
    )


def test_a_dealers_own_limit_wins_over_the_region_default_and_the_installation_default(demo):
    region, dealer = demo.regions["R-S"], demo.dealers["D1"]
    AuthorityLimit.objects.create(
        organization=region, role=Role.SERVICE_MANAGER, max_total=3000, remedies=["towing"]
    )
    assert services.authority_of(demo.users["manager1"]).max_total == Decimal("3000.00")
    assert services.authority_of(demo.users["manager2"]).max_total == Decimal("3000.00")  # D2 is in R-S too
    assert services.authority_of(demo.users["manager3"]).max_total == Decimal("2000.00")  # R-N: the default
    AuthorityLimit.objects.create(
        organization=dealer, role=Role.SERVICE_MANAGER, max_total=5000, remedies=["towing"]
    )
    mine = services.authority_of(demo.users["manager1"])
    assert mine.max_total == Decimal("5000.00") and mine.source_org_id == dealer.pk


@pytest.mark.parametrize(
    ("value", "message_part"),
    [
        ("-1", "negative"),
        ("NaN", "1200.50"),
        ("Infinity", "1200.50"),
        ("1.001", "2"),
        ("1e12", "At most"),
        ("abc", "1200.50"),
    ],
)
def test_bad_amounts_name_the_field(value, message_part):
    with pytest.raises(InvalidInput) as caught:
        services.money(value, "total")
    assert "total" in caught.value.fields


def test_a_float_amount_is_refused():
    with pytest.raises(InvalidInput):
        services.money(0.1, "total")


# --- the chain ------------------------------------------------------------------------------------

MONEY = st.decimals(min_value=0, max_value=3_000_000, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(
    requester=st.sampled_from(list(Role)),
    caps=st.lists(MONEY, min_size=3, max_size=3),
    allowed=st.lists(st.sets(st.sampled_from(Remedy.values)), min_size=3, max_size=3),
    staffed=st.sets(st.sampled_from([str(r) for r in LADDER])),
    total=MONEY,
    remedies=st.sets(st.sampled_from(Remedy.values), max_size=4),
)
def test_the_last_approver_always_covers_and_nobody_approves_at_or_below_the_requester(
    requester, caps, allowed, staffed, total, remedies
):
    limits = {
        str(role): services.Authority(str(role), cap, frozenset(ok))
        for role, cap, ok in zip(LADDER, caps, allowed, strict=True)
    }
    try:
        chain = services.compute_chain(
            requester_role=requester, limits=limits, staffed=staffed, total=total, remedies=remedies
        )
    except services.OverAuthority as exc:
        # nobody staffed above the requester covers it, and the error names the top limit
        above = LADDER[services.ladder_index(requester) :]
        assert not any(r in staffed and limits[r].covers(total, remedies) for r in above)
        assert exc.status == 422 and exc.code == "over_authority" and "¥" in exc.message
        return
    assert chain and limits[chain[-1]].covers(total, remedies)
    assert requester not in chain
    assert all(LADDER.index(Role(r)) >= services.ladder_index(requester) for r in chain)
    assert all(r in staffed for r in chain)
    assert chain == sorted(chain, key=lambda r: LADDER.index(Role(r)))


@pytest.mark.parametrize(
    ("requester", "total", "remedies", "chain"),
    [
        ("agent1", "1000", ["compensation"], ["service_manager"]),
        ("agent1", "5000", ["compensation"], ["general_manager"]),
        ("manager1", "5000", ["towing"], ["general_manager"]),
        ("manager1", "15000", ["exchange"], ["general_manager"]),
        ("manager1", "300000", ["return"], ["general_manager", "region_manager"]),  # GM signs, then region
        ("gm1", "300000", ["return"], ["region_manager"]),
        ("gm1", "25000", ["compensation"], ["region_manager"]),
    ],
)
def test_chains_of_the_demo_limits(demo, requester, total, remedies, chain):
    request = open_for(demo, requester, total, remedies)
    assert [s.role for s in request.steps.order_by("position")] == chain
    first = request.steps.get(position=0)
    assert first.state == StepState.PENDING and request.approver_role == chain[0]
    for user in User.objects.filter(role__in=chain):
        assert user.pk != request.requested_by_id


def test_beyond_every_limit_is_422_over_authority_naming_the_limit(demo):
    with pytest.raises(DomainError) as caught:
        open_for(demo, "gm1", "2000000", ["return"])
    assert caught.value.code == "over_authority" and caught.value.status == 422
    assert "¥1,000,000.00" in caught.value.message and "total" in caught.value.fields
    assert not ApprovalRequest.objects.exists()


def test_a_rung_nobody_holds_is_skipped_and_without_any_it_is_over_authority(demo):
    User.objects.filter(username="gm1").update(is_active=False)
    request = open_for(demo, "manager1", "5000", ["towing"])
    assert [s.role for s in request.steps.all()] == ["region_manager"]
    User.objects.filter(role=Role.REGION_MANAGER).update(is_active=False)
    with pytest.raises(DomainError) as caught:
        open_for(demo, "manager1", "5000", ["towing"], subject_id=2)
    assert caught.value.code == "over_authority"


def test_bad_inputs_to_open_name_the_field(demo):
    complaint = make_complaint(demo, 1)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"total": Decimal("-5")}, "total"),
        ({"remedies": ["bribe"]}, "remedies"),
        ({"summary": "  "}, "summary"),
    ]
    for kwargs, field in cases:
        values: dict[str, Any] = {
            "total": Decimal("5000"),
            "remedies": ["towing"],
            "summary": "拖车费",
            **kwargs,
        }
        with pytest.raises(InvalidInput) as caught:
            services.open_request(
                actor=demo.users["manager1"],
                complaint=complaint,
                subject_model=SUBJECT,
                subject_id=1,
                **values,
            )
        assert field in caught.value.fields
    assert not ApprovalRequest.objects.exists()


# --- deciding ---------------------------------------------------------------------------------------


def test_a_return_climbs_gm_then_region_and_everything_is_recorded(demo):
    complaint = make_complaint(demo, 1, verbatim="刹车失灵，我要退车")
    request = open_for(demo, "manager1", "300000", ["return"], complaint=complaint)
    assert list(services.waiting_for(demo.users["gm1"])) == [request]
    assert not services.waiting_for(demo.users["region1"]).exists()
    assert Notification.objects.filter(
        recipient=demo.users["gm1"], dedupe_key__startswith=f"approval:{request.pk}:0"
    ).exists()
    assert (
        WorkItem.objects.get(ref_model="approvals.approvalstep", state="open").assignee == demo.users["gm1"]
    )

    request = decide(demo, "gm1", request, comment="同意上报区域")
    assert request.status == RequestStatus.PENDING and request.approver_role == Role.REGION_MANAGER
    assert list(services.waiting_for(demo.users["region1"])) == [request]
    assert not services.waiting_for(demo.users["region2"]).exists()  # the other region
    assert not services.waiting_for(demo.users["gm1"]).exists()

    request = decide(demo, "region1", request)
    assert request.status == RequestStatus.APPROVED and request.decided_at
    assert ApprovalDecision.objects.filter(request=request).count() == 2
    actions = list(
        TimelineEntry.objects.filter(complaint=complaint, kind=EventKind.APPROVAL).values_list(
            "action", flat=True
        )
    )
    assert actions == ["requested", "approve", "approve"]
    task = PaymentTask.objects.get(request=request)
    assert task.kind == "payment" and task.amount == Decimal("300000.00")  # the refund, for finance
    assert WorkItem.objects.filter(kind="payment", ref_id=task.pk, state="open").exists()
    assert not WorkItem.objects.filter(kind="approval", state="open").exists()


def test_nobody_approves_their_own_request(demo):
    request = open_for(demo, "manager1", "5000", ["towing"])
    with pytest.raises(Forbidden):
        decide(demo, "manager1", request)


def test_only_the_current_steps_approvers_decide(demo):
    request = open_for(demo, "manager1", "300000", ["return"])
    for stranger in ("agent1", "dept1", "region1", "admin"):
        with pytest.raises(Forbidden):
            decide(demo, stranger, request)
    with pytest.raises(NotFound):
        decide(demo, "crc1", request)  # the carmaker sees it once escalated
    with pytest.raises(NotFound):
        decide(demo, "gm2", request)  # another dealer's: not even there
    with pytest.raises(NotFound):
        decide(demo, "region2", request)
    assert ApprovalDecision.objects.count() == 0


def test_deciding_a_decided_request_is_409(demo):
    request = open_for(demo, "manager1", "5000", ["towing"])
    decide(demo, "gm1", request, "reject", "金额过高")
    demo.users["gm1b"] = User.objects.create_user(
        "gm1b", password=PASSWORD, role=Role.GENERAL_MANAGER, organization=demo.dealers["D1"]
    )
    with pytest.raises(DomainError) as caught:
        decide(demo, "gm1b", request)
    assert caught.value.status == 409 and caught.value.code == "already_decided"


def test_the_same_decision_twice_is_409(demo):
    request = open_for(demo, "manager1", "300000", ["return"])
    decide(demo, "gm1", request)
    with pytest.raises(DomainError) as caught:
        decide(demo, "gm1", request)
    assert caught.value.status == 409 and caught.value.code == "already_decided"
    assert ApprovalDecision.objects.count() == 1


def test_a_superseded_request_is_409(demo):
    complaint = make_complaint(demo, 1)
    old = open_for(demo, "manager1", "5000", ["towing"], complaint=complaint)
    new = open_for(demo, "manager1", "6000", ["towing"], complaint=complaint)  # same subject
    old.refresh_from_db()
    assert old.status == RequestStatus.SUPERSEDED
    with pytest.raises(DomainError) as caught:
        decide(demo, "gm1", old)
    assert caught.value.status == 409 and caught.value.code == "superseded"
    assert list(services.waiting_for(demo.users["gm1"])) == [new]
    assert services.supersede_request(actor=demo.users["manager1"], request_id=new.pk)
    assert not services.waiting_for(demo.users["gm1"]).exists()


def test_reject_and_send_back_need_a_reason_and_a_known_decision(demo):
    request = open_for(demo, "manager1", "5000", ["towing"])
    for decision, comment, field in [
        ("send_back", "", "comment"),
        ("reject", " ", "comment"),
        ("maybe", "x", "decision"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            decide(demo, "gm1", request, decision, comment)
        assert field in caught.value.fields
    request = decide(demo, "gm1", request, "send_back", "请补充拖车发票")
    assert request.status == RequestStatus.SENT_BACK
    assert Notification.objects.filter(
        recipient=demo.users["manager1"], dedupe_key__contains="sent_back"
    ).exists()


def _two_at_once(demo: Any, request: ApprovalRequest, names: tuple[str, str]) -> list[Any]:
    results: list[Any] = []
    barrier = threading.Barrier(2)

    def run(name: str) -> None:
        try:
            barrier.wait()
            results.append(decide(demo, name, request).status)
        except DomainError as exc:
            results.append(exc.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_approvers_deciding_at_once_exactly_one_wins(demo):
    demo.users["gm1b"] = User.objects.create_user(
        "gm1b", password=PASSWORD, role=Role.GENERAL_MANAGER, organization=demo.dealers["D1"]
    )
    request = open_for(demo, "manager1", "5000", ["towing"])
    if connection.vendor == "postgresql":  # the row lock (SELECT … FOR UPDATE) decides the race
        results = _two_at_once(demo, request, ("gm1", "gm1b"))
    else:  # SQLite serialises writers: the same path, one after the other
        results = []
        for name in ("gm1", "gm1b"):
            try:
                results.append(decide(demo, name, request).status)
            except DomainError as exc:
                results.append(exc.status)
    assert sorted(map(str, results)) == ["409", "approved"], results
    assert ApprovalDecision.objects.filter(request=request).count() == 1
    assert PaymentTask.objects.filter(request=request).count() == 1


# --- the approval clock --------------------------------------------------------------------------


def test_an_overdue_step_is_told_to_the_rung_above_once(demo):
    request = open_for(demo, "manager1", "5000", ["towing"])
    assert request.due_at > timezone.now() + timedelta(hours=1)  # a working day
    assert services.escalate_overdue() == 0
    later = request.due_at + timedelta(minutes=1)
    assert services.escalate_overdue(now=later) == 1
    assert services.escalate_overdue(now=later + timedelta(hours=5)) == 0  # once
    told = Notification.objects.filter(dedupe_key__startswith=f"approval-overdue:{request.pk}:0")
    assert {n.recipient.username for n in told} == {"gm1", "region1"}  # the approver and the rung above
    entry = TimelineEntry.objects.get(kind=EventKind.APPROVAL, action="overdue")
    assert entry.changes["notified"][1] == ["华南区域经理"]


# --- payments ------------------------------------------------------------------------------------


def test_approved_money_and_gift_become_tasks_and_finance_records_the_voucher(demo, api):
    complaint = make_complaint(demo, 1)
    request = services.open_request(
        actor=demo.users["manager1"],
        complaint=complaint,
        subject_model=SUBJECT,
        subject_id=7,
        total=Decimal("5800"),
        remedies=["towing", "transport", "gift"],
        summary="拖车费、交通费和礼品",
        amounts={"towing": Decimal("5000"), "transport": Decimal("600"), "gift": Decimal("200")},
    )
    decide(demo, "gm1", request)
    payment = PaymentTask.objects.get(kind="payment")
    gift = PaymentTask.objects.get(kind="gift")
    assert payment.amount == Decimal("5600.00") and gift.amount == Decimal("200.00")
    response = api("dept1").post(f"/api/v1/payments/{payment.pk}/paid", {"voucher": ""})
    assert response.status_code == 422 and "voucher" in response.json()["error"]["fields"]
    assert (
        api("agent1").post(f"/api/v1/payments/{payment.pk}/paid", {"voucher": "记-0001"}).status_code == 403
    )
    assert api("gm2").post(f"/api/v1/payments/{payment.pk}/paid", {"voucher": "记-0001"}).status_code == 404
    response = api("dept1").post(f"/api/v1/payments/{payment.pk}/paid", {"voucher": "记-2026-0412"})
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert api("dept1").post(f"/api/v1/payments/{payment.pk}/paid", {"voucher": "记-2"}).status_code == 409
    assert api("gm1").post(f"/api/v1/payments/{gift.pk}/paid", {}).status_code == 200  # slip optional
    assert not WorkItem.objects.filter(kind__in=("payment", "gift"), state="open").exists()
    assert TimelineEntry.objects.filter(complaint=complaint, kind=EventKind.APPROVAL, action="paid").exists()


# --- the API --------------------------------------------------------------------------------------


def test_api_list_detail_and_decide(demo, api):
    request = open_for(demo, "manager1", "300000", ["return"])
    listed = api("gm1").get("/api/v1/approvals").json()
    assert [row["id"] for row in listed["items"]] == [request.pk] and listed["items"][0][
        "total"
    ] == "300000.00"
    assert api("gm2").get("/api/v1/approvals").json()["items"] == []
    assert api("region1").get("/api/v1/approvals").json()["items"] == []  # not its turn yet
    mine = api("manager1").get("/api/v1/approvals?box=requested").json()["items"]
    assert [row["id"] for row in mine] == [request.pk]
    detail = api("gm1").get(f"/api/v1/approvals/{request.pk}").json()
    assert detail["may_decide"] and [s["role"] for s in detail["steps"]] == [
        "general_manager",
        "region_manager",
    ]
    assert api("manager1").get(f"/api/v1/approvals/{request.pk}").json()["may_decide"] is False
    response = api("gm1").post(
        f"/api/v1/approvals/{request.pk}/decide", {"decision": "approve", "comment": ""}
    )
    assert response.status_code == 200 and response.json()["approver_role"] == "region_manager"
    again = api("gm1").post(f"/api/v1/approvals/{request.pk}/decide", {"decision": "approve"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"
    bad = api("region1").post(f"/api/v1/approvals/{request.pk}/decide", {"decision": "yes"})
    assert bad.status_code == 422 and "decision" in bad.json()["error"]["fields"]
    assert api("region1").get("/api/v1/approvals?limit=0").status_code == 422


def test_api_authority_limits(demo, api):
    dealer = demo.dealers["D1"]
    got = api("gm1").get(f"/api/v1/authority-limits?organization={dealer.pk}").json()
    by_role = {row["role"]: row for row in got["limits"]}
    assert (
        by_role["service_manager"]["max_total"] == "2000.00"
        and by_role["service_manager"]["source_organization_id"] is None
    )
    assert set(by_role) == {str(r) for r in LIMIT_ROLES}
    assert api("gm2").get(f"/api/v1/authority-limits?organization={dealer.pk}").status_code == 404
    assert api("region2").get(f"/api/v1/authority-limits?organization={dealer.pk}").status_code == 404
    assert api("region1").get(f"/api/v1/authority-limits?organization={dealer.pk}").status_code == 200
    body = {
        "limits": [{"role": "service_manager", "max_total": "3000.00", "remedies": ["towing", "transport"]}]
    }
    assert put(api("gm1"), f"/api/v1/authority-limits?organization={dealer.pk}", body).status_code == 403
    response = put(api("admin"), f"/api/v1/authority-limits?organization={dealer.pk}", body)
    assert response.status_code == 200
    assert services.authority_of(demo.users["manager1"]).max_total == Decimal("3000.00")
    bad = {"limits": [{"role": "service_manager", "max_total": "-1", "remedies": ["nothing"]}]}
    response = put(api("admin"), f"/api/v1/authority-limits?organization={dealer.pk}", bad)
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"limits.0.max_total", "limits.0.remedies"}
    assert services.authority_of(demo.users["manager1"]).max_total == Decimal("3000.00")  # unchanged


# the permission matrix: every endpoint, every kind of stranger
STRANGERS = ["agent2", "gm2", "region2", "crc1"]


@pytest.mark.parametrize("stranger", [*STRANGERS, None])
def test_permission_matrix(demo, api, stranger):
    request = open_for(demo, "manager1", "5800", ["towing", "gift"])
    other = open_for(demo, "manager1", "5000", ["towing"], subject_id=2)
    decide(demo, "gm1", other)
    task = PaymentTask.objects.get(kind="payment")
    client = api(stranger)
    calls = [
        ("get", f"/api/v1/approvals/{request.pk}", None),
        ("post", f"/api/v1/approvals/{request.pk}/decide", {"decision": "approve"}),
        ("post", f"/api/v1/payments/{task.pk}/paid", {"voucher": "V1"}),
        ("get", f"/api/v1/authority-limits?organization={demo.dealers['D1'].pk}", None),
    ]
    for method, path, body in calls:
        response = getattr(client, method)(path, body) if body is not None else getattr(client, method)(path)
        expected = 401 if stranger is None else 404
        if stranger == "crc1" and "authority-limits" in path:
            expected = 200  # the manufacturer reads the limits of its dealers
        assert response.status_code == expected, (stranger, path, response.content)
    listed = client.get("/api/v1/approvals")
    assert listed.status_code == (401 if stranger is None else 200)
    if stranger:
        assert listed.json()["items"] == []
        assert client.get("/api/v1/payments").json() == []
        assert put(client, "/api/v1/authority-limits", {"limits": []}).status_code == 403
    request.refresh_from_db()
    task.refresh_from_db()
    assert request.status == RequestStatus.PENDING and task.status == "open"
    assert ApprovalDecision.objects.filter(request=request).count() == 0


# --- the page ------------------------------------------------------------------------------------


def test_the_page_lists_what_waits_and_decides_with_htmx(demo):
    request = open_for(demo, "manager1", "5000", ["towing"])
    gm = client_for("gm1")
    page = gm.get("/approvals/").content.decode()
    assert f'id="approval-{request.pk}"' in page and "¥5,000.00" in page and "拖车费" in page
    assert "待审批" in page or "审批" in page
    nav = gm.get("/approvals/nav/").content.decode()
    assert 'data-testid="nav-approvals-count">1<' in nav
    row = gm.post(f"/approvals/{request.pk}/decide/", {"decision": "send_back"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and 'data-testid="decide-error"' in row.content.decode()
    row = gm.post(f"/approvals/{request.pk}/decide/", {"decision": "approve"}, HTTP_HX_REQUEST="true")
    assert 'data-testid="approval-status"' in row.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert "nav-approvals-count" not in gm.get("/approvals/nav/").content.decode()
    assert (
        client_for("gm2").post(f"/approvals/{request.pk}/decide/", {"decision": "approve"}).status_code == 404
    )
    page = client_for("dept1").get("/approvals/").content.decode()
    assert 'data-testid="task-row"' in page
