"""SLA pages: admin-only policy and calendar editing with clear errors, the preview, the clocks on
the complaint page, and pause/resume/revisit buttons."""

import html
import json
import re

from django.test import Client

from conftest import PASSWORD
from kesu.complaints.tests.factories import make_complaint
from kesu.sla.models import BusinessHours, CalendarOverride, SlaPolicy
from kesu.sla.policies import DEFAULT_LADDER, calendar_for, forget_calendars


def client_for(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_admin_pages_are_admin_only(demo):
    for url in ["/sla/policies/", "/sla/calendar/", "/notifications/outbox/"]:
        assert client_for("manager1").get(url).status_code == 403
        assert client_for("admin").get(url).status_code == 200


def test_calendar_page_warns_about_unknown_years_and_previews(demo):
    page = client_for("admin").get(f"/sla/calendar/?org={demo.dealers['D1'].pk}").content.decode()
    assert 'data-testid="calendar-warning"' in page  # the package has no data for next year yet
    assert 'data-testid="preview"' in page and "2-3-7" in page


def test_business_hours_errors_name_the_day_and_save_nothing(demo):
    dealer = demo.dealers["D1"].pk
    admin = client_for("admin")
    bad = admin.post(
        f"/sla/calendar/?org={dealer}",
        {
            "form": "hours",
            "organization_id": dealer,
            "monday": "08:30-12:00, 11:00-18:00",
            "tuesday": "8点半到6点",
        },
    )
    assert bad.status_code == 422
    html = bad.content.decode()
    assert 'data-testid="error-monday"' in html and 'data-testid="error-tuesday"' in html
    assert not BusinessHours.objects.exists()
    good = admin.post(
        f"/sla/calendar/?org={dealer}",
        {
            "form": "hours",
            "organization_id": dealer,
            "monday": "08:30-12:00, 13:30-18:00",
            "tuesday": "08:30-18:00",
            "saturday": "09:00-17:00",
        },
    )
    assert good.status_code == 302
    forget_calendars()
    assert calendar_for(dealer).weekly[0] == ((30600, 43200), (48600, 64800))
    assert calendar_for(dealer).weekly[6] == ()  # Sunday closed now


def test_override_errors(demo):
    admin = client_for("admin")
    bad_date = admin.post("/sla/calendar/", {"form": "override", "date": "2027-02-30"})
    assert bad_date.status_code == 422 and 'data-testid="error-date"' in bad_date.content.decode()
    reversed_hours = admin.post(
        "/sla/calendar/",
        {"form": "override", "date": "2027-02-06", "is_open": "on", "opens": "18:00", "closes": "09:00"},
    )
    assert reversed_hours.status_code == 422
    ok = admin.post("/sla/calendar/", {"form": "override", "date": "2027-02-06", "note": "春节"})
    assert ok.status_code == 302 and CalendarOverride.objects.get().note == "春节"


def test_policy_form_makes_a_new_version(demo):
    admin = client_for("admin")
    data = {
        "name": "VIP 1h",
        "family": "vip",
        "organization_id": "",
        "vip_only": "on",
        "first_reply": "60",
        "first_reply_unit": "working_minutes",
        "resolution": "2",
        "resolution_unit": "working_days",
        "revisit": "4320",
        "revisit_unit": "calendar_minutes",
        "decision": "4320",
        "decision_unit": "calendar_minutes",
        "warning_fraction": "0.5",
        "ladder": '[{"role": "general_manager", "after_minutes": 0}]',
    }
    assert admin.post("/sla/policies/", data).status_code == 302
    assert admin.post("/sla/policies/", {**data, "first_reply": "0"}).status_code == 422
    assert admin.post("/sla/policies/", {**data, "first_reply": "30"}).status_code == 302
    assert list(SlaPolicy.objects.filter(family="vip").values_list("version", "is_current")) == [
        (2, True),
        (1, False),
    ]


def ladder_box(page: str) -> str:
    """The text in the policy form's ladder box, as the administrator sees it."""
    match = re.search(r'<textarea name="ladder"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert match, "no ladder box on the page"
    return html.unescape(match.group(1)).strip()


def test_the_ladder_box_starts_from_the_default_ladder_and_takes_an_empty_one(demo):
    admin = client_for("admin")
    shown = ladder_box(admin.get("/sla/policies/").content.decode())
    assert shown != "null" and json.loads(shown) == DEFAULT_LADDER  # a ladder to edit, not "null"
    data = {
        "name": "夜间",
        "family": "night",
        "first_reply": "120",
        "first_reply_unit": "working_minutes",
        "resolution": "3",
        "resolution_unit": "working_days",
        "revisit": "10080",
        "revisit_unit": "calendar_minutes",
        "decision": "10080",
        "decision_unit": "calendar_minutes",
        "warning_fraction": "0.75",
        "ladder": shown,
    }
    assert admin.post("/sla/policies/", data).status_code == 302  # saved as shown
    assert SlaPolicy.objects.get(family="night").ladder == DEFAULT_LADDER
    assert admin.post("/sla/policies/", {**data, "ladder": "[]"}).status_code == 302  # escalates to nobody
    assert SlaPolicy.objects.get(family="night", is_current=True).ladder == []
    assert ladder_box(admin.get("/sla/policies/?edit=night").content.decode()) == "[]"
    blank = admin.post("/sla/policies/", {**data, "ladder": ""})
    assert blank.status_code == 422 and 'data-testid="error-ladder"' in blank.content.decode()
    assert SlaPolicy.objects.filter(family="night").count() == 2


def test_complaint_page_shows_clocks_and_pause_resume(demo):
    complaint = make_complaint(demo, 1)
    agent = client_for("agent1")
    page = agent.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="clock-first_reply"' in page and "首次答复" in page
    agent.post(f"/sla/complaints/{complaint.pk}/pause/", {"reason": ""})
    assert "paused" not in {c.state for c in complaint.clocks.all()}
    agent.post(f"/sla/complaints/{complaint.pk}/pause/", {"reason": "等客户提供行驶证"})
    assert {c.state for c in complaint.clocks.all()} == {"paused"}
    agent.post(f"/sla/complaints/{complaint.pk}/resume/", {})
    assert "paused" not in {c.state for c in complaint.clocks.all()}
    assert (
        client_for("agent2").post(f"/sla/complaints/{complaint.pk}/pause/", {"reason": "x"}).status_code
        == 404
    )


def test_sla_api_and_other_dealers(demo, api):
    complaint = make_complaint(demo, 1)
    body = api("agent1").get(f"/api/v1/complaints/{complaint.pk}/sla").json()
    kinds = {c["kind"]: c for c in body["clocks"]}
    assert set(kinds) == {"first_reply", "resolution", "decision"}
    assert kinds["first_reply"]["state"] in ("running", "warning", "breached")
    assert kinds["first_reply"]["due_at"].endswith("+08:00")
    assert isinstance(kinds["first_reply"]["remaining_seconds"], int)
    assert api("agent2").get(f"/api/v1/complaints/{complaint.pk}/sla").status_code == 404
    no_reason = api("agent1").post(f"/api/v1/complaints/{complaint.pk}/sla/pause", {"reason": ""})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["error"]["fields"]
    not_paused = api("agent1").post(f"/api/v1/complaints/{complaint.pk}/sla/resume", {})
    assert not_paused.status_code == 422
    paused = api("agent1").post(f"/api/v1/complaints/{complaint.pk}/sla/pause", {"reason": "等厂家"})
    assert {c["state"] for c in paused.json()["clocks"]} == {"paused"}
