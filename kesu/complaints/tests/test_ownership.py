"""Every complaint has an owner: picked at intake by the dealer's rule (the least busy active desk
agent by default), reassigned in one step with a reason, transferred to a department with a
reason — each on the timeline once, the new owner told once, nothing half-done."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PASSWORD
from kesu.complaints import ownership
from kesu.complaints.choices import EventKind, Status
from kesu.complaints.models import AssignmentRule, Complaint, TimelineEntry
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.notifications.choices import Kind
from kesu.notifications.models import Notification
from kesu.organizations.choices import Role
from kesu.organizations.models import User

pytestmark = pytest.mark.django_db


def new_person(demo, username, *, role=Role.AGENT, dept=("D1", "CS"), active=True, display=""):
    org = demo.departments[dept] if dept[1] else demo.dealers[dept[0]]
    user = User(
        username=username, role=role, organization=org, display_name=display or username, is_active=active
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def give(complaint, user, status=Status.INVESTIGATING):
    """Arrange a complaint's owner and status directly (the counts the pick reads)."""
    Complaint.objects.filter(pk=complaint.pk).update(assignee=user, status=status)


def pick(demo, dealer="D1", channel="phone", category=""):
    return ownership.pick_assignee(dealer_id=demo.dealers[dealer].pk, channel=channel, category=category)


def assigned_entries(complaint):
    return list(
        TimelineEntry.objects.filter(complaint=complaint, kind=EventKind.ASSIGNED).order_by("at", "pk")
    )


def told(user, kind=Kind.ASSIGNED):
    return list(Notification.objects.filter(recipient=user, kind=kind))


# --- the pick ------------------------------------------------------------------------------------


def test_the_least_busy_active_agent_gets_the_new_complaint(demo):
    agent1 = demo.users["agent1"]
    second = new_person(demo, "agent1b", display="客服专员1b")
    busy = [
        make_complaint(
            demo, 1, customer=make_customer(demo, 1, mobile=f"1381234{n:04d}", plate=f"粤A1{n:04d}")
        )
        for n in range(3)
    ]
    for complaint in busy[:2]:
        give(complaint, agent1)
    give(busy[2], second, status=Status.CLOSED)  # closed complaints do not count
    chosen = pick(demo)
    assert chosen is not None
    assert (chosen.user_id, chosen.basis, chosen.open_count) == (second.pk, ownership.Basis.LEAST_OPEN, 0)


def test_a_tie_goes_to_the_longest_standing_account(demo):
    first = demo.users["agent1"]
    new_person(demo, "agent1b")
    new_person(demo, "agent1c")
    assert pick(demo).user_id == first.pk  # all three have no open complaint: the lowest id


def test_inactive_agents_and_other_dealers_agents_are_skipped(demo):
    agent1 = demo.users["agent1"]
    complaint = make_complaint(demo, 1)
    give(complaint, agent1)
    new_person(demo, "agent1-left", active=False)
    new_person(demo, "agent2b", dept=("D2", "CS"))
    assert pick(demo).user_id == agent1.pk  # busy, but the only active agent of D1


def test_a_dealer_without_active_agents_falls_back_to_its_service_manager(demo):
    User.objects.filter(pk=demo.users["agent1"].pk).update(is_active=False)
    chosen = pick(demo)
    assert chosen.user_id == demo.users["manager1"].pk
    assert chosen.basis == ownership.Basis.NO_AGENT


