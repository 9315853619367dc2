"""Shared fixtures: the demo organisations and users, API clients with bearer tokens, the shared
data set."""

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from django.test import Client

from kesu.demo.builder import DemoOrg, build_organizations
from kesu.organizations.models import ApiToken, User
from kesu.web.tests.browser import _close_browser_contexts, browser  # noqa: F401  (fixtures for every app's browser tests)

PASSWORD = "test-pass-123"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Fit the learned readings once, before the test workers start, so each of them reads them
    from their cache files in a second instead of fitting them at the same time (the emotion
    model: 5–50 s each, long enough for a browser test or a freshly started gunicorn to time out
    on its first reading)."""
    if hasattr(session.config, "workerinput"):
        return  # a worker: the controller has fitted them
    from kesu.insights import crisis, crisis_learned, emotion_learned

    emotion_learned.model()
    crisis_learned.model(crisis.rules_find_crisis)


# Real texts (complaint exports, reviews) are not redistributed with the repository: they live in
# ../shared/data, beside the checkout (or where KESU_SHARED_DATA points), never at an absolute
# path written here.
SHARED_DATA = Path(
    os.environ.get("KESU_SHARED_DATA") or Path(__file__).resolve().parent.parent / "shared" / "data"
)


@pytest.fixture
def shared_data() -> Callable[[str], Path]:
    """``shared_data("complaints-zh/dev_2020-06.csv")``: that file of the shared data set. A
    checkout without the data set skips these few tests, saying which file and where it was
    looked for (the run's summary lists them); ``KESU_REQUIRE_SHARED_DATA=1`` makes it a failure."""

    def path(relative: str) -> Path:
        found = SHARED_DATA / relative
        if not found.is_file():
            message = (
                f"{found} is absent: this test reads the shared data set, kept in ../shared/data "
                "beside the repository or at $KESU_SHARED_DATA (it is not redistributed with it)"
            )
            if os.environ.get("KESU_REQUIRE_SHARED_DATA"):
                pytest.fail(message, pytrace=False)
            pytest.skip(message)
        return found

    return path


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _files_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Uploads and outbox files go to the test's own folder, not the checkout's var/: tests
    running side by side (pytest -n) never share, and no run leaves files for the next one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KESU_OUTBOX_DIR = tmp_path / "outbox"


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> None:
    """Each test starts with empty per-process caches (every ``kesu.core.caches.ProcessCache``):
    a rolled-back test's policies, calendars or chains must not be served to the next one."""
    from django.core.cache import cache

    from kesu.core.caches import clear_all

    clear_all()
    cache.clear()  # Django's cache too (cached token lookups)


@pytest.fixture
def demo(db: None) -> DemoOrg:
    """Manufacturer, 2 regions, 3 dealers with departments, and one user per role (demo names)."""
    return build_organizations(PASSWORD)


class ApiClient:
    """A test client speaking JSON with a bearer token, as an integrator would."""

    def __init__(self, user: User | None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(user)}"

    def _send(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        kwargs: dict[str, Any] = {**self.headers, **extra}
        if body is not None:
            kwargs["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path: str, private: str = "", **extra: Any) -> Any:
        """``private``: query parameters sent in the X-Kesu-Query header, as full phone numbers
        must be (never in a logged URL; kesu/core/middleware.py PhonesOutOfUrlsMiddleware)."""
        if private:
            extra["HTTP_X_KESU_QUERY"] = urlencode(parse_qsl(private, keep_blank_values=True))
        return self._send("get", path, **extra)

    def post(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self._send("post", path, body, **extra)

    def patch(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self._send("patch", path, body, **extra)


@pytest.fixture
def api(demo: DemoOrg):  # type: ignore[no-untyped-def]
    """``api("agent1")``: a client with that demo user's token; ``api(None)``: anonymous."""

    def make(username: str | None) -> ApiClient:
        return ApiClient(demo.users[username] if username else None)

    return make
