"""Issue 16: a token stops working after its revocation, a logout or a new password — also while
its lookup sits in the token cache (commit 9789fe8)."""

import pytest
from django.test import Client

from conftest import PASSWORD
from kesu.organizations.models import ApiToken


@pytest.fixture
def token_cache(settings):
    settings.KESU_TOKEN_CACHE_SECONDS = 300  # the cached path is the one that could go stale


def _get(token: str) -> int:
    return Client().get("/api/v1/complaints", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def _issue(username: str) -> str:
    answer = Client().post(
        "/api/v1/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    return str(answer.json()["token"])


def test_revoke_endpoint_ends_the_token_sent(demo, token_cache):
    first, second = _issue("agent1"), _issue("agent1")
    assert _get(first) == 200 and _get(second) == 200  # both cached now
    answer = Client().post("/api/v1/auth/token/revoke", HTTP_AUTHORIZATION=f"Bearer {first}")
    assert answer.status_code == 200 and answer.json() == {"revoked": 1}
    assert _get(first) == 401
    assert _get(second) == 200


def test_revoke_all(demo, token_cache):
    first, second = _issue("agent1"), _issue("agent1")
    other = _issue("agent2")
    _get(first), _get(second), _get(other)
    answer = Client().post(
        "/api/v1/auth/token/revoke?all=true",
        HTTP_AUTHORIZATION=f"Bearer {second}",
    )
    assert answer.json() == {"revoked": 2}
    assert _get(first) == 401 and _get(second) == 401 and _get(other) == 200


def test_revoke_needs_a_token(demo):
    assert Client().post("/api/v1/auth/token/revoke").status_code == 401


def test_logout_of_the_pages_revokes_the_users_tokens(demo, token_cache):
    token = _issue("agent1")
    assert _get(token) == 200
    browser = Client()
    assert browser.login(username="agent1", password=PASSWORD)
    browser.post("/logout/")
    assert _get(token) == 401


def test_a_new_password_revokes_the_users_tokens(demo, token_cache, api):
    token = _issue("agent1")
    assert _get(token) == 200
    user = demo.users["agent1"]
    answer = api("admin").post(f"/api/v1/users/{user.pk}/reset-password", {"password": "Anew-pass-4567"})
    assert answer.status_code in (200, 201), answer.content
    assert _get(token) == 401
    assert not ApiToken.objects.filter(user=user).exists()
    user.refresh_from_db()
    user.display_name = "renamed"  # an ordinary save keeps a new token working
    fresh = ApiToken.issue(user)
    user.save()
    assert _get(fresh) == 200