def test_channel_and_category_rules_name_the_person(demo):
    manager = demo.users["manager1"]
    dept = demo.users["dept1"]
    ownership.set_rules(
        actor=manager,
        dealer_id=demo.dealers["D1"].pk,
        rules=[
            ownership.RuleInput(field="channel", value="media", assignee_id=manager.pk),
            ownership.RuleInput(field="category", value="repair_cost", assignee_id=dept.pk),
        ],
    )
    assert pick(demo, channel="media").user_id == manager.pk
    assert pick(demo, channel="media").basis == ownership.Basis.CHANNEL_RULE
    # a category rule says more about who can solve it than the channel it came by
    both = pick(demo, channel="media", category="repair_cost")
    assert (both.user_id, both.basis) == (dept.pk, ownership.Basis.CATEGORY_RULE)
    assert pick(demo, channel="phone").user_id == demo.users["agent1"].pk
    # the person named leaves: the default takes over
    dept.is_active = False
    dept.save()
    assert pick(demo, category="repair_cost").user_id == demo.users["agent1"].pk


@pytest.mark.parametrize("dealer", ["D1", "D2"])
def test_the_pick_is_one_query(demo, dealer, django_assert_num_queries):
    pick(demo, dealer)  # the rules are cached after the first read
    with django_assert_num_queries(1):
        pick(demo, dealer)


