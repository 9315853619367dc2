"""Issue 11 (4, 6): forms name the field at the field; system text in the UI's language; the
error pages in Chinese with the navigation; the ladder names who was told; replies are replies."""

import re
from datetime import datetime, timedelta

import pytest
from django.test import Client, override_settings
from django.urls import path
from django.utils import timezone

from kesu import flows
from kesu import urls as kesu_urls
from kesu.complaints.models import TimelineEntry
from kesu.complaints.tests.factories import make_complaint
from kesu.notifications.models import Notification
from kesu.sla.calendar import SHANGHAI
from kesu.sla.sweep import sweep
from kesu.tests.test_pages import client_for
from kesu.web.tests.browser import zh

RECEIVED = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
ENGLISH = re.compile(r"\b(deadline|missed|escalated|system|Required|Edited)\b")


def _text(html: str) -> str:
    """What a reader sees: the page without tags, scripts and attributes."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_failed_action_names_the_field_beside_it_and_marks_required_fields(demo):
    complaint = make_complaint(demo, 1)
    client = client_for("agent1")
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    form = page.split('id="act-start_investigation"')[1].split("</details>")[0]
    assert 'data-testid="required-note"' in form and 'data-testid="required-promised_plan_at"' in form

    response = client.post(
        f"/complaints/{complaint.pk}/do/start_investigation/", {"version": complaint.version, "note": " "}
    )
    assert response.status_code == 422
    html = response.content.decode()
    form = html.split('id="act-start_investigation"')[1].split("</details>")[0]
    note_error = re.search(r'data-testid="error-note">([^<]+)<', form)
    assert note_error and note_error.group(1) == f"{zh('Note')}：请填写此项"
    assert "需要填写此项" not in html  # the old wording named the action
    # the first invalid field is focused, and the form posts back to its own anchor (no JS)
    assert re.search(r'<input[^>]*name="promised_plan_at"[^>]*autofocus', form) or re.search(
        r'<textarea[^>]*name="note"[^>]*autofocus', form
    )
    assert f'action="/complaints/{complaint.pk}/do/start_investigation/#act-start_investigation"' in form


def test_an_htmx_submit_gets_the_form_back_alone_with_the_error_in_place(demo):
    complaint = make_complaint(demo, 1)
    response = client_for("agent1").post(
        f"/complaints/{complaint.pk}/do/start_investigation/",
        {"version": complaint.version, "note": "已致电客户"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx swaps 2xx answers only
    html = response.content.decode()
    assert html.lstrip().startswith("<details") and 'id="act-start_investigation"' in html
    assert f"{zh('Plan promised to the customer by')}：请填写此项" in html
    assert "<header" not in html


def _tomorrow() -> str:
    return (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def test_a_stale_version_is_said_at_the_form_not_at_the_top(demo):
    complaint = make_complaint(demo, 1)
    response = client_for("agent1").post(
        f"/complaints/{complaint.pk}/do/start_investigation/",
        {"version": complaint.version + 5, "note": "已致电", "promised_plan_at": _tomorrow()},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'data-testid="form-error-start_investigation"' in html
    assert "<header" not in html


def test_the_intake_marks_its_required_fields(demo):
    html = client_for("agent1").get("/complaints/new/").content.decode()
    assert 'data-testid="required-channel"' in html and 'data-testid="required-severity"' in html


def test_the_404_page_is_chinese_with_the_navigation_and_a_way_back(demo):
    response = client_for("agent1").get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "返回工作队列" in html and 'href="/queue/"' in html
    assert 'data-testid="nav-intake"' in html  # the navigation of a signed-in user
    assert not ENGLISH.search(_text(html)) and "Not Found" not in html


def test_the_404_page_of_a_complaint_out_of_scope_is_the_same_page(demo):
    theirs = make_complaint(demo, 2)
    response = client_for("agent1").get(f"/complaints/{theirs.pk}/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_the_403_page_is_chinese_with_a_way_back(demo):
    response = client_for("agent1").get("/sla/policies/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权" in html or zh("Not allowed") in html
    assert "返回工作队列" in html


def test_the_error_pages_follow_the_ui_language(demo):
    client = client_for("agent1")
    client.post("/i18n/setlang/", {"language": "en", "next": "/queue/"})
    html = client.get("/no-such-page/").content.decode()
    assert "Page not found" in html and "Back to the work queue" in html


def _boom(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("the database fell over")


urlpatterns = [path("boom/", _boom), *kesu_urls.urlpatterns]
handler500 = "kesu.web.errors.server_error"


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_the_500_page_is_chinese_with_the_navigation_and_reads_no_database(demo, django_assert_num_queries):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "zh-hans"
    with django_assert_num_queries(0):
        response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统出错了" in html and "返回工作队列" in html and 'href="/complaints/new/"' in html
    assert "RuntimeError" not in html and "Server Error (500)" not in html


def test_the_ladder_writes_one_entry_a_rung_naming_who_was_told_in_chinese(demo):
    complaint = make_complaint(demo, 1, received_at=RECEIVED, assignee_id=demo.users["agent1"].pk)
    sweep(now=datetime(2026, 3, 10, 11, 5, tzinfo=SHANGHAI))  # first reply missed: the service manager
    manager = demo.users["manager1"]
    rungs = TimelineEntry.objects.filter(complaint=complaint, kind="escalation")
    assert rungs.count() == 1
    title = Notification.objects.get(recipient=manager, kind="escalation").title
    assert complaint.number in title and "首次答复" in title and "上报" in title
    assert not ENGLISH.search(title)

    page = _text(client_for("agent1").get(f"/complaints/{complaint.pk}/").content.decode())
    assert "首次答复超时：已逐级上报至服务经理" in page
    assert f"已通知：{manager}" in page
    assert "首次答复时限（2026-03-10 11:00）已超时" in page or "首次答复时限" in page
    timeline = page.split(zh("Timeline"))[-1]
    assert not ENGLISH.search(timeline), ENGLISH.search(timeline)


def test_the_timeline_shows_edits_with_labels_in_the_readers_language(demo):
    complaint = make_complaint(demo, 1)
    flows.update_complaint(
        actor=demo.users["agent1"],
        complaint_id=complaint.pk,
        expected_version=complaint.version,
        changes={"severity": "serious", "department_id": None},
        note="客户情绪激动",
    )
    client = client_for("agent1")
    page = _text(client.get(f"/complaints/{complaint.pk}/").content.decode())
    assert f"{zh('Severity')[:2]}" in page and "severity:" not in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/queue/"})
    english = _text(client.get(f"/complaints/{complaint.pk}/").content.decode())
    assert "Severity:" in english


def test_a_reply_to_the_customer_is_logged_as_a_reply(demo):
    complaint = make_complaint(demo, 1)
    flows.send_reply(
        actor=demo.users["agent1"], complaint_id=complaint.pk, text="您好，我们已安排技师明天联系您。"
    )
    entry = complaint.timeline.get(action="reply")
    assert entry.kind == "reply"
    page = _text(client_for("agent1").get(f"/complaints/{complaint.pk}/").content.decode())
    line = page.split("我们已安排技师")[0][-60:]
    assert "答复客户" in line and "修改" not in line


@pytest.mark.parametrize("username", ["agent1", "crc1"])
def test_no_english_system_text_on_the_detail_page_after_a_sweep(demo, username):
    complaint = make_complaint(demo, 1, received_at=RECEIVED, severity="major")
    sweep(now=datetime(2026, 3, 16, 12, 0, tzinfo=SHANGHAI))  # every rung of the ladder
    response = client_for(username).get(f"/complaints/{complaint.pk}/")
    if response.status_code == 404:
        return  # not escalated to the carmaker under this policy: nothing to read
    timeline = _text(response.content.decode()).split(zh("Timeline"))[-1]
    assert not ENGLISH.search(timeline), timeline[:500]
