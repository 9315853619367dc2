"""Whoever a complaint is given to hears of it: on the bell, once, and not for giving it to
oneself."""

import pytest

from kesu import flows
from kesu.complaints.tests.factories import make_complaint
from kesu.notifications.choices import Kind
from kesu.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _assigned_to(user):
    return list(Notification.objects.filter(recipient=user, kind=Kind.ASSIGNED))


def test_assigning_a_complaint_tells_the_assignee(demo):
    complaint = make_complaint(demo, 1)
    manager = demo.users["manager1"]
    flows.update_complaint(
        actor=demo.users["agent1"],
        complaint_id=complaint.pk,
        expected_version=complaint.version,
        changes={"assignee_id": manager.pk},
    )
    told = _assigned_to(manager)
    assert len(told) == 1
    assert complaint.number in told[0].title
    assert told[0].complaint_id == complaint.pk


def test_a_complaint_registered_with_an_assignee_tells_them(demo):
    dept = demo.users["dept1"]
    complaint = make_complaint(demo, 1, assignee_id=dept.pk)
    assert [n.complaint_id for n in _assigned_to(dept)] == [complaint.pk]


def test_taking_a_complaint_oneself_tells_nobody(demo):
    agent = demo.users["agent1"]
    complaint = make_complaint(demo, 1)
    flows.update_complaint(
        actor=agent,
        complaint_id=complaint.pk,
        expected_version=complaint.version,
        changes={"assignee_id": agent.pk},
    )
    assert Notification.objects.filter(kind=Kind.ASSIGNED).count() == 0


def test_an_edit_that_keeps_the_assignee_tells_them_nothing_new(demo):
    manager = demo.users["manager1"]
    complaint = make_complaint(demo, 1, assignee_id=manager.pk)
    flows.update_complaint(
        actor=demo.users["agent1"],
        complaint_id=complaint.pk,
        expected_version=complaint.version,
        changes={"facts": "客户再次来电", "assignee_id": manager.pk},
    )
    assert len(_assigned_to(manager)) == 1
