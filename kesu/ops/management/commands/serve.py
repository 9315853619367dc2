"""`python -m kesu serve`: the web app (gunicorn), the background worker and the ticker that
queues the periodic SLA sweep and outbox delivery, in one command.

The worker is django-tasks' database worker by default, or an RQ worker when REDIS_URL is set.
Ctrl-C stops both.
"""

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

# RQ's own job class cannot call a django-tasks Task: without this one every task fails.
# gunicorn answers its own HTML 414 beyond 4 KB of request line; with 0 it reads up to 1 MB and
# kesu.core.middleware.UriTooLongMiddleware answers 414 beyond 8 KB (JSON under /api/)
GUNICORN_LIMITS = ("--limit-request-line", "0")
RQ_WORKER_ARGS = ("rqworker", "default", "--job-class", "django_tasks_rq.backend.Job")


def worker_args() -> list[str]:
    """The ``python -m kesu …`` arguments of the background worker for this configuration."""
    return list(RQ_WORKER_ARGS) if settings.REDIS_URL else ["db_worker", "--interval", "0.5"]


class Command(BaseCommand):
    help = "Serve the web app and run the background worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("KESU_HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        worker_cmd = [python, "-m", "kesu", *worker_args()]
        web_cmd = [
            python,
            "-m",
            "gunicorn",
            "kesu.wsgi",
            "-w",
            str(options["workers"]),
            "-b",
            f"{options['host']}:{options['port']}",
            "--access-logfile",
            "-",
            *GUNICORN_LIMITS,
        ]
        worker = subprocess.Popen(worker_cmd)
        ticker = subprocess.Popen([python, "-m", "kesu", "tick"])
        web = subprocess.Popen(web_cmd)
        self.stdout.write(f"kesu on http://{options['host']}:{options['port']}  (worker pid {worker.pid})")
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for proc in (web, ticker, worker):
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in (web, ticker, worker):
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
