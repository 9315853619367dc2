"""Tasks left RUNNING by a worker that died (kill -9, OOM, a lost host) on the database queue.

django-tasks' database worker marks a task RUNNING when it claims it and SUCCESSFUL or FAILED when
it ends; a worker killed in between leaves the row RUNNING for ever. A RUNNING row is stuck when
it started more than KESU_TASK_RUNNING_TIMEOUT ago and the worker that claimed it no longer beats
(no fresh heartbeat: see heartbeat.py). Idempotent tasks (the periodic ones: they write through
unique keys, and the delivery claims rows itself) go back to READY and run again; the others are
marked FAILED with the reason, so a person sees them and nothing runs twice by surprise.

RQ keeps its own registry of started jobs and moves the jobs of a dead worker to the failed
registry by itself (its StartedJobRegistry clean-up); this module is for the database queue.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kesu.approvals.tasks import escalate_overdue_approvals
from kesu.care.tasks import generate_daily_care_lists
from kesu.complaints.tasks import reindex_complaints
from kesu.followups.tasks import generate_followups
from kesu.insights.tasks import link_new_complaints
from kesu.notifications.tasks import deliver_outbox
from kesu.sla.tasks import sweep_clocks

from .models import WorkerHeartbeat

logger = logging.getLogger("kesu.ops")

# Safe to run again after a partial run: each writes through unique keys or claims its rows.
IDEMPOTENT_TASKS = frozenset(
    t.module_path
    for t in (
        sweep_clocks,
        deliver_outbox,
        link_new_complaints,
        generate_followups,
        escalate_overdue_approvals,
        generate_daily_care_lists,
        reindex_complaints,
    )
)

LOST = "kesu.ops.recovery.WorkerLost"


def _alive_workers(now: datetime) -> set[str]:
    fresh = now - timedelta(seconds=settings.KESU_HEARTBEAT_STALE_SECONDS)
    return set(
        WorkerHeartbeat.objects.filter(seen_at__gte=fresh, stopped_at__isnull=True).values_list(
            "worker_id", flat=True
        )
    )


def recover_stuck_tasks(now: datetime | None = None) -> dict[str, int]:
    """Requeue or fail the RUNNING tasks whose worker is gone; returns the counts."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.KESU_TASK_RUNNING_TIMEOUT)
    alive = _alive_workers(now)
    counts = {"requeued": 0, "failed": 0}
    candidates = DBTaskResult.objects.filter(status="RUNNING", started_at__lte=cutoff)
    for row in candidates.only("id", "task_path", "worker_ids", "started_at"):
        worker = row.worker_ids[-1] if row.worker_ids else ""
        if worker in alive:
            continue  # a long task on a live worker: leave it alone
        still = DBTaskResult.objects.filter(pk=row.pk, status="RUNNING", started_at=row.started_at)
        if row.task_path in IDEMPOTENT_TASKS:
            done = still.update(status="READY", started_at=None)
            kind = "requeued"
        else:
            done = still.update(
                status="FAILED",
                finished_at=now,
                exception_class_path=LOST,
                traceback=f"Worker {worker or '?'} died running this task (not idempotent: not rerun).",
            )
            kind = "failed"
        if done:
            counts[kind] += 1
            logger.warning("task %s (%s) left RUNNING by %s: %s", row.pk, row.task_path, worker or "?", kind)
    return counts
