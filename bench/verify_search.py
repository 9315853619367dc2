"""Every matching complaint findable: the app's search against a plain substring scan.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench \\
        .venv/bin/python -m bench.verify_search

For each word, three comparisons of complaint ids, each must be equal:

* whole table — ``queries.text_search(Complaint.objects.all(), word)`` against
  ``verbatim LIKE '%word%' OR facts LIKE '%word%'``;
* a random sample of ``--sample`` ids — the same two, restricted to the sample, and again with
  the match used when the page is found by walking the queue order (``walk=True``);
* one dealer through the HTTP API as that dealer's agent, every page of
  ``GET /api/v1/complaints?q=word`` (Django's test client, in process), against the scan
  restricted to the dealer.

Mixed ASCII + CJK terms (``--extra``) are reported but not required to be equal: the app ANDs the
parts rather than requiring them adjacent (see docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

if __name__ == "__main__":  # pragma: no cover - CLI bootstrap
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()

from django.db import connection
from django.test import Client

from kesu.complaints import queries
from kesu.complaints.models import Complaint

RESULTS = Path(__file__).resolve().parent / "results"
WORDS = ("刹车", "刹车失灵", "顿挫", "变速箱顿挫", "起火", "熄火", "退车", "漏油", "异响",
         "空调不制冷", "雨刮", "失灵", "焦")  # fmt: skip
EXTRA = ("4S店",)


def like_ids(word: str, where: str = "", params: list[Any] | None = None) -> set[int]:
    pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    sql = "SELECT id FROM complaints_complaint WHERE (verbatim LIKE %s OR facts LIKE %s)"
    with connection.cursor() as cursor:
        cursor.execute(sql + (f" AND {where}" if where else ""), [pattern, pattern, *(params or [])])
        return {row[0] for row in cursor.fetchall()}


def search_ids(queryset: Any, word: str, *, walk: bool = False) -> set[int]:
    return set(queries.text_search(queryset, word, walk=walk).values_list("pk", flat=True))


def api_ids(token: str, word: str, page_size: int = 100) -> set[int]:
    client = Client()
    seen: set[int] = set()
    page = 1
    while True:
        response = client.get(
            f"/api/v1/complaints?q={quote(word)}&page_size={page_size}&page={page}",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        if response.status_code != 200:
            raise SystemExit(f"API answered {response.status_code}: {response.content[:300]!r}")
        rows = response.json()["results"]
        seen.update(r["id"] for r in rows)
        if len(rows) < page_size:
            return seen
        page += 1


def compare(expected: set[int], got: set[int]) -> dict[str, Any]:
    missing, extra = sorted(expected - got), sorted(got - expected)
    return {"like": len(expected), "search": len(got), "missing": len(missing),
            "extra": len(extra), "examples": (missing + extra)[:5]}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=Path, default=RESULTS / "tokens.json")
    parser.add_argument("--agent", default="bench-d001-agent1")
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--words", nargs="*", default=list(WORDS))
    parser.add_argument("--extra", nargs="*", default=list(EXTRA))
    parser.add_argument("--no-full", action="store_true", help="skip the whole-table comparison")
    args = parser.parse_args(argv)

    user = json.loads(args.tokens.read_text())["users"][args.agent]
    dealer_id, token = user["dealer_id"], user["token"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM complaints_complaint")
        low, high = cursor.fetchone()
    sample = random.Random(1).sample(range(low, high + 1), min(args.sample, high - low + 1))
    report: list[dict[str, Any]] = []
    failures = 0
    for word in [*args.words, *args.extra]:
        required = word in args.words
        row: dict[str, Any] = {"word": word, "required": required}
        started = time.monotonic()
        if not args.no_full:
            expected, got = like_ids(word), search_ids(Complaint.objects.all(), word)
            row["full"] = compare(expected, got)
        expected = like_ids(word, "id = ANY(%s)", [sample])
        got = search_ids(Complaint.objects.filter(pk__in=sample), word)
        row["sample"] = compare(expected, got)
        got = search_ids(Complaint.objects.filter(pk__in=sample), word, walk=True)
        row["sample_walked"] = compare(expected, got)  # the match used when walking the queue order
        expected, got = like_ids(word, "dealer_id = %s", [dealer_id]), api_ids(token, word)
        row["api_dealer"] = compare(expected, got)
        row["seconds"] = round(time.monotonic() - started, 1)
        equal = all(row[k]["missing"] == row[k]["extra"] == 0
                    for k in ("full", "sample", "sample_walked", "api_dealer") if k in row)  # fmt: skip
        row["equal"] = equal
        failures += int(required and not equal)
        report.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "verify-search.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print("ALL EQUAL" if not failures else f"{failures} word(s) differ", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
