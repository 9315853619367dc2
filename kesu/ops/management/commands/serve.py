"""`python -m kesu serve`: the web app (gunicorn), a background worker and the ticker that queues
the periodic SLA sweep and outbox delivery, in one command — and their supervisor.

A child that exits is started again after a back-off (1 s, 2 s, 4 s … up to
KESU_RESTART_BACKOFF_MAX; back to 1 s once it has run for a minute), and every exit and restart
is logged. SIGTERM (systemd, Docker) and SIGINT (Ctrl-C) are passed on to every child; serve
waits up to KESU_SHUTDOWN_GRACE_SECONDS for them (gunicorn finishes its requests, the worker its
task), kills what is left, and exits 0. Children run in their own session (a terminal's Ctrl-C
reaches only serve, which passes it on) and get SIGTERM if serve itself is killed.
"""

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from .worker import RQ_WORKER_ARGS

__all__ = ["RQ_WORKER_ARGS", "Command", "Supervisor"]

logger = logging.getLogger("kesu.ops")
PR_SET_PDEATHSIG = 1
STABLE_SECONDS = 60
# gunicorn answers its own HTML 414 beyond 4 KB of request line; with 0 it reads up to 1 MB and
# kesu.core.middleware.UriTooLongMiddleware answers 414 beyond 8 KB (JSON under /api/)
GUNICORN_LIMITS = ("--limit-request-line", "0")


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the child gets SIGTERM when serve dies, even by kill -9 (no orphaned gunicorn)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    failures: int = 0
    start_at: float = 0.0
    restarts: int = field(default=0)


class Supervisor:
    def __init__(self, children: list[Child], *, say: Any):
        self.children = children
        self.say = say
        self.stop_signal: int | None = None

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stop_signal is None:
            self.stop_signal = signum

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(child.argv, start_new_session=True, preexec_fn=_die_with_parent)
        child.started = time.monotonic()
        self.say(f"{child.name} started (pid {child.process.pid})")

    def _check(self, child: Child, now: float) -> None:
        if child.process is None:
            if now >= child.start_at:
                child.restarts += 1
                self._start(child)
            return
        code = child.process.poll()
        if code is None:
            return
        if now - child.started >= STABLE_SECONDS:
            child.failures = 0
        child.failures += 1
        delay = min(settings.KESU_RESTART_BACKOFF_MAX, 2 ** (child.failures - 1))
        pid = child.process.pid
        message = "kesu serve: %s (pid %s) exited with %s; restart in %s s"
        logger.warning(message, child.name, pid, code, delay)
        child.process, child.start_at = None, now + delay

    def run(self) -> int:
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for child in self.children:
                self._start(child)
            while self.stop_signal is None:
                now = time.monotonic()
                for child in self.children:
                    self._check(child, now)
                time.sleep(0.2)
            return self._stop(self.stop_signal)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stop(self, signum: int) -> int:
        running = [c for c in self.children if c.process is not None and c.process.poll() is None]
        self.say(f"{signal.Signals(signum).name}: stopping {', '.join(c.name for c in running) or 'nothing'}")
        for child in running:
            assert child.process is not None
            child.process.send_signal(signum)
        deadline = time.monotonic() + settings.KESU_SHUTDOWN_GRACE_SECONDS
        for child in running:
            assert child.process is not None
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("kesu serve: %s did not stop in time; killed", child.name)
                child.process.kill()
                child.process.wait()
        self.say("stopped")
        return 0


class Command(BaseCommand):
    help = "Serve the web app, run a background worker and the ticker, and keep them running."
    # The supervisor answers no request. The system checks would import every URL and view (and
    # the text models behind them, ~200 MB) into it for its whole life; `migrate` and
    # `check --deploy` run them before a start.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("KESU_HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument("--no-worker", action="store_true", help="web only: no worker, no ticker")
        parser.add_argument("--no-web", action="store_true", help="worker and ticker only")

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
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
            "--preload",  # the app is loaded once in the master; the workers share its pages
            "--no-control-socket",  # one fixed path per user: two instances on a host would share it
            "--graceful-timeout",
            str(max(1, settings.KESU_SHUTDOWN_GRACE_SECONDS - 2)),
            *GUNICORN_LIMITS,
        ]
        children = []
        if not options["no_web"]:
            children.append(Child("web", web_cmd))
        if not options["no_worker"]:
            children.append(Child("worker", [python, "-m", "kesu", "worker"]))
            children.append(Child("tick", [python, "-m", "kesu", "tick"]))
        if not options["no_web"]:
            self.stdout.write(f"kesu on http://{options['host']}:{options['port']}")

        def say(message: str) -> None:
            self.stdout.write(f"{time.strftime('%H:%M:%S')} kesu serve: {message}")
            self.stdout.flush()

        sys.exit(Supervisor(children, say=say).run())
