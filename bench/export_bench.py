"""Time the streamed XLSX/CSV export (:mod:`kesu.exports.services`) and show its memory is flat.

    DATABASE_URL=$PG/kesu_bench .venv/bin/python -m bench.export_bench \
        [--sizes 10000 100000] [--runs 3] [--format xlsx] [--user admin]

Each run is a fresh process (peak RSS only grows within a process) that exports the first N
rows of the user's work queue (every status, the queue's order) exactly as
``GET /api/v1/complaints/export`` does — the scoped queryset of ``kesu.complaints.queries``,
``services.start_export`` (an ExportLog row), ``services.stream`` consumed chunk by chunk into
/dev/null — and prints the wall time, the rows written (read back from the ExportLog), the
file's size and the process's peak RSS before and after the export. The figures are reported,
never judged.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_run(rows: int, fmt: str, username: str) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()
    from kesu.complaints import queries
    from kesu.exports import services
    from kesu.exports.choices import ExportFormat, ExportList
    from kesu.exports.models import ExportLog
    from kesu.organizations.models import User

    user = (
        User.objects.get(username=username)
        if username != "admin"
        else User.objects.filter(role="admin").first()
    )
    assert user is not None, "no such user"
    filters = queries.ComplaintFilters()
    queryset = queries.queue_for(user, filters)[:rows]
    list(User.objects.all()[:1])  # connection and imports warm before the baseline
    before = _rss_mb()
    started = time.perf_counter()
    log, masking = services.start_export(
        actor=user, list_name=ExportList.COMPLAINTS, fmt=ExportFormat(fmt), params={"bench": rows}
    )
    size = 0
    for chunk in services.stream(log, services.complaint_table(queryset, masking)):
        size += len(chunk)
    seconds = time.perf_counter() - started
    log = ExportLog.objects.get(pk=log.pk)
    ExportLog.objects.filter(pk=log.pk).delete()  # leave the bench database as it was
    return {
        "rows": log.row_count,
        "format": fmt,
        "seconds": round(seconds, 2),
        "bytes": size,
        "rss_before_mb": round(before, 1),
        "rss_peak_mb": round(_rss_mb(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process's run
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.one, args.format, args.user)))
        return
    with open("/proc/loadavg") as handle:
        print("load before:", handle.read().strip())
    for size in args.sizes:
        results = []
        for _ in range(args.runs):
            command = [
                sys.executable,
                "-m",
                "bench.export_bench",
                "--one",
                str(size),
                "--format",
                args.format,
            ]
            output = subprocess.run(
                command + ["--user", args.user], check=True, capture_output=True, text=True
            )
            results.append(json.loads(output.stdout.strip().splitlines()[-1]))
            print(json.dumps(results[-1]), flush=True)
        times = [float(r["seconds"]) for r in results]  # type: ignore[arg-type]
        peaks = [float(r["rss_peak_mb"]) for r in results]  # type: ignore[arg-type]
        print(
            f"{size:>8} rows {args.format}: median {statistics.median(times):.1f} s, max {max(times):.1f} s; "
            f"peak RSS median {statistics.median(peaks):.0f} MB (before the export "
            f"{statistics.median(float(r['rss_before_mb']) for r in results):.0f} MB)"  # type: ignore[arg-type]
        )
    with open("/proc/loadavg") as handle:
        print("load after:", handle.read().strip())


if __name__ == "__main__":
    main()
