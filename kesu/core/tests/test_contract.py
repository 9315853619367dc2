"""Issue 16, contract slips: one schema name per schema in the OpenAPI document, and a URL over
8 KB answered 414 in JSON under /api/ — by Django in tests and through gunicorn as `kesu serve`
starts it."""

import collections
import socket
import subprocess
import sys
import time

import pytest
from ninja import Schema

from kesu.ops.management.commands.serve import GUNICORN_LIMITS


def _schema_classes() -> dict[str, set[str]]:
    names: dict[str, set[str]] = collections.defaultdict(set)

    def walk(cls: type) -> None:
        child: type
        for child in cls.__subclasses__():
            names[child.__name__].add(f"{child.__module__}.{child.__qualname__}")
            walk(child)

    walk(Schema)
    return names


def test_no_two_schemas_share_a_name_in_the_openapi_document(client):
    components = client.get("/api/openapi.json").json()["components"]["schemas"]
    clashes = {
        name: sorted(classes)
        for name, classes in _schema_classes().items()
        if name in components and len(classes) > 1
    }
    assert clashes == {}


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_reply_template_decisions_are_described_with_their_own_body(client, action):
    """Two ``DecisionIn`` classes collided: /language/replies/{id}/approve was documented with
    the suggestion decision's body (field, chosen, version)."""
    spec = client.get("/api/openapi.json").json()
    operation = spec["paths"][f"/api/v1/language/replies/{{template_id}}/{action}"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(body["properties"]) == {"note"}
    decide = spec["paths"]["/api/v1/insights/complaints/{complaint_id}/decisions"]["post"]
    ref = decide["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert {"field", "chosen"} <= set(spec["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"])


def test_a_long_url_under_api_is_a_json_414(client):
    answer = client.get("/api/v1/complaints", {"q": "刹" * 3000})
    assert answer.status_code == 414
    assert answer.json()["error"]["code"] == "uri_too_long"
    page = client.get("/queue/", {"q": "a" * 9000})
    assert page.status_code == 414
    assert client.get("/api/v1/complaints", {"q": "a" * 4000}).status_code == 401  # under the limit


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _raw_get(port: int, target: bytes) -> bytes:
    # A cold worker loads the app and warms its caches before it answers (seconds on a busy
    # machine): this test is about the answer, not how soon it comes.
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def test_gunicorn_as_kesu_serve_starts_it_lets_django_answer_414_in_json():
    """gunicorn's own limit (4094 bytes) answered an HTML 414 before Django saw the request."""
    port = _free_port()
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kesu.wsgi",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            *GUNICORN_LIMITS,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        answer = _raw_get(port, b"/api/v1/complaints?q=" + b"a" * 9000)
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 414")
        assert b"application/json" in head
        assert b'"uri_too_long"' in body
    finally:
        web.terminate()
        web.wait(timeout=10)
