"""Pages through Django's test client: scope on every page, errors in place, Chinese by default."""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from conftest import PASSWORD
from kesu.complaints.models import Complaint
from kesu.complaints.tests.factories import make_complaint
from kesu.customers.models import Customer, PhoneReveal
from kesu.language.models import CustomerReply
from kesu.sla.models import Clock


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


PAGES = [
    ("get", "/complaints/{c}/"),
    ("get", "/customers/{cu}/"),
    ("post", "/complaints/{c}/do/escalate/"),
    ("post", "/complaints/{c}/edit/"),
    ("post", "/complaints/{c}/attach/"),
    ("post", "/complaints/{c}/assign/"),
    ("post", "/complaints/{c}/transfer/"),
    ("post", "/customers/{cu}/reveal-phone/"),
    ("post", "/customers/{cu}/edit/"),
    ("post", "/customers/{cu}/merge/"),
    ("post", "/customers/{cu}/erase/"),
    ("post", "/sla/complaints/{c}/pause/"),
    ("post", "/sla/complaints/{c}/resume/"),
    ("post", "/sla/complaints/{c}/revisit/"),
    ("get", "/insights/complaints/{c}/panel/"),
    ("post", "/insights/complaints/{c}/decide/"),
    ("get", "/language/complaints/{c}/composer/"),
    ("get", "/language/complaints/{c}/insert/"),
    ("post", "/language/complaints/{c}/reply/"),
    ("get", "/documents/complaints/{c}/panel/"),
    ("post", "/documents/complaints/{c}/written-answer/"),
    ("get", "/documents/complaints/{c}/registration.pdf"),
    ("get", "/documents/complaints/{c}/letter.pdf"),
    # kesu.resolutions: contact sheets (联络单), the GM's findings decision, accountability
    ("get", "/resolutions/complaints/{c}/investigation/"),
    ("post", "/resolutions/complaints/{c}/contact-sheets/"),
    ("post", "/resolutions/complaints/{c}/findings-decision/"),
    ("post", "/resolutions/complaints/{c}/responsibility/"),
    ("post", "/resolutions/complaints/{c}/penalty-notices/"),
    ("get", "/sanbao/complaints/{c}/panel/"),
    ("post", "/sanbao/complaints/{c}/repairs/"),
    # kesu.carmaker: instructions, help requests, PR on a crisis, the incident report
    ("get", "/carmaker/complaints/{c}/panel/"),
    ("post", "/carmaker/complaints/{c}/instructions/"),
    ("post", "/carmaker/complaints/{c}/help/"),
    ("post", "/carmaker/complaints/{c}/takeover/"),
    ("post", "/carmaker/complaints/{c}/media/"),
    ("post", "/carmaker/complaints/{c}/statements/"),
    ("post", "/carmaker/complaints/{c}/incident-report/"),
    ("get", "/carmaker/complaints/{c}/incident-report.pdf"),
    # kesu.resolutions: countermeasure options, the customer's answer, the 处理协议 ({o}: an option)
    ("get", "/resolutions/complaints/{c}/options/"),
    ("post", "/resolutions/complaints/{c}/options/new/"),
    ("post", "/resolutions/complaints/{c}/options/{o}/propose/"),
    ("post", "/resolutions/complaints/{c}/options/{o}/answer/"),
    ("get", "/resolutions/complaints/{c}/options/{o}/agreement.pdf"),
    # kesu.assistant: the panel and its two buttons (kesu/assistant/tests/test_pages.py)
    ("get", "/assistant/complaints/{c}/panel/"),
    ("post", "/assistant/complaints/{c}/summary/"),
    ("post", "/assistant/complaints/{c}/draft/"),
    # kesu.improvements: a closed complaint shared as a case; an action opened from a complaint
    ("get", "/improvements/complaints/{c}/case/"),
    ("post", "/improvements/complaints/{c}/case/"),
    ("get", "/improvements/complaints/{c}/new/"),
    ("post", "/improvements/complaints/{c}/new/"),
]


def an_option(demo, complaint):  # type: ignore[no-untyped-def]
    """kesu.resolutions: an option the owning dealer drafted on the complaint."""
    from kesu import flows
    from kesu.resolutions.services.options import LineInput, OptionInput

    data = OptionInput(lines=[LineInput("towing", "300")], schedule="今天下午修好")
    return flows.resolutions.save_option(actor=demo.users["agent1"], complaint_id=complaint.pk, data=data)


