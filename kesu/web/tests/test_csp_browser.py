"""Issue 16 (10): every page works under the Content-Security-Policy — no inline script, handler,
<style> or style attribute is refused — and the behaviours moved to static/kesu/behaviours.js
still work."""

import subprocess
import sys

import pytest

from kesu.complaints.tests.factories import make_complaint
from kesu.web.tests.browser import login
from kesu.web.tests.test_phone_and_loud_forms_browser import OTHER_PAGES

pytestmark = pytest.mark.django_db(transaction=True)

WATCH = """document.addEventListener('securitypolicyviolation', e => {
  (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});"""


def _violations(page, refused: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    return list(page.evaluate("window.__csp || []")) + refused


def test_no_page_breaks_the_policy(demo, browser, live_server):
    complaint = make_complaint(demo, 1)
    page = login(browser, live_server, "admin", bypass_csp=False)
    page.context.add_init_script(WATCH)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    extra = [
        f"/complaints/{complaint.pk}/",
        f"/customers/{complaint.customer_id}/",
        "/sla/policies/",
        "/sla/calendar/",
        "/notifications/outbox/",
        "/language/overrides/",
        "/reports/",  # ECharts and the dashboard's script, its figures as a JSON data block
        "/reports/packs/",
    ]
    for url in OTHER_PAGES + extra:
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        assert _violations(page, refused) == [], url


def test_the_moved_behaviours_still_work(demo, browser, live_server):
    complaint = make_complaint(demo, 1)
    page = login(browser, live_server, "agent1", bypass_csp=False)
    page.context.add_init_script(WATCH)
    # the language switch submits on change (was onchange=)
    page.goto(f"{live_server.url}/queue/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    # the customer form shows its 422 beside the field (was hx-on:htmx:before-swap)
    page.goto(f"{live_server.url}/customers/{complaint.customer_id}/")
    page.click("[data-testid=edit-customer]")
    form = page.locator("form[data-swap-errors]").first
    form.locator("input[name=mobile]").fill("12345")
    with page.expect_response(lambda r: "/edit/" in r.url and r.status == 422):
        form.locator("button[type=submit]").click()
    page.wait_for_selector("form[data-swap-errors] .error")
    # the worklist's tabs mark the chosen one (was onclick=)
    page.goto(f"{live_server.url}/worklist/")
    tabs = page.locator("[data-tabs] a.tab")
    if tabs.count() > 1:
        tabs.nth(1).click()
        page.wait_for_selector("[data-tabs] a.tab:nth-child(2).active")
    assert page.evaluate("window.__csp || []") == []


def _settings_of(env: dict[str, str], *names: str) -> str:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'kesu.settings'); django.setup();"
    )
    code += "from django.conf import settings as s; print(" + ", ".join(f"s.{n}" for n in names) + ")"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    return done.stdout.strip() + done.stderr.strip()[-300:]


@pytest.mark.parametrize("https", ["1", "0"])
def test_https_turns_on_hsts_and_secure_cookies(https, tmp_path):
    import os

    env = {**os.environ, "KESU_HTTPS": https, "KESU_SECRET_KEY": "x" * 60, "KESU_DATA_DIR": str(tmp_path)}
    answer = _settings_of(env, "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")
    assert answer == ("31536000 True True" if https == "1" else "0 False False")


def _check_deploy(env_extra: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    import os

    dropped = ("KESU_SECRET_KEY", "KESU_DEMO", "KESU_HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the last: tests'
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"KESU_DATA_DIR": str(tmp_path), "KESU_ALLOWED_HOSTS": "kesu.example.com", **env_extra})
    command = [sys.executable, "-m", "kesu", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_refuses_the_built_in_key_outside_the_demo(tmp_path):
    plain = _check_deploy({}, tmp_path)
    assert plain.returncode != 0 and "kesu.E001" in plain.stderr
    demo = _check_deploy({"KESU_DEMO": "1"}, tmp_path)
    assert "kesu.E001" not in demo.stderr
    refused = _check_deploy({"KESU_HTTPS": "1"}, tmp_path)
    assert refused.returncode != 0 and "built-in SECRET_KEY" in refused.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    done = _check_deploy({"KESU_HTTPS": "1", "KESU_SECRET_KEY": "k" * 20 + "Q7#pz" * 10}, tmp_path)
    assert done.returncode == 0, done.stderr


def test_the_dashboard_draws_and_its_tooltips_show_under_the_policy(demo, browser, live_server):
    """ECharts draws on a canvas; its default tooltip is HTML with style attributes, which the
    policy refuses (the tooltip lost its colours): the dashboard draws tooltips on the canvas."""
    from kesu.reports.tests.helpers import build_some

    build_some(demo, 6, days_ago=0.05)
    page = login(browser, live_server, "manager1", bypass_csp=False)
    page.context.add_init_script(WATCH)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/reports/")
    page.wait_for_selector("[data-chart=category] canvas")
    box = page.locator("[data-chart=category]").bounding_box()
    assert box is not None
    for step in range(1, 10):  # sweep across the bars until a tooltip shows
        page.mouse.move(box["x"] + box["width"] * step / 10, box["y"] + box["height"] * 0.5)
        page.wait_for_timeout(150)
    page.evaluate(  # and as a tap on a phone shows it
        "document.querySelector('[data-chart=category]').kesuChart"
        ".dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0})"
    )
    page.wait_for_timeout(200)
    assert _violations(page, refused) == []
