"""The agent's day: their items and the desk's, overdue complaints, most urgent first, counts per
kind, in scope only; the writer opens once per record and kind and closes cleanly."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from kesu.complaints.tests.factories import make_complaint
from kesu.worklist import items
from kesu.worklist.choices import WorkKind, WorkState
from kesu.worklist.models import WorkItem
from kesu.worklist.services import OVERDUE_COMPLAINT, day_of

pytestmark = pytest.mark.django_db


def item(demo, *, dealer="D1", assignee=None, kind=WorkKind.CALLBACK, hours=1, ref_id=1, subject="回电"):  # type: ignore[no-untyped-def]
    return items.open_item(
        dealer_id=demo.dealers[dealer].pk,
        assignee_id=assignee.pk if assignee else None,
        kind=kind,
        due_at=timezone.now() + timedelta(hours=hours),
        subject=subject,
        ref_model="calls.call",
        ref_id=ref_id,
    )


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_mine_and_the_desks_most_urgent_first_never_another_dealers(demo):
    agent1 = demo.users["agent1"]
    later = item(demo, assignee=agent1, hours=5, ref_id=1, subject="下午回电：李先生")
    sooner = item(demo, kind=WorkKind.FOLLOW_UP, hours=1, ref_id=2, subject="三日回访：王女士")
    late = item(demo, assignee=agent1, kind=WorkKind.CARE_CALL, hours=-2, ref_id=3, subject="保养提醒")
    item(demo, dealer="D2", kind=WorkKind.CALLBACK, ref_id=4, subject="别家的客户")
    item(demo, assignee=demo.users["manager1"], ref_id=5, subject="经理的回电")

    day = day_of(user=agent1)
    assert [e.subject for e in day.entries] == [late.subject, sooner.subject, later.subject]
    assert day.counts[WorkKind.CALLBACK] == 1 and day.counts[WorkKind.FOLLOW_UP] == 1
    assert day.counts[WorkKind.CARE_CALL] == 1 and day.total == 3
    assert day.overdue == 1 and [e.overdue for e in day.entries] == [True, False, False]
    other = day_of(user=demo.users["agent2"])  # D2's desk: its own item, none of D1's
    assert [e.subject for e in other.entries] == ["别家的客户"]


def test_done_items_leave_the_day_and_opening_again_is_one_row(demo):
    agent1 = demo.users["agent1"]
    first = item(demo, assignee=agent1, ref_id=7)
    again = item(demo, assignee=agent1, ref_id=7, hours=3)  # the same record and kind: moved, not doubled
    assert first.pk == again.pk and WorkItem.objects.count() == 1
    assert items.close_item(ref_model="calls.call", ref_id=7, kind=WorkKind.CALLBACK, by=agent1) == 1
    assert items.close_item(ref_model="calls.call", ref_id=7, kind=WorkKind.CALLBACK, by=agent1) == 0
    assert WorkItem.objects.get().state == WorkState.DONE
    assert day_of(user=agent1).total == 0


def test_overdue_complaints_of_the_agent_are_on_the_day(demo):
    complaint = make_complaint(demo, 1, verbatim="发动机异响，三次没修好")
    assert complaint.assignee_id == demo.users["agent1"].pk
    in_a_week = timezone.now() + timedelta(days=7)
    day = day_of(user=demo.users["agent1"], now=in_a_week)
    late = [e for e in day.entries if e.kind == OVERDUE_COMPLAINT]
    assert [e.complaint_id for e in late] == [complaint.pk] and day.counts[OVERDUE_COMPLAINT] == 1
    assert complaint.number in late[0].subject
    assert day_of(user=demo.users["agent1"], now=in_a_week, kind=WorkKind.CALLBACK).entries == []


def test_the_api_answers_the_callers_day_and_names_a_bad_kind(demo, api):
    item(demo, assignee=demo.users["agent1"], ref_id=9, subject="回电：张先生")
    body = api("agent1").get("/api/v1/worklist").json()
    assert body["total"] == 1 and body["counts"]["callback"] == 1
    assert body["items"][0]["subject"] == "回电：张先生" and body["items"][0]["kind"] == "callback"
    assert api("agent2").get("/api/v1/worklist").json()["total"] == 0
    assert api(None).get("/api/v1/worklist").status_code == 401
    wrong = api("agent1").get("/api/v1/worklist?kind=coffee")
    assert wrong.status_code == 422 and "kind" in wrong.json()["error"]["fields"]


def test_agents_start_on_their_day_in_chinese_others_on_the_queue(demo):
    item(demo, assignee=demo.users["agent1"], ref_id=11, subject="回电：赵女士")
    agent = client_for("agent1")
    assert agent.get("/")["Location"] == "/worklist/"
    page = agent.get("/worklist/").content.decode()
    assert "我的一天" in page and "回电：赵女士" in page and "共 1 项待办" in page
    assert client_for("agent2").get("/worklist/").content.decode().count("回电：赵女士") == 0
    assert client_for("manager1").get("/")["Location"] == "/queue/"
    fragment = agent.get("/worklist/?kind=care_call", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "暂时没有待办事项" in fragment


def test_each_entry_opens_the_page_of_its_app_or_its_complaint(demo, api):
    agent1 = demo.users["agent1"]
    complaint = make_complaint(demo, 1)
    item(demo, assignee=agent1, ref_id=21, subject="回电：钱先生")  # calls.call → the call's page
    items.open_item(
        dealer_id=demo.dealers["D1"].pk,
        assignee_id=agent1.pk,
        kind=WorkKind.CONTACT_SHEET,
        due_at=timezone.now(),
        subject="联络单",
        ref_model="nowhere.thing",  # an app that names no page: the complaint's
        ref_id=22,
        complaint_id=complaint.pk,
    )
    urls = {row["subject"]: row["url"] for row in api("agent1").get("/api/v1/worklist").json()["items"]}
    assert urls == {"回电：钱先生": "/calls/21/", "联络单": f"/complaints/{complaint.pk}/"}