def routes_with_object_ids() -> set[str]:
    """Every page route that takes a complaint or customer id, as "/complaints/{c}/…"."""
    found: set[str] = set()

    def walk(patterns: list, prefix: str) -> None:  # type: ignore[type-arg]
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if route.startswith("api/"):
                continue  # the API has its own matrix (kesu/complaints/tests/test_permission_matrix.py)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif "complaint_id" in route or "customer_id" in route:
                route = route.replace("<int:complaint_id>", "{c}").replace("<int:customer_id>", "{cu}")
                route = route.replace("<int:option_id>", "{o}")
                found.add("/" + route)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_page_that_takes_an_object_id_is_checked_for_scope():
    checked = {path for _, path in PAGES} | {"/complaints/{c}/do/<slug:action>/"}  # as do/escalate/
    assert routes_with_object_ids() <= checked, routes_with_object_ids() - checked


@pytest.mark.parametrize(("method", "path"), PAGES)
@pytest.mark.parametrize("stranger", ["agent2", "dept3", "region2", "crc1"])
def test_other_organisations_get_404_on_every_page(demo, method, path, stranger):
    complaint = make_complaint(demo, 1, verbatim="发动机漏油，要求退车")
    option_id = an_option(demo, complaint).pk if "{o}" in path else 0
    url = path.format(c=complaint.pk, cu=complaint.customer_id, o=option_id)
    data = {
        "version": complaint.version,
        "reason": "越权",
        "facts": "篡改",
        "severity": "crisis",
        "note": "越权",
        "text": "越权回复客户",
        "field": "category",
        "chosen": "product",
        "assignee_id": demo.users["manager1"].pk,
        "department_id": demo.departments[("D1", "QA")].pk,
    }
    owner = complaint.assignee_id
    response = getattr(client_for(stranger), method)(url, data)
    assert response.status_code == 404
    assert "漏油" not in response.content.decode()
    complaint.refresh_from_db()
    assert (complaint.version, complaint.status, complaint.facts) == (1, "received", "")
    assert (complaint.assignee_id, complaint.department_id) == (owner, None)
    assert PhoneReveal.objects.count() == 0
    assert not CustomerReply.objects.exists()
    assert not Clock.objects.filter(paused_at__isnull=False).exists()


