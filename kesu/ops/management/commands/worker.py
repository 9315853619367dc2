"""`python -m kesu worker`: one background worker with a heartbeat.

The database queue's worker (django-tasks' ``db_worker``), or an RQ worker when REDIS_URL is set,
run in this process with a heartbeat thread beside it (kesu/ops/heartbeat.py): the health check
reads it and the recovery of stuck tasks trusts it. Run as many as you like; SIGTERM or SIGINT
lets the current task finish, then stops.
"""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kesu.ops.heartbeat import Heartbeat, new_worker_id

# RQ's own job class cannot call a django-tasks Task: without this one every task fails.
RQ_WORKER_ARGS = ("rqworker", "default", "--job-class", "django_tasks_rq.backend.Job")


class Command(BaseCommand):
    help = "Run one background worker (database queue, or RQ with REDIS_URL) with a heartbeat."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=0.5, help="database queue: seconds per poll")
        parser.add_argument("--burst", action="store_true", help="stop when the queue is empty")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = new_worker_id()
        kind = "rq" if settings.REDIS_URL else "db"
        heartbeat = Heartbeat(worker_id=worker_id, kind=kind).start()
        try:
            if kind == "rq":
                extra = ["--burst"] if options["burst"] else []
                call_command(*RQ_WORKER_ARGS, "--name", worker_id, *extra)
            else:
                extra = ["--batch"] if options["burst"] else []
                interval = str(options["interval"])
                db_args = ["--no-reload", "--interval", interval, "--worker-id", worker_id, *extra]
                call_command("db_worker", *db_args)
        finally:
            heartbeat.stop()
