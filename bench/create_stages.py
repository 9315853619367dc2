"""Where one API create spends its time, stage by stage (in process, wall time).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python -m bench.create_stages

Needs ``bench/results/create-requests.tsv``, which ``python -m bench.measure`` writes. Sends
``--count`` creates from that file through Django's test client (after a warm-up) with timers
around the stages of an intake: the token lookup, the customer and vehicle, numbering, clocks,
the analysis, the one-statement write of complaint, clocks, timeline entry and suggestion, the
crisis check and the answer; wall time and this process's CPU time. The complaints stay in the database (the
generator's data set is large enough not to notice). Figures are reported, never judged.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path

if __name__ == "__main__":  # pragma: no cover - CLI bootstrap
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()

from django.test import Client

import kesu.complaints.services as complaint_services
import kesu.flows as flows
import kesu.flows.registration as intake_flow
import kesu.insights.services as insights_services
import kesu.sla.services as sla_services
from bench.timers import timed
from kesu.organizations.models import ApiTokenQuerySet

REQUESTS = Path(__file__).resolve().parent / "results" / "create-requests.tsv"
STAGES = (
    (flows, "create_complaint"),
    (complaint_services, "build_complaint"),
    (complaint_services, "_customer_and_vehicle"),
    (complaint_services, "next_number"),
    (sla_services, "plan_clocks"),
    (insights_services, "intake_suggestion"),
    (complaint_services, "insert_with_children"),
    (intake_flow, "_after_intake"),
)


def instrument(spent: Counter[str], cpu: Counter[str]) -> None:
    for module, name in STAGES:
        setattr(module, name, timed(spent, name, getattr(module, name), cpu))
    ApiTokenQuerySet.user_for = timed(spent, "token lookup", ApiTokenQuerySet.user_for, cpu)  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()
    lines = REQUESTS.read_text(encoding="utf-8").splitlines()
    client = Client()
    spent: Counter[str] = Counter()
    cpu: Counter[str] = Counter()

    def send(index: int) -> None:
        _method, path, token, body = lines[index % len(lines)].split("\t")
        began, began_cpu = time.perf_counter(), time.process_time()
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_HOST": "127.0.0.1"}
        response = client.post(path, body, content_type="application/json", **headers)
        spent["whole request"] += time.perf_counter() - began
        cpu["whole request"] += time.process_time() - began_cpu
        if response.status_code != 201:
            raise SystemExit(f"create answered {response.status_code}: {response.content[:300]!r}")

    instrument(spent, cpu)
    for index in range(args.warmup):
        send(index)
    spent.clear()
    cpu.clear()
    for index in range(args.count):
        send(args.warmup + index)
    print(f"{'stage':22s} {'wall ms':>8s} {'cpu ms':>8s}  (per create, this process)")
    for name, seconds in spent.most_common():
        print(f"{name:22s} {seconds / args.count * 1000:8.2f} {cpu[name] / args.count * 1000:8.2f}")


if __name__ == "__main__":
    main()
