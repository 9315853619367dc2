"""Issue 16 (2): names, plates and VINs masked for the roles that do not need them."""

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint, make_customer

NAME, PLATE = "欧阳建国", "粤A12345"


@pytest.fixture
def case(demo):  # type: ignore[no-untyped-def]
    customer = make_customer(demo, 1)
    customer.name = NAME
    customer.save()
    complaint = make_complaint(demo, 1, customer=customer, verbatim="我的车粤A12345刹车异响，打13812341234")
    Complaint.objects.filter(pk=complaint.pk).update(escalated_at=timezone.now())
    return complaint


def _browser(username: str) -> Client:
    browser = Client()
    assert browser.login(username=username, password=PASSWORD)
    return browser


@pytest.mark.parametrize("username", ["region1", "pr1", "quality1"])
def test_smoke(case, api, username):
    vin = case.vehicle.vin
    page = _browser(username).get(f"/complaints/{case.pk}/").content.decode()
    for value in (NAME, PLATE, vin):
        assert value not in page, value
    assert "欧***" in page and "粤A·***45" in page and vin[:11] + "******" in page
    answer = api(username).get(f"/api/v1/complaints/{case.pk}").content.decode()
    for value in (NAME, PLATE, vin):
        assert value not in answer, value
    print(answer)