@pytest.fixture
def pool(demo):
    """Twenty complaints of D1 whose owner and status each example arranges."""
    customer = make_customer(demo, 1)
    return [make_complaint(demo, 1, customer=customer) for _ in range(20)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    agents=st.lists(
        st.tuples(
            st.booleans(),
            st.lists(st.sampled_from([Status.INVESTIGATING, Status.CLOSED, Status.ESCALATED]), max_size=4),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_property_the_picked_agent_has_the_fewest_open_complaints(demo, pool, agents):
    """Whatever the agents (active or not) and their complaints (open or closed), the pick is an
    active agent of the dealer with the minimum open count — the first such by id."""
    with transaction.atomic():
        User.objects.filter(pk=demo.users["agent1"].pk).update(is_active=False)
        Complaint.objects.filter(pk__in=[c.pk for c in pool]).update(assignee=None, status=Status.CLOSED)
        people, it = [], iter(pool)
        for index, (active, statuses) in enumerate(agents):
            person = new_person(demo, f"prop-agent-{index}", active=active)
            for status in statuses:
                give(next(it), person, status)
            people.append((person, active, sum(s != Status.CLOSED for s in statuses)))
        chosen = pick(demo)
        active = [(count, person.pk) for person, is_active, count in people if is_active]
        if active:
            assert chosen is not None and chosen.basis == ownership.Basis.LEAST_OPEN
            assert (chosen.open_count, chosen.user_id) == min(active)
        else:
            assert chosen.user_id == demo.users["manager1"].pk  # nobody at the desk
        transaction.set_rollback(True)


# --- at intake -----------------------------------------------------------------------------------


def test_intake_assigns_writes_the_timeline_and_tells_the_assignee_once(demo):
    second = new_person(demo, "agent1b", display="客服专员1b")
    give(make_complaint(demo, 1), demo.users["agent1"])  # agent1 is busier now
    complaint = make_complaint(
        demo, 1, customer=make_customer(demo, 1, mobile="13900001111", plate="粤A55555")
    )
    assert complaint.assignee_id == second.pk
    complaint.refresh_from_db()
    assert complaint.assignee_id == second.pk
    [entry] = assigned_entries(complaint)
    assert entry.changes == {"assignee_id": [None, second.pk]}
    assert entry.action == ownership.Basis.LEAST_OPEN
    assert "客服专员1b" in entry.note and "在办投诉最少" in entry.note
    assert [n.complaint_id for n in told(second)] == [complaint.pk]


def test_the_intake_s_own_choice_is_kept_and_logged(demo):
    dept = demo.users["dept1"]
    complaint = make_complaint(demo, 1, assignee_id=dept.pk)
    assert complaint.assignee_id == dept.pk
    [entry] = assigned_entries(complaint)
    assert entry.action == ownership.Basis.AT_INTAKE and "对策单位1" in entry.note
    assert len(told(dept)) == 1


def test_a_crisis_gets_an_owner(demo):
    by_agent = make_complaint(demo, 1, severity="crisis")
    by_words = make_complaint(
        demo,
        1,
        customer=make_customer(demo, 1, mobile="13900002222", plate="粤A66666"),
        verbatim="你们再不处理我就找媒体曝光，还要去法院起诉你们",
    )
    for complaint in (by_agent, by_words):
        complaint.refresh_from_db()
        assert complaint.assignee_id == demo.users["agent1"].pk
        assert len(assigned_entries(complaint)) == 1
    assert by_agent.severity == "crisis"


def test_an_intake_by_someone_else_goes_to_the_dealer_s_desk_and_tells_them(demo, api):
    customer = make_customer(demo, 1)
    response = api("admin").post(
        "/api/v1/complaints",
        {
            "customer_id": customer.pk,
            "channel": "hotline_800",
            "verbatim": "800热线：车辆异响",
            "severity": "normal",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["assignee_id"] == demo.users["agent1"].pk
    assert len(told(demo.users["agent1"])) == 1


# --- reassigning ---------------------------------------------------------------------------------


def state(complaint):
    complaint.refresh_from_db()
    return (
        complaint.version,
        complaint.assignee_id,
        TimelineEntry.objects.count(),
        Notification.objects.count(),
    )


def test_reassign_in_one_call(demo, api):
    complaint = make_complaint(demo, 1)
    manager = demo.users["manager1"]
    response = api("agent1").post(
        f"/api/v1/complaints/{complaint.pk}/assign",
        {"assignee_id": manager.pk, "reason": "客户要求经理出面", "version": complaint.version},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["assignee_id"] == manager.pk and body["version"] == complaint.version + 1
    entry = assigned_entries(complaint)[-1]
    assert entry.actor == demo.users["agent1"]
    assert entry.changes == {"assignee_id": [demo.users["agent1"].pk, manager.pk]}
    assert entry.note == "客户要求经理出面" and entry.action == ownership.Basis.REASSIGNED
    [notice] = told(manager)
    assert complaint.number in notice.title and "客户要求经理出面" in notice.body
    # the same request again is refused (already theirs) and tells nobody twice
    again = api("agent1").post(
        f"/api/v1/complaints/{complaint.pk}/assign", {"assignee_id": manager.pk, "reason": "再次"}
    )
    assert again.status_code == 422 and "assignee_id" in again.json()["error"]["fields"]
    assert len(told(manager)) == 1


@pytest.mark.parametrize(
    ("who", "reason", "field"),
    [
        ("agent2", "跨店", "assignee_id"),  # another dealer's person
        ("left", "离职", "assignee_id"),  # deactivated
        ("quality-at-d1", "角色", "assignee_id"),  # a role that does not handle complaints
        ("crc1", "厂方", "assignee_id"),
        ("nobody", "不存在", "assignee_id"),
        (None, "没选人", "assignee_id"),
        ("manager1", "", "reason"),
        ("manager1", "   ", "reason"),
    ],
)
def test_reassign_refusals_name_the_field_and_change_nothing(demo, api, who, reason, field):
    complaint = make_complaint(demo, 1)
    targets = {
        "left": new_person(demo, "left", active=False).pk,
        "quality-at-d1": new_person(demo, "qa-d1", role=Role.QUALITY).pk,
        "nobody": 987654,
        None: None,
    }
    target = targets[who] if who in targets else demo.users[who].pk
    before = state(complaint)
    response = api("agent1").post(
        f"/api/v1/complaints/{complaint.pk}/assign", {"assignee_id": target, "reason": reason}
    )
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert list(error["fields"]) == [field] and error["fields"][field]
    assert state(complaint) == before


def test_reassign_on_a_stale_version_is_a_conflict(demo, api):
    complaint = make_complaint(demo, 1)
    before = state(complaint)
    response = api("agent1").post(
        f"/api/v1/complaints/{complaint.pk}/assign",
        {"assignee_id": demo.users["manager1"].pk, "reason": "换人", "version": complaint.version - 1},
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "stale_version"
    assert state(complaint) == before


def test_reassign_is_scoped(demo, api):
    complaint = make_complaint(demo, 1)
    before = state(complaint)
    body = {"assignee_id": demo.users["agent2"].pk, "reason": "我来接手"}
    assert api("agent2").post(f"/api/v1/complaints/{complaint.pk}/assign", body).status_code == 404
    body = {"assignee_id": demo.users["manager1"].pk, "reason": "区域指派"}
    assert api("region1").post(f"/api/v1/complaints/{complaint.pk}/assign", body).status_code == 403
    assert state(complaint) == before


def test_nothing_is_half_assigned_when_the_notification_fails(demo, monkeypatch):
    from kesu import flows
    from kesu.flows import assignment

    complaint = make_complaint(demo, 1)
    before = state(complaint)

    def broken(*args, **kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(assignment, "notify", broken)
    with pytest.raises(RuntimeError):
        flows.reassign(
            actor=demo.users["agent1"],
            complaint_id=complaint.pk,
            assignee_id=demo.users["manager1"].pk,
            reason="试试",
        )
    assert state(complaint) == before


# --- transferring --------------------------------------------------------------------------------


def test_transfer_to_a_department_records_which_who_and_why(demo, api):
    complaint = make_complaint(demo, 1)
    parts = demo.departments[("D1", "PARTS")]
    response = api("agent1").post(
        f"/api/v1/complaints/{complaint.pk}/transfer",
        {"department_id": parts.pk, "reason": "配件缺货导致延误"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["department_id"] == parts.pk
    assert response.json()["assignee_id"] == demo.users["agent1"].pk  # the owner stays
    [entry] = TimelineEntry.objects.filter(complaint=complaint, kind=EventKind.TRANSFERRED)
    assert entry.changes == {"department_id": [None, parts.pk]}
    assert entry.actor == demo.users["agent1"] and entry.note == "配件缺货导致延误"


def test_transfer_tells_the_department_s_people(demo, api):
    complaint = make_complaint(demo, 1)
    svc = demo.departments[("D1", "SVC")]  # manager1 and dept1 work there
    api("agent1").post(
        f"/api/v1/complaints/{complaint.pk}/transfer", {"department_id": svc.pk, "reason": "需检测"}
    )
    assert len(told(demo.users["dept1"])) == 1 and len(told(demo.users["manager1"])) == 1
    assert "售后服务部" in told(demo.users["dept1"])[0].title


@pytest.mark.parametrize(
    ("department", "reason", "field"),
    [
        (("D2", "PARTS"), "跨店", "department_id"),
        (None, "没选", "department_id"),
        (("D1", "QA"), "", "reason"),
    ],
)
def test_transfer_refusals(demo, api, department, reason, field):
    complaint = make_complaint(demo, 1)
    before = state(complaint)
    target = demo.departments[department].pk if department else None
    response = api("agent1").post(
        f"/api/v1/complaints/{complaint.pk}/transfer", {"department_id": target, "reason": reason}
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == [field]
    assert state(complaint) == before


def put(client, path, body):
    return client._send("put", path, body)


# --- the dealer's rules --------------------------------------------------------------------------


def test_rules_api_is_scoped_and_validated(demo, api):
    d1 = demo.dealers["D1"].pk
    url = f"/api/v1/assignment-rules/{d1}"
    manager = demo.users["manager1"]
    rule = {"rules": [{"field": "channel", "value": "web", "assignee_id": manager.pk}]}
    assert api("agent1").get(url).json() == {"dealer_id": d1, "may_edit": False, "rules": []}
    assert put(api("agent1"), url, rule).status_code == 403
    assert put(api("dept1"), url, rule).status_code == 403
    assert put(api("region1"), url, rule).status_code == 403
    for stranger in ("agent2", "manager2", "gm3", "crc1"):
        assert api(stranger).get(url).status_code == 404
        assert put(api(stranger), url, rule).status_code == 404
    assert not AssignmentRule.objects.exists()
    saved = put(api("manager1"), url, rule)
    assert saved.status_code == 200, saved.content
    assert saved.json()["rules"] == [
        {"field": "channel", "value": "web", "assignee_id": manager.pk, "assignee": "服务经理1"}
    ]
    assert api("gm1").get(url).json()["may_edit"] is True
    bad = put(
        api("gm1"),
        url,
        {
            "rules": [
                {"field": "channel", "value": "web", "assignee_id": demo.users["agent2"].pk},
                {"field": "channel", "value": "web", "assignee_id": manager.pk},
                {"field": "mood", "value": "angry", "assignee_id": manager.pk},
                {"field": "category", "value": "weather", "assignee_id": manager.pk},
            ]
        },
    )
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {
        "rules[0].assignee_id",
        "rules[1].value",
        "rules[2].field",
        "rules[3].value",
    }
    assert AssignmentRule.objects.get().assignee_id == manager.pk  # nothing half-replaced
    assert put(api("admin"), url, {"rules": []}).status_code == 200
    assert not AssignmentRule.objects.exists()


def test_a_rule_set_through_the_api_drives_the_next_intake(demo, api):
    dept = demo.users["dept1"]
    put(
        api("manager1"),
        f"/api/v1/assignment-rules/{demo.dealers['D1'].pk}",
        {"rules": [{"field": "category", "value": "parts", "assignee_id": dept.pk}]},
    )
    complaint = make_complaint(demo, 1, category="parts")
    assert complaint.assignee_id == dept.pk
    assert assigned_entries(complaint)[0].action == ownership.Basis.CATEGORY_RULE


# --- the page ------------------------------------------------------------------------------------


def client_for(username):
    from django.test import Client

    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_owner_is_shown_at_the_top_of_the_page(demo):
    complaint = make_complaint(demo, 1)
    html = client_for("agent1").get(f"/complaints/{complaint.pk}/").content.decode()
    owner = html.index('data-testid="owner"')
    assert owner < html.index('data-testid="verbatim"')
    assert "客服专员1" in html[owner : owner + 200]
    assert 'data-testid="reassign-form"' in html and 'data-testid="transfer-form"' in html
    assert "处理人" in html and "改派" in html and "转交" in html
    # the edit form no longer changes owner or department behind the user's back
    assert 'name="assignee_id"' not in html.split('data-testid="edit-form"')[1]
    region = client_for("region1").get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="owner"' in region and 'data-testid="reassign-form"' not in region


def test_reassign_from_the_page(demo):
    complaint = make_complaint(demo, 1)
    url = f"/complaints/{complaint.pk}/assign/"
    client = client_for("agent1")
    manager = demo.users["manager1"]
    missing = client.post(url, {"version": complaint.version, "assignee_id": manager.pk, "reason": ""})
    assert missing.status_code == 422 and 'data-testid="error-reason"' in missing.content.decode()
    other = client.post(
        url,
        {"version": complaint.version, "assignee_id": demo.users["agent2"].pk, "reason": "跨店"},
        HTTP_HX_REQUEST="true",
    )
    html = other.content.decode()  # htmx: the panel alone, the error beside the field
    assert other.status_code == 200
    assert 'id="ownership"' in html and 'data-testid="error-assignee_id"' in html and "<html" not in html
    done = client.post(url, {"version": complaint.version, "assignee_id": manager.pk, "reason": "经理接手"})
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.assignee_id == manager.pk
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "经理接手" in page and "已分派" in page
    transfer = client.post(
        f"/complaints/{complaint.pk}/transfer/",
        {
            "version": complaint.version,
            "department_id": demo.departments[("D1", "QA")].pk,
            "reason": "质量问题",
        },
        HTTP_HX_REQUEST="true",
    )
    assert transfer.status_code == 204 and transfer["HX-Redirect"] == f"/complaints/{complaint.pk}/"
    complaint.refresh_from_db()
    assert complaint.department == demo.departments[("D1", "QA")]
