"""Time the DMS import (:mod:`kesu.customers.importing`) of a 10,000-customer file.

    DATABASE_URL=$PG/kesu_bench .venv/bin/python -m bench.import_bench [--rows 10000] [--runs 3] \
        [--format xlsx]

Builds a DMS export in memory (openpyxl for XLSX, the csv module for CSV; Chinese headers, one
vehicle per customer, every column filled), then, as the general manager of the first dealer,
times the preview (``check_file``) and the import (``import_file``: the checks again, then
bulk_create in one transaction), and afterwards deletes what it imported (customers, vehicles,
the CustomerImport row) so the bench database stays as it was. Reported, never judged.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import time
from datetime import date


def build_file(rows: int, fmt: str) -> bytes:
    from kesu.core.validators import with_check_digit

    headers = ["客户姓名", "手机", "车牌号", "车架号", "车型", "购车日期", "里程", "最近保养日期"]
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"

    def row(n: int) -> list[object]:
        plate = f"藏{letters[n // 100000 % 23]}{letters[n // 10000 % 23]}{n % 10000:04d}"
        return [
            f"测试客户{n}",
            f"1660{n:07d}",
            plate,
            with_check_digit(f"LBENCH0X{n:09d}"),
            "轩逸 2023款",
            date(2022, 1 + n % 12, 1 + n % 28),
            10000 + n,
            "2025-06-01",
        ]

    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(headers)
        for n in range(rows):
            sheet.append(row(n))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(row(n) for n in range(rows))
    return text.getvalue().encode("utf-8-sig")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()
    from kesu.customers import importing
    from kesu.customers.models import Customer, CustomerImport, Vehicle
    from kesu.organizations.models import User

    gm = User.objects.filter(role="general_manager", is_active=True).order_by("pk").first()
    assert gm is not None, "no general manager in this database"
    data = build_file(args.rows, args.format)
    print(f"file: {args.rows} rows, {args.format}, {len(data) / 1e6:.1f} MB; importing as {gm.username}")
    with open("/proc/loadavg") as handle:
        print("load before:", handle.read().strip())
    checks, imports = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        report = importing.check_file(
            actor=gm, dealer_id=None, handle=io.BytesIO(data), name=f"dms.{args.format}", size=len(data)
        )
        checks.append(time.perf_counter() - started)
        assert report.clean, report.errors[:5]
        last_pk = Customer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        started = time.perf_counter()
        report = importing.import_file(
            actor=gm, dealer_id=None, handle=io.BytesIO(data), name=f"dms.{args.format}", size=len(data)
        )
        imports.append(time.perf_counter() - started)
        assert report.imported and report.customers_created == args.rows, report
        print(
            f"preview {checks[-1]:.1f} s, import {imports[-1]:.1f} s ({report.customers_created} customers)"
        )
        created = Customer.objects.filter(dealer_id=report_dealer(gm), pk__gt=last_pk)
        Vehicle.objects.filter(customer__in=created).delete()
        created.delete()
        CustomerImport.objects.filter(user=gm).delete()
    print(
        f"{args.rows} rows {args.format}: preview median {statistics.median(checks):.1f} s, "
        f"import median {statistics.median(imports):.1f} s (max {max(imports):.1f} s)"
    )
    with open("/proc/loadavg") as handle:
        print("load after:", handle.read().strip())


def report_dealer(user: object) -> int | None:
    from kesu.organizations.scope import user_dealer_id

    return user_dealer_id(user)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
