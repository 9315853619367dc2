"""三包 check benchmark: ``GET /api/v1/complaints/{id}/sanbao`` for a vehicle with 20 repairs.

    DATABASE_URL=postgres://…/kesu_bench .venv/bin/python -m bench.sanbao_bench [--runs 300]

In process, through Django's test client with a bearer token (the whole request: auth, scope,
the complaint, the vehicle, its repairs and sale, the pure rules, JSON). One complaint with a
vehicle of a dealer in the bench data set gets 20 repairs (and a sale record); they, the token
and the sale are deleted afterwards. Prints median and p95 (ms) and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import timedelta


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--repairs", type=int, default=20)
    args = parser.parse_args()
    _setup()
    from decimal import Decimal

    from django.conf import settings
    from django.test import Client

    from kesu.complaints.models import Complaint
    from kesu.customers.models import Vehicle
    from kesu.organizations.choices import Role
    from kesu.organizations.models import ApiToken, User
    from kesu.sanbao.choices import System
    from kesu.sanbao.models import Repair, VehicleSale

    settings.ALLOWED_HOSTS = ["*"]
    agent = User.objects.filter(role=Role.AGENT, is_active=True, organization__isnull=False).order_by("pk")[0]
    dealer = agent.organization.dealer  # type: ignore[union-attr]
    complaint = (
        Complaint.objects.filter(dealer=dealer, vehicle__isnull=False).order_by("-received_at").first()
    )
    assert complaint is not None, "no complaint with a vehicle at the agent's dealer"
    vehicle = Vehicle.objects.get(pk=complaint.vehicle_id)
    start = vehicle.purchase_date or (complaint.received_at.date() - timedelta(days=400))
    systems = list(System.values)
    repairs = Repair.objects.bulk_create(
        Repair(
            vehicle=vehicle,
            dealer=dealer,
            date_in=start + timedelta(days=15 * i),
            days_in_workshop=1 + i % 7,
            mileage_km=800 * i,
            system=systems[i % len(systems)],
            problem=f"故障{i % 4}",
            serious_safety_fault=i % 5 == 0,
            assembly_replaced=i % 9 == 0,
            parts=[{"name": "制动总泵", "main": True}, {"name": "刹车片", "main": False}],
            fixed=i % 3 != 0,
            created_by=agent,
        )
        for i in range(args.repairs)
    )
    created_sale = not VehicleSale.objects.filter(vehicle=vehicle).exists()
    if created_sale:
        VehicleSale.objects.create(vehicle=vehicle, price=Decimal("239800.00"), usage_rate=Decimal("0.004"))
    token = ApiToken.issue(agent)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/complaints/{complaint.pk}/sanbao"
    baseline_url = f"/api/v1/vehicles/{vehicle.pk}"  # the same auth and scope, one row: the floor
    timings: list[float] = []
    baseline: list[float] = []
    try:
        for i in range(args.warmup + args.runs):
            began = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - began) * 1000
            assert response.status_code == 200, response.content[:300]
            began = time.perf_counter()
            assert client.get(baseline_url).status_code == 200
            floor = (time.perf_counter() - began) * 1000
            if i >= args.warmup:
                timings.append(elapsed)
                baseline.append(floor)
        body = response.json()
        assert body["repairs"] >= args.repairs
    finally:
        Repair.objects.filter(pk__in=[r.pk for r in repairs]).delete()
        if created_sale:
            VehicleSale.objects.filter(vehicle=vehicle).delete()
        ApiToken.objects.filter(user=agent, expires_at__gt=complaint.received_at).order_by("-pk")[
            :1
        ].get().delete()
    timings.sort()
    baseline.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    result = {
        "endpoint": "GET /api/v1/complaints/{id}/sanbao",
        "repairs": args.repairs,
        "runs": len(timings),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(timings[-1], 2),
        "baseline_get_vehicle_median_ms": round(statistics.median(baseline), 2),
        "baseline_get_vehicle_p95_ms": round(baseline[int(0.95 * (len(baseline) - 1))], 2),
        "verdicts": {r["right"]: r["may_apply"] for r in body["rights"]},
    }
    print(f"median {result['median_ms']} ms, p95 {result['p95_ms']} ms over {len(timings)} calls")
    print(
        f"floor (GET vehicle) median {result['baseline_get_vehicle_median_ms']} ms, "
        f"p95 {result['baseline_get_vehicle_p95_ms']} ms"
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
