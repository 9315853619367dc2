"""Issue 16 (5, 6) and PIPL: a masked number cannot be recovered one digit at a time by a role
that may not reveal it, and full numbers never travel in a (logged) URL."""

import pytest
from django.test import Client

from conftest import PASSWORD
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.customers.models import PhoneReveal


def _ids(answer) -> list[int]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200, answer.content
    return [row["id"] for row in answer.json()]


@pytest.mark.parametrize("username", ["region1"])
def test_a_role_without_reveal_matches_only_the_whole_number_or_its_last_four(demo, api, username):
    complaint = make_complaint(demo, 1)  # 张先生, 13812341234
    client = api(username)
    for prefix in ("138", "1381", "13812", "138123", "1381234", "13812341", "138123412", "1381234123"):
        assert _ids(client.get("/api/v1/customers", private=f"q={prefix}")) == [], prefix
    assert _ids(client.get("/api/v1/customers", private="q=13812341234")) == [complaint.customer_id]
    assert _ids(client.get("/api/v1/customers?q=1234")) == [complaint.customer_id]
    browser = Client()
    browser.login(username=username, password=PASSWORD)
    page = browser.post("/customers/lookup/", {"lookup": "1381234"}).content.decode()
    assert "data-customer=" not in page
    assert not PhoneReveal.objects.exists()


def test_a_role_that_may_reveal_still_finds_by_the_beginning(demo, api):
    complaint = make_complaint(demo, 1)
    assert _ids(api("agent1").get("/api/v1/customers?q=1381234")) == [complaint.customer_id]


def test_every_reveal_is_logged(demo, api):
    complaint = make_complaint(demo, 1)
    answer = api("agent1").post(f"/api/v1/customers/{complaint.customer_id}/reveal-phone")
    assert answer.status_code == 200 and answer.json()["mobile"] == "13812341234"
    assert (
        PhoneReveal.objects.filter(customer_id=complaint.customer_id, user=demo.users["agent1"]).count() == 1
    )
    refused = api("region1").post(f"/api/v1/customers/{complaint.customer_id}/reveal-phone")
    assert refused.status_code == 403 and PhoneReveal.objects.count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/customers?phone=13812341234",
        "/api/v1/customers?q=138%201234%201234",
        "/api/v1/complaints?q=13812341234",
        "/api/v1/calls?number=%2B8613812341234",
    ],
)
def test_a_full_number_in_an_api_url_is_refused(demo, api, path):
    answer = api("agent1").get(path)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "phone_in_url"


def test_a_full_number_in_a_page_url_is_stripped_and_the_header_carries_it(demo):
    complaint = make_complaint(demo, 1)
    browser = Client()
    browser.login(username="agent1", password=PASSWORD)
    answer = browser.get("/queue/?view=all&q=13812341234")
    assert answer.status_code == 303 and answer["Location"] == "/queue/?view=all"
    page = browser.get("/queue/?view=all", HTTP_X_KESU_QUERY="q=13812341234", HTTP_HX_REQUEST="true")
    assert complaint.number in page.content.decode()
    lookup = browser.post("/customers/lookup/", {"lookup": "13812341234"})
    assert f'data-customer="{complaint.customer_id}"' in lookup.content.decode()


@pytest.mark.django_db(transaction=True)
def test_no_page_request_carries_a_full_number_in_its_url(demo, browser, live_server):
    """The intake's live lookup POSTs what is typed; the queue's search moves a full number
    into the X-Kesu-Query header (static/kesu/private-query.js) and still finds it."""
    from kesu.web.tests.browser import login

    complaint = make_complaint(demo, 1)
    make_customer(demo, 1, mobile="13900001111", plate="粤A54321")
    page = login(browser, live_server, "agent1")
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(f"{live_server.url}/complaints/new/")
    with page.expect_response(lambda r: "/customers/lookup/" in r.url and r.request.method == "POST"):
        page.locator("[data-testid=lookup]").press_sequentially("13812341234", delay=20)
    page.wait_for_selector(f"button.match[data-customer='{complaint.customer_id}']")
    page.goto(f"{live_server.url}/queue/?view=all")
    with page.expect_response(lambda r: "/queue/" in r.url and r.request.headers.get("x-kesu-query")):
        page.locator("[data-testid=queue-search]").press_sequentially("13812341234", delay=20)
    page.wait_for_function("document.querySelectorAll('#queue-table tbody tr').length === 1")
    assert complaint.number in page.inner_text("#queue-table")
    assert "13812341234" not in page.url
    assert not [url for url in urls if "13812341234" in url or "1381234123" in url], urls


@pytest.mark.django_db(transaction=True)
def test_the_call_log_filter_and_the_merge_search_keep_the_number_out_of_the_url(demo, browser, live_server):
    """Plain GET forms holding a number are boosted by htmx, so the number rides in the header."""
    from kesu.web.tests.browser import login

    complaint = make_complaint(demo, 1)
    make_customer(demo, 1, mobile="13812341234", plate="粤A54321")  # a duplicate record
    page = login(browser, live_server, "manager1")
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(f"{live_server.url}/customers/{complaint.customer_id}/")
    page.fill("[data-testid=merge-search]", "13812341234")
    with page.expect_response(lambda r: r.request.headers.get("x-kesu-query") is not None):
        page.press("[data-testid=merge-search]", "Enter")
    page.wait_for_selector("[data-testid=merge-form]")
    page.goto(f"{live_server.url}/calls/")
    page.fill("[data-testid=call-filters] input[name=number]", "13812341234")
    with page.expect_response(lambda r: r.request.headers.get("x-kesu-query") is not None):
        page.press("[data-testid=call-filters] input[name=number]", "Enter")
    assert not [url for url in urls if "13812341234" in url], urls
