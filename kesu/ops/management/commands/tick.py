"""`python -m kesu tick`: every KESU_TICK_SECONDS, queue the SLA sweep, the outbox delivery and the
recurrence linking of new complaints.

The tasks run on the workers (database queue or RQ). A tick is skipped while the previous one is
still waiting in the database queue, so a stopped worker does not pile up work. Each tick also
recovers database-queue tasks left RUNNING by a dead worker (kesu/ops/recovery.py). A tick that
fails (the database restarting) is logged and the next one tried; SIGTERM stops it cleanly.
"""

import logging
import signal
import sys
import time
from typing import Any

from django import db
from django.conf import settings
from django.core.management.base import BaseCommand
from django_tasks_db.models import DBTaskResult

from kesu.approvals.tasks import escalate_overdue_approvals
from kesu.care.tasks import generate_daily_care_lists
from kesu.followups.tasks import generate_followups
from kesu.improvements.tasks import check_improvement_effectiveness, notify_overdue_improvements
from kesu.insights.tasks import link_new_complaints
from kesu.notifications.tasks import deliver_outbox
from kesu.ops.recovery import recover_stuck_tasks
from kesu.sla.tasks import sweep_clocks

logger = logging.getLogger("kesu.ops")

PERIODIC = (
    sweep_clocks,
    deliver_outbox,
    link_new_complaints,
    generate_followups,
    escalate_overdue_approvals,
    generate_daily_care_lists,
    notify_overdue_improvements,
    check_improvement_effectiveness,
)


def _still_queued(task: Any) -> bool:
    """A run of ``task`` waits in the queue already: queue no second one behind it."""
    if settings.REDIS_URL:
        import django_rq

        queue = django_rq.get_queue(task.queue_name)
        return any(job.func_name == task.module_path for job in queue.get_jobs() if job is not None)
    return DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists()


def tick_once() -> int:
    if not settings.REDIS_URL:
        recover_stuck_tasks()
    queued = 0
    for task in PERIODIC:
        if not _still_queued(task):
            task.enqueue()
            queued += 1
    return queued


class Command(BaseCommand):
    help = "Queue the periodic SLA sweep and outbox delivery (use --once from cron)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=int, default=settings.KESU_TICK_SECONDS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            tick_once()
            return
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            while True:
                try:
                    tick_once()
                except Exception:  # e.g. the database restarting: the next tick tries again
                    logger.warning("tick failed", exc_info=True)
                    db.connections.close_all()
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            return
