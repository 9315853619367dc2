"""``python -m kesu report-facts [--rebuild]``: bring the dashboard's fact rows up to date.

Without ``--rebuild`` it catches up from the timeline (what every dashboard read does first);
``--rebuild`` rewrites every complaint's row — after a bulk load that wrote complaints without
the services (bench/generate.py), or to check the facts against the complaints."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from kesu.reports import facts


class Command(BaseCommand):
    help = "Catch the reports' fact rows up with the complaints (--rebuild: all of them anew)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rebuild", action="store_true", help="rewrite every complaint's row")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        written = facts.rebuild() if options["rebuild"] else facts.catch_up()
        self.stdout.write(f"{written} fact rows written in {time.perf_counter() - started:.1f} s")
