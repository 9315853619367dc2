"""Helpers for the tests that run kesu in real processes against the test database."""

import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def database_url() -> str:
    """The URL of the database this test runs on (the test database), for a child process."""
    params = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
        host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
        return f"postgres://{params['USER']}{password}@{host}:{port}/{params['NAME']}"
    return f"sqlite:///{params['NAME']}"


def kesu_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "KESU_DATA_DIR": str(tmp_path),
        "KESU_OUTBOX_DIR": str(tmp_path / "outbox"),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def free_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = int(probe.getsockname()[1])
    probe.close()
    return port


def wait_for(check: Callable[[], Any], *, timeout: float = 90, what: str = "condition") -> Any:
    """Poll ``check`` until it returns something truthy (however slow the machine is)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def descendants(pid: int) -> list[int]:
    pending, found = children(pid), []
    while pending:
        child = pending.pop()
        found.append(child)
        pending += children(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
