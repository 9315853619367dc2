"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright."""

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

CHROMIUM = os.environ.get("KESU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("KESU_TEST_ARTIFACTS", "test-artifacts"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls happen in
# its own thread, but fixtures touching the ORM here need Django's async guard relaxed.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_or_skip() -> str:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = (
            f"Chromium not found at {CHROMIUM}: apt-get install chromium chromium-driver "
            "(CI installs it; browser tests run there)"
        )
        if os.environ.get("CI"):  # in CI a missing browser is a broken setup, not a pass
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


class _Browser:
    """Playwright's browser whose contexts bypass the Content-Security-Policy unless told
    otherwise: Playwright evaluates string predicates (``wait_for_function("…")``) in the page,
    which kesu's policy (no eval) refuses. test_csp_browser.py runs the pages under the policy."""

    def __init__(self, inner: Any):
        self._inner = inner

    def new_context(self, **kwargs: Any) -> Any:
        kwargs.setdefault("bypass_csp", True)
        return self._inner.new_context(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS)
        yield _Browser(instance)
        instance.close()


@pytest.fixture(autouse=True)
def _close_browser_contexts(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each browser test, its pages finish what they asked for and its contexts close: an
    open context keeps its keep-alive connections to the (session-wide) live server, and each of
    those holds a server thread with a database connection — enough of them exhaust PostgreSQL's
    max_connections. This runs before the test database is emptied (it asks for the database
    fixture first, so it is torn down before it): a request still in flight then (an htmx refresh
    after the last click) held its table while TRUNCATE waited for it — a deadlock that left
    the database unflushed for the next test."""
    if "browser" in request.fixturenames and "live_server" in request.fixturenames:
        request.getfixturevalue("_django_db_helper")
    yield
    if "browser" in request.fixturenames:
        for context in list(request.getfixturevalue("browser").contexts):
            for page in context.pages:
                with contextlib.suppress(Exception):  # a page that never settles is closed anyway
                    page.wait_for_load_state("networkidle", timeout=5000)
            context.close()


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def zh(label: object) -> str:
    """The Chinese text of a lazy label or of an English msgid."""
    with translation.override("zh-hans"):
        return translation.gettext(label) if isinstance(label, str) else str(label)


def login(browser, live_server, username, *, bypass_csp=True):  # type: ignore[no-untyped-def]
    """A fresh zh-CN browser context logged in as ``username``, on the work queue."""
    from conftest import PASSWORD

    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=bypass_csp
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)  # agents land on their day, others on the queue
    page.goto(f"{live_server.url}/queue/")
    return page
