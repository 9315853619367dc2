"""What the operations layer keeps in the database: the workers' heartbeats."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """One background worker (``python -m kesu worker``), beating every KESU_HEARTBEAT_SECONDS.

    The health check reads it, and the recovery of stuck tasks asks it whether the worker that
    claimed a task is still alive."""

    worker_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8)  # "db" or "rq"
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.kind}) seen {self.seen_at:%Y-%m-%d %H:%M:%S}"
