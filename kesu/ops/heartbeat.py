"""The worker's heartbeat: a thread in the worker process that updates its row every few seconds.

A thread, not a task on the queue: a long sweep on a busy worker must not look like a dead worker.
What it proves is that the process is alive and reaches the database; the queue's own backlog
(the health check's ``tasks.ready`` and ``outbox``) shows whether work is getting done.
"""

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger("kesu.ops")


def new_worker_id() -> str:
    """Unique and readable: host, process and a random tail (at most 64 characters)."""
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def beat(*, worker_id: str, kind: str) -> None:
    """Write this worker's heartbeat now."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now, stopped_at=None)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            kind=kind,
            hostname=socket.gethostname()[:200],
            pid=os.getpid(),
            started_at=now,
            seen_at=now,
        )


def forget_old(days: int = 7) -> int:
    """Rows of workers gone for a week: nobody looks at them any more."""
    deleted, _ = WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted


def stopped(*, worker_id: str) -> None:
    """A clean stop: the health check then knows the worker left on purpose."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())


class Heartbeat:
    """Beats in a daemon thread until ``stop()``; a database outage is logged and outlived."""

    def __init__(self, *, worker_id: str, kind: str, interval: float | None = None):
        self.worker_id, self.kind = worker_id, kind
        self.interval = interval if interval is not None else settings.KESU_HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kesu-heartbeat", daemon=True)

    def start(self) -> "Heartbeat":
        self._thread.start()
        return self

    def _run(self) -> None:
        beats = 0
        while not self._stop.is_set():
            try:
                close_old_connections()
                beat(worker_id=self.worker_id, kind=self.kind)
                if beats % 360 == 0:
                    forget_old()
                beats += 1
            except Exception:  # the database is down or restarting: try again next time
                logger.warning("heartbeat of %s not written", self.worker_id, exc_info=True)
                connection.close()
            self._stop.wait(self.interval)
        connection.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            stopped(worker_id=self.worker_id)
        except Exception:
            logger.warning("could not mark %s stopped", self.worker_id, exc_info=True)
