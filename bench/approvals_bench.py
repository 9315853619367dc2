"""Issue 12: ``GET /api/v1/approvals`` (what waits for the caller), first page, with 100,000 open
approval requests over the 1,000,000 complaints of the benchmark database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m bench.approvals_bench
    # → bench/results/approvals-<time>.json

Setup (idempotent; ``--skip-setup``): ``--requests`` (default 100,000) pending requests, written
set-based (``INSERT … SELECT`` over the complaints, subject ``bench.approval``), each with its one
step: 80 % wait for the general manager of the complaint's dealer (≈ 530 per dealer), 20 % for
the region manager over it (≈ 6,700 per region); due times spread over the past and next 10
days. Nothing else is changed; ``--clean`` removes them.

Then, in process through Django's test client with a bearer token (the full API stack: auth,
routing, query, JSON), ``--runs`` first-page requests as the general manager of the dealer with
the most waiting requests and as the region manager of the busiest region: p50 / p95 / max.
``--explain`` prints the plan of the list query. Figures are reported, never judged.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

if __name__ == "__main__":  # pragma: no cover - CLI bootstrap
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()

from django.db import connection
from django.db.models import Count
from django.test import Client

from kesu.approvals import services
from kesu.approvals.models import ApprovalRequest, ApprovalStep
from kesu.complaints.models import Complaint
from kesu.organizations.choices import Role
from kesu.organizations.models import ApiToken, Organization, User

RESULTS = Path(__file__).parent / "results"
SUBJECT = "bench.approval"


def table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]


def clean() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table(ApprovalStep)} WHERE request_id IN "
            f"(SELECT id FROM {table(ApprovalRequest)} WHERE subject_model = %s)",
            [SUBJECT],
        )
        cursor.execute(f"DELETE FROM {table(ApprovalRequest)} WHERE subject_model = %s", [SUBJECT])
        return cursor.rowcount


def setup(count: int) -> dict[str, int]:
    existing = ApprovalRequest.objects.filter(subject_model=SUBJECT).count()
    missing = max(0, count - existing)
    requester = User.objects.filter(role=Role.SERVICE_MANAGER, is_active=True).order_by("pk").first()
    assert requester is not None, "the benchmark database has no service manager"
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table(Complaint)}")
            (complaints,) = cursor.fetchone()
            step = max(1, complaints // (count + 1))
            cursor.execute(
                f"""
                WITH picked AS (
                    SELECT c.id, c.dealer_id, d.parent_id AS region_id, n
                    FROM generate_series(%s + 1, %s + %s) AS n
                    JOIN LATERAL (
                        SELECT id, dealer_id FROM {table(Complaint)}
                        WHERE id >= (SELECT min(id) FROM {table(Complaint)}) + n * %s
                        ORDER BY id LIMIT 1
                    ) c ON true
                    JOIN {table(Organization)} d ON d.id = c.dealer_id
                ), made AS (
                    INSERT INTO {table(ApprovalRequest)}
                        (complaint_id, dealer_id, subject_model, subject_id, total, remedies, amounts,
                         summary, requested_by_id, status, current_position, approver_role,
                         approver_org_id, due_at, overdue_notified, created_at)
                    SELECT id, dealer_id, %s, n, 1000 + (n %% 50) * 1000, '["compensation"]', '{{}}',
                           '拖车费、交通费及补偿，超出服务经理权限', %s, 'pending', 0,
                           CASE WHEN n %% 5 = 0 THEN 'region_manager' ELSE 'general_manager' END,
                           CASE WHEN n %% 5 = 0 THEN region_id ELSE dealer_id END,
                           now() + ((n %% 480) - 240) * interval '1 hour', false,
                           now() - (n %% 240) * interval '1 hour'
                    FROM picked
                    RETURNING id, approver_role, approver_org_id, due_at
                )
                INSERT INTO {table(ApprovalStep)} (request_id, position, role, organization_id, state, due_at)
                SELECT id, 0, approver_role, approver_org_id, 'pending', due_at FROM made
                """,
                [existing, existing, missing, step, SUBJECT, requester.pk],
            )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table(ApprovalRequest)}")
    return {"existing": existing, "added": missing}


def busiest(role: str) -> User:
    """The approver with the most requests waiting (a user holding ``role`` there)."""
    org_id = (
        ApprovalRequest.objects.filter(status="pending", approver_role=role)
        .values("approver_org_id")
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("approver_org_id", flat=True)
        .first()
    )
    user = User.objects.filter(role=role, organization_id=org_id, is_active=True).first()
    assert user is not None, f"nobody holds {role} at {org_id}"
    return user


def measure(user: User, runs: int) -> dict[str, object]:
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}
    waiting = services.waiting_for(user).count()
    for _ in range(5):  # warm: token cache, plans, translations
        assert client.get("/api/v1/approvals", **headers).status_code == 200
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get("/api/v1/approvals", **headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and len(response.json()["items"]) == 20
    times.sort()
    return {
        "user": user.username,
        "role": user.role,
        "waiting": waiting,
        "runs": runs,
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "max_ms": round(times[-1], 2),
    }


def explain(user: User) -> str:
    queryset = services.waiting_for(user).select_related("complaint", "requested_by")[:21]
    return queryset.explain(analyze=True, buffers=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--skip-setup", action="store_true")
    parser.add_argument("--clean", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    if args.clean:
        print(f"removed {clean()} benchmark requests")
        return
    started = time.perf_counter()
    arranged = {} if args.skip_setup else setup(args.requests)
    setup_seconds = round(time.perf_counter() - started, 1)
    open_total = ApprovalRequest.objects.filter(status="pending").count()
    results = {
        "open_approvals": open_total,
        "complaints": Complaint.objects.count(),
        "setup": {**arranged, "seconds": setup_seconds},
        "general_manager": measure(busiest(Role.GENERAL_MANAGER), args.runs),
        "region_manager": measure(busiest(Role.REGION_MANAGER), args.runs),
    }
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if args.explain:
        for role in (Role.GENERAL_MANAGER, Role.REGION_MANAGER):
            print(f"--- {role}\n{explain(busiest(role))}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"approvals-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2)
    )


if __name__ == "__main__":
    main()
