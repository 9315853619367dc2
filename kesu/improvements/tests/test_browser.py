"""In a real browser: a manager opens an action from a complaint and from the quality-signals
page, the owner records evidence with a photo and completes it; a closed complaint is shared as
a case and found in the case library by a two-character word. Screenshots in test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint
from kesu.improvements.models import Case, ImprovementAction
from kesu.insights.models import QualitySignal
from kesu.web.tests.browser import login, shot


def fill_action(page, demo, title: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("input[name=title]", title)
    page.select_option("select[name=owner_id]", str(demo.users["manager1"].pk))
    page.fill("input[name=deadline]", str(timezone.localdate() + timedelta(days=10)))
    page.select_option("select[name=priority]", "urgent_important")
    page.click("[data-testid=action-submit]")
    page.wait_for_url("**/improvements/*/")


@pytest.mark.django_db(transaction=True)
def test_actions_from_a_complaint_and_a_signal_evidence_and_a_case(browser, live_server, demo, tmp_path):
    complaint = make_complaint(
        demo, 1, verbatim="刹车异响，张先生 13812341234 说修了三次没好", category="repair_quality"
    )
    page = login(browser, live_server, "manager1")
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.click("[data-testid=improvement-from-complaint]")
    page.wait_for_url("**/new/")
    fill_action(page, demo, "刹车异响返修：技师复训")
    action = ImprovementAction.objects.get()
    assert list(action.complaints.all()) == [complaint]
    assert page.locator("[data-testid=action-status]").inner_text() == "待整改"
    photo = tmp_path / "training.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * 200)
    page.fill("textarea[name=evidence_text]", "全体技师复训，签到表见附件")
    page.set_input_files("input[name=evidence_file]", str(photo))
    page.click("[data-testid=evidence-submit]")
    page.wait_for_selector("[data-testid=evidence-file]")
    assert "全体技师复训" in page.locator("[data-testid=evidence-text]").inner_text()
    page.click("[data-testid=move-complete]")
    page.wait_for_selector("[data-testid=action-status]:has-text('已完成')")
    shot(page, "improvements-01-done")
    action.refresh_from_db()
    assert action.status == "done" and action.evidence_name == "training.jpg"

    # from the quality-signals page, in the manager's menu
    QualitySignal.objects.create(
        manufacturer=demo.manufacturer,
        model_name="轩逸",
        fault_area="brakes",
        complaint_count=1,
        dealer_count=1,
        shared_terms=["刹车", "异响"],
        first_seen=timezone.now(),
        last_seen=timezone.now(),
    ).complaints.add(complaint)
    page.click("[data-testid=nav-quality-signals]")
    page.wait_for_url("**/insights/quality-signals/")
    page.click("[data-testid=improvement-from-signal]")
    page.wait_for_url("**/improvements/new/**")
    assert "轩逸" in page.input_value("input[name=title]")
    fill_action(page, demo, "轩逸刹车异响：质量信号跟进")
    signal_action = ImprovementAction.objects.get(title="轩逸刹车异响：质量信号跟进")
    assert signal_action.source == "quality_signal" and signal_action.fault_area == "brakes"

    # a closed complaint shared as a case, found by a two-character word
    Complaint.objects.filter(pk=complaint.pk).update(status="closed")
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.click("[data-testid=case-from-complaint]")
    page.wait_for_url("**/case/")
    page.fill("input[name=title]", "三次返修的刹车异响")
    page.fill("textarea[name=analysis]", "技师未按标准流程检查")
    page.fill("textarea[name=commentary]", "先处理心情，再处理事情")
    page.check("[data-testid=case-publish-now]")
    page.click("[data-testid=case-submit]")
    page.wait_for_url("**/improvements/cases/*/")
    case_text = page.locator("[data-testid=case-text]").inner_text()
    assert "13812341234" not in case_text and "张先生" not in case_text and "刹车异响" in case_text
    page.context.close()
    agent = login(browser, live_server, "agent1")
    agent.click("[data-testid=nav-cases]")
    agent.fill("[data-testid=case-search]", "刹车")
    agent.click("[data-testid=case-search-submit]")
    agent.wait_for_selector("[data-testid=cases] a:has-text('三次返修的刹车异响')")
    shot(agent, "improvements-02-case-found")
    assert Case.objects.get().is_published
