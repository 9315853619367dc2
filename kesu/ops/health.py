"""What ``/healthz`` reports: the web process, the database, the workers' heartbeats and the
backlogs (outbox, database task queue).

Anonymous on purpose (load balancers and monitors have no login), so it says how much and how
old, never who or what: counts and ages in seconds, no host names, no addresses, no contents.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kesu.notifications.choices import DeliveryStatus
from kesu.notifications.models import Delivery

from .models import WorkerHeartbeat


def _age(now: datetime, then: datetime | None) -> float | None:
    return None if then is None else round((now - then).total_seconds(), 1)


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # down, restarting, refused, locked out: all mean "not ok"
        connection.close()  # the next request connects afresh
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _workers(now: datetime) -> dict[str, Any]:
    stale = timedelta(seconds=settings.KESU_HEARTBEAT_STALE_SECONDS)
    running = WorkerHeartbeat.objects.filter(stopped_at__isnull=True, seen_at__gte=now - timedelta(days=1))
    seen = list(running.values_list("seen_at", flat=True))
    alive = [s for s in seen if now - s <= stale]
    return {
        "ok": bool(alive),
        "alive": len(alive),
        "stale": len(seen) - len(alive),
        "last_beat_seconds_ago": _age(now, max(seen)) if seen else None,
        "stale_after_seconds": settings.KESU_HEARTBEAT_STALE_SECONDS,
    }


def _outbox(now: datetime) -> dict[str, Any]:
    pending = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    due = pending.filter(next_attempt_at__lte=now)
    counts = {
        str(status): Delivery.objects.filter(status=status).count()
        for status in (DeliveryStatus.SENDING, DeliveryStatus.UNCERTAIN, DeliveryStatus.DEAD)
    }
    return {
        "pending": pending.count(),
        "due": due.count(),
        "oldest_due_seconds": _age(now, due.aggregate(oldest=Min("next_attempt_at"))["oldest"]),
        **counts,
    }


def _rq() -> dict[str, Any]:
    import django_rq
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    try:
        queue = django_rq.get_queue("default")
        return {
            "queue": "rq",
            "ok": True,
            "ready": queue.count,
            "running": StartedJobRegistry(queue=queue).count,
            "failed": FailedJobRegistry(queue=queue).count,
        }
    except Exception as exc:  # Redis down: nothing can be queued
        return {"queue": "rq", "ok": False, "error": type(exc).__name__}


def _tasks(now: datetime) -> dict[str, Any]:
    if settings.REDIS_URL:
        return _rq()
    ready = DBTaskResult.objects.filter(status="READY")
    return {
        "queue": "database",
        "ready": ready.count(),
        "running": DBTaskResult.objects.filter(status="RUNNING").count(),
        "oldest_ready_seconds": _age(now, ready.aggregate(oldest=Min("enqueued_at"))["oldest"]),
    }


def report() -> tuple[int, dict[str, Any]]:
    """(HTTP status, body): 503 when the database (or Redis, with RQ) is unreachable or no worker
    beats."""
    now = timezone.now()
    body: dict[str, Any] = {"web": {"ok": True}, "database": _database()}
    if body["database"]["ok"]:
        body["worker"] = _workers(now)
        body["outbox"] = _outbox(now)
        body["tasks"] = _tasks(now)
    ok = body["database"]["ok"] and body["worker"]["ok"] and body["tasks"].get("ok", True)
    body["status"] = "ok" if ok else "fail"
    return (200 if ok else 503), body
