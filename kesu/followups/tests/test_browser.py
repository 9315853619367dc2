"""Follow-up calls in a real browser, in Chinese: a 3-day call after service done with its
script (satisfaction refused when missing, then saved), and a lukewarm revisit that reopens the
complaint. Screenshots land in test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_customer
from kesu.followups.choices import FollowUpKind, FollowUpState
from kesu.followups.models import Attempt, FollowUp
from kesu.followups.services import VehicleEventInput, record_vehicle_event
from kesu.followups.tasks import generate
from kesu.notifications.models import Notification
from kesu.web.tests.browser import login, shot, zh

from .helpers import closed_complaint


@pytest.mark.django_db(transaction=True)
def test_a_follow_up_done_with_its_script(browser, live_server, demo):
    vehicle = make_customer(demo, 1).vehicles.get()
    record_vehicle_event(
        actor=demo.users["agent1"],
        vehicle_id=vehicle.pk,
        kind="service_visit",
        time_field="finished_at",
        data=VehicleEventInput(
            happened_at=timezone.now() - timedelta(days=3), work="10000公里保养", advisor="李工"
        ),
    )
    generate()
    followup = FollowUp.objects.get(kind=FollowUpKind.SERVICE_3D)
    page = login(browser, live_server, "agent1")
    page.goto(f"{live_server.url}/followups/?due=today")
    row = page.locator(f"[data-testid=followup-{followup.pk}]")
    assert zh(FollowUpKind.SERVICE_3D.label) in row.inner_text()
    row.locator("a").click()
    page.wait_for_url(f"**/followups/{followup.pk}/")
    script = page.locator("[data-testid=script]").inner_text()
    assert "您好!请问是张先生吗?" in script and "10000公里保养" in script and "李工" in script
    assert "非常满意" in script
    shot(page, "followup-01-script")
    page.check("[data-testid=answer-car_ok-yes]")
    page.check("[data-testid=answer-advisor_rating-very_good]")
    page.click("[data-testid=reached]")  # no satisfaction asked yet
    assert page.locator("[data-testid=error-satisfaction]").is_visible()
    assert FollowUp.objects.get(pk=followup.pk).state == FollowUpState.OPEN
    assert not Attempt.objects.exists()
    shot(page, "followup-02-satisfaction-missing")
    page.check("input[name=satisfaction][value=very_satisfied]")
    page.check("[data-testid=answer-car_ok-yes]")
    page.fill("textarea[name=comment]", "服务专员很耐心")
    page.click("[data-testid=reached]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=followup-state]").inner_text() == zh(FollowUpState.DONE.label)
    assert page.locator("[data-testid=followup-satisfaction]").inner_text() == zh("Very satisfied")
    done = FollowUp.objects.get(pk=followup.pk)
    assert done.answers == {"car_ok": "yes", "advisor_rating": "very_good"}
    shot(page, "followup-03-done")


@pytest.mark.django_db(transaction=True)
def test_a_lukewarm_revisit_reopens_the_complaint(browser, live_server, demo):
    complaint = closed_complaint(demo)
    generate()
    followup = FollowUp.objects.get(kind=FollowUpKind.REVISIT)
    page = login(browser, live_server, "agent1")
    page.goto(f"{live_server.url}/followups/{followup.pk}/")
    assert complaint.number in page.locator("[data-testid=script]").inner_text()
    # not reached first: the plan moves the next call to another time of day
    page.fill("input[name=note]", "无人接听")
    page.click("[data-testid=not-reached]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=next-attempt]").is_visible()
    shot(page, "followup-04-not-reached")
    page.check("[data-testid=answer-problem_solved-no]")
    page.check("input[name=satisfaction][value=neutral]")
    page.fill("textarea[name=comment]", "刹车还是有点响")
    page.click("[data-testid=reached]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=followup-state]").inner_text() == zh(FollowUpState.DONE.label)
    page.click("[data-testid=followup-complaint]")
    page.wait_for_url(f"**/complaints/{complaint.pk}/")
    assert page.locator("[data-testid=status]").inner_text() == zh(Status.REOPENED.label)
    assert "刹车还是有点响" in page.content()
    shot(page, "followup-05-reopened")
    assert Complaint.objects.get(pk=complaint.pk).status == Status.REOPENED
    assert Notification.objects.filter(recipient=demo.users["manager1"], complaint=complaint).exists()
