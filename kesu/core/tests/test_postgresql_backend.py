"""The PostgreSQL backend's health check: a connection the server has ended is replaced before
a request uses it; a healthy one is kept without a query. Runs in the suite's PostgreSQL pass."""

import time

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the health check of kesu.core.postgresql (CI's PostgreSQL run)"
)


@pytest.fixture
def second_connection(db):
    """A connection of its own, as a web process holds between requests."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def test_the_backend_is_kesus():
    assert connection.settings_dict["ENGINE"] == "kesu.core.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def _last_statement(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return str(cursor.fetchone()[0])


def test_a_healthy_idle_connection_is_kept_without_a_query(second_connection):
    pid = second_connection.connection.info.backend_pid
    with second_connection.cursor() as cursor:  # one statement, then idle
        cursor.execute("SELECT 2 AS last_request")
    assert _last_statement(pid) == "SELECT 2 AS last_request"
    assert second_connection.is_usable()
    assert second_connection.connection.info.backend_pid == pid
    assert _last_statement(pid) == "SELECT 2 AS last_request"  # Django's own check sends SELECT 1


def test_a_connection_the_server_ended_is_replaced_before_use(second_connection):
    pid = second_connection.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    for _ in range(50):  # the server's goodbye arrives asynchronously
        if not second_connection.is_usable():
            break
        time.sleep(0.02)
    else:
        pytest.fail("a terminated connection still looked usable")
    second_connection.health_check_enabled, second_connection.health_check_done = True, False
    second_connection.close_if_health_check_failed()
    with second_connection.cursor() as cursor:  # a new connection: the request does not fail
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
