"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

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
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: apt-get install chromium chromium-driver "
            "(CI installs it; browser tests run there)"
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS)
        yield instance
        instance.close()


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
