"""Issue 16 (3): wrong passwords are throttled per username and per address, with 429 and the
wait in Chinese, before the password is hashed; the lockout ends by itself."""

from datetime import timedelta
from typing import ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD


class CountingHasher(MD5PasswordHasher):
    """Counts the passwords checked: a locked-out attempt must hash none."""

    checks: ClassVar[list[str]] = []

    def verify(self, password: str, encoded: str) -> bool:
        CountingHasher.checks.append(password)
        return super().verify(password, encoded)


@pytest.fixture
def counting(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["kesu.web.tests.test_login_throttle.CountingHasher"]
    settings.AXES_FAILURE_LIMIT = 5
    CountingHasher.checks.clear()
    return CountingHasher.checks


def _web(client: Client, username: str, password: str, ip: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _api(username: str, password: str, ip: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return Client().post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def _rehash(demo) -> None:  # type: ignore[no-untyped-def]
    user = demo.users["agent1"]
    user.set_password(PASSWORD)
    user.save()


def test_the_web_login_answers_429_in_chinese_before_hashing(demo, counting, client):
    _rehash(demo)
    for _ in range(4):
        assert _web(client, "agent1", "wrong").status_code == 200  # the form again, with its error
    assert _web(client, "agent1", "wrong").status_code == 429  # the fifth failure locks
    hashed = len(counting)
    locked = _web(client, "agent1", PASSWORD)  # even the right password: locked out
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert locked["Retry-After"] == "900"
    assert len(counting) == hashed  # nothing hashed for a locked-out attempt


def test_the_token_endpoint_answers_429_json_before_hashing(demo, counting):
    _rehash(demo)
    for _ in range(4):
        assert _api("agent1", "wrong").status_code == 401
    assert _api("agent1", "wrong").status_code == 429
    hashed = len(counting)
    locked = _api("agent1", PASSWORD, ip="10.9.9.9")  # another address: the username is locked
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "throttled"
    assert "登录失败次数过多" in locked.json()["error"]["message"]
    assert len(counting) == hashed
    assert _api("agent2", PASSWORD, ip="10.9.9.9").status_code == 200  # others log in


def test_one_address_guessing_many_usernames_is_locked(demo, counting):
    for index in range(5):
        _api(f"nobody{index}", "wrong", ip="10.6.6.6")
    assert _api("agent2", PASSWORD, ip="10.6.6.6").status_code == 429
    assert _api("agent2", PASSWORD, ip="10.7.7.7").status_code == 200


def test_the_lockout_ends_after_the_cool_off(demo, counting):
    from axes.models import AccessAttempt

    for _ in range(5):
        _api("agent1", "wrong")
    assert _api("agent1", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _api("agent1", PASSWORD).status_code == 200


def test_a_success_resets_the_count(demo, counting):
    for _ in range(4):
        _api("agent1", "wrong")
    assert _api("agent1", PASSWORD).status_code == 200
    for _ in range(4):
        _api("agent1", "wrong")
    assert _api("agent1", PASSWORD).status_code == 200


def test_the_address_counted_behind_trusted_proxies(settings, rf):
    from kesu.web.throttle import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_ip(request) == "10.0.0.9"  # no proxy trusted: the header is anyone's words
    settings.KESU_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # what our one proxy saw, not what the client wrote
    assert client_ip(rf.get("/", REMOTE_ADDR="")) is None