def test_queue_shows_only_own_dealer_and_is_chinese(demo):
    mine = make_complaint(demo, 1, verbatim="刹车异响")
    theirs = make_complaint(demo, 2, verbatim="刹车异响")
    page = client_for("agent1").get("/queue/?q=刹车").content.decode()
    assert mine.number in page and theirs.number not in page
    assert "工作队列" in page and "受理" in page
    partial = client_for("agent1").get("/queue/?status=received", HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith("<table")


def test_english_is_switchable(demo):
    client = client_for("agent1")
    client.post("/i18n/setlang/", {"language": "en", "next": "/queue/"})
    assert "Work queue" in client.get("/queue/").content.decode()


def test_intake_with_new_customer_and_bad_fields(demo):
    client = client_for("agent1")
    bad = client.post(
        "/complaints/new/",
        {
            "name": "李女士",
            "mobile": "1381234",
            "plate": "粤A1234I",
            "channel": "phone",
            "verbatim": "",
            "severity": "normal",
        },
    )
    assert bad.status_code == 422
    html = bad.content.decode()
    assert 'data-testid="error-mobile"' in html and 'data-testid="error-plate"' in html
    assert 'data-testid="error-verbatim"' in html
    assert Customer.objects.count() == 0 and Complaint.objects.count() == 0
    good = client.post(
        "/complaints/new/",
        {
            "name": "李女士",
            "mobile": "13812345678",
            "plate": "粤A12345",
            "vin": "",
            "consent_sms": "yes",
            "consent_calls": "no",
            "channel": "walk_in",
            "verbatim": "接待太差了，等了两个小时没人管",
            "severity": "serious",
            "category": "reception",
            "demands": ["apology"],
            "department_id": demo.departments[("D1", "SVC")].pk,
        },
    )
    assert good.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.demands == ["apology"] and complaint.customer.vehicles.get().plate == "粤A12345"
    assert complaint.dealer == demo.dealers["D1"]


def test_transition_page_requires_inputs_and_refuses_wrong_role(demo):
    complaint = make_complaint(demo, 1)
    url = f"/complaints/{complaint.pk}/do/refuse/"
    agent = client_for("agent1").post(url, {"version": 1, "reason": "不属实"})
    assert agent.status_code == 403
    missing = client_for("manager1").post(url, {"version": 1})
    assert missing.status_code == 422 and "原因" in missing.content.decode()
    done = client_for("manager1").post(url, {"version": 1, "reason": "经检测属正常现象"})
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "refused" and complaint.refusal_reason == "经检测属正常现象"


def test_detail_shows_only_allowed_actions(demo):
    complaint = make_complaint(demo, 1)
    agent_page = client_for("agent1").get(f"/complaints/{complaint.pk}/").content.decode()
    manager_page = client_for("manager1").get(f"/complaints/{complaint.pk}/").content.decode()
    assert "action-start_investigation" in agent_page and "action-refuse" not in agent_page
    assert "action-refuse" in manager_page and "action-close" not in manager_page


def test_phone_masked_in_lists_and_reveal_is_logged(demo):
    complaint = make_complaint(demo, 1)
    client = client_for("agent1")
    assert "138****1234" in client.get("/queue/").content.decode()
    assert "13812341234" not in client.get(f"/customers/{complaint.customer_id}/").content.decode()
    revealed = client.post(f"/customers/{complaint.customer_id}/reveal-phone/")
    assert "13812341234" in revealed.content.decode()
    log = PhoneReveal.objects.get()
    assert log.user == demo.users["agent1"] and log.customer_id == complaint.customer_id
    assert client_for("dept1").post(f"/customers/{complaint.customer_id}/reveal-phone/").status_code == 403
    assert PhoneReveal.objects.count() == 1


def test_login_required(db):
    response = Client().get("/queue/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- kesu.reports: the dashboard and the monthly review packs (no complaint id in their paths) --


def _a_done_pack(demo):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from kesu.reports import services, tasks
    from kesu.reports.facts import month_of

    make_complaint(demo, 1, verbatim="发动机漏油，要求退车")
    job, _ = services.request_pack(
        user=demo.users["manager1"], month=month_of(timezone.now()), org_id=demo.dealers["D1"].pk
    )
    tasks.make_pack(job.pk)
    job.refresh_from_db()
    return job


@pytest.mark.parametrize("stranger", ["agent2", "region2", "crc1"])
def test_report_pages_of_another_organisation_are_404(demo, stranger):
    from kesu.reports.models import ReportJob

    job = _a_done_pack(demo)
    client = client_for(stranger)
    dashboard = client.get(f"/reports/?org={demo.dealers['D1'].pk}")
    # the manufacturer sees the dealer's escalated complaints only (none here); others nothing
    assert dashboard.status_code == (200 if stranger == "crc1" else 404)
    assert client.get(f"/reports/packs/{job.pk}/{job.files[0]}").status_code in (403, 404)
    before = ReportJob.objects.count()
    month = job.month.strftime("%Y-%m")
    response = client.post("/reports/packs/new/", {"month": month, "org": demo.dealers["D1"].pk})
    assert response.status_code in (403, 404)
    assert ReportJob.objects.count() == before
    assert job.organization.name not in client.get("/reports/packs/").content.decode()


def test_report_pages_for_the_right_people(demo):
    job = _a_done_pack(demo)
    manager = client_for("manager1")
    page = manager.get("/reports/").content.decode()
    assert "客诉看板" in page and "echarts" in page
    listing = manager.get("/reports/packs/").content.decode()
    assert job.files[0] in listing
    download = manager.get(f"/reports/packs/{job.pk}/{job.files[0]}")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert client_for("dept1").get("/reports/packs/").status_code == 403  # departments make no packs
    assert client_for("dept1").get("/reports/").status_code == 200  # but see their dealer's figures
    assert Client().get("/reports/").status_code == 302  # to the login page
    bad = manager.get("/reports/?month=2026-13", follow=True)
    assert "YYYY-MM" in bad.content.decode()
