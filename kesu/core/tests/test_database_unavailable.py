"""A database restart while people work (issue 16's fault drill): the requests it catches get a
clear 503 with Retry-After — JSON under /api/, a page that says so elsewhere — and the next
request works again without restarting anything. The connection is really cut by the server
(``pg_terminate_backend``, what a restart does to every session)."""

import psycopg
import pytest
from django.db import close_old_connections, connection

from kesu.complaints.tests.factories import make_complaint

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a database server to restart"),
]


def cut_connection() -> None:
    """The server ends this process's session, as a restart or failover does."""
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))


def request_finished() -> None:
    """What the server does after every response (Django's handler; its test client skips it):
    a connection that raised a database error is dropped, so the next request opens a new one."""
    close_old_connections()


def test_api_answers_503_json_while_the_database_is_gone_then_recovers(demo, api):
    agent = api("agent1")
    make_complaint(demo, verbatim="刹车异响")
    assert agent.get("/api/v1/complaints").status_code == 200  # the connection is open and kept
    cut_connection()

    gone = agent.get("/api/v1/complaints")
    assert gone.status_code == 503, gone.content[:300]
    assert gone["Content-Type"].startswith("application/json")
    assert gone["Retry-After"] == "5"
    assert gone.json()["error"]["code"] == "unavailable"
    request_finished()

    again = agent.get("/api/v1/complaints")
    assert again.status_code == 200 and again.json()["count"] == 1


def test_a_page_says_the_database_is_unavailable_and_the_next_request_works(demo, client):
    client.force_login(demo.users["agent1"])
    assert client.get("/queue/").status_code == 200
    cut_connection()

    gone = client.get("/queue/")
    assert gone.status_code == 503
    assert gone["Retry-After"] == "5"
    assert 'data-testid="error-503"' in gone.content.decode()
    request_finished()

    assert client.get("/queue/").status_code == 200
