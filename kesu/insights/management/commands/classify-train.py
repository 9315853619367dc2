"""`python -m kesu classify-train [--org CODE ...]`: train organisations' classifiers now.

Without --org: every manufacturer. With --queue: hand the work to the background worker.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kesu.core.errors import DomainError
from kesu.insights.tasks import train_classifier
from kesu.insights.training import train_for_organization
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization


class Command(BaseCommand):
    help = "Train the complaint classifier on each organisation's own labelled complaints."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", action="append", default=[], help="organisation code")
        parser.add_argument("--queue", action="store_true", help="enqueue instead of training now")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["org"]:
            organizations = list(Organization.objects.filter(code__in=options["org"]))
            missing = set(options["org"]) - {o.code for o in organizations}
            if missing:
                raise CommandError(f"no organisation with code {', '.join(sorted(missing))}")
        else:
            organizations = list(Organization.objects.filter(kind=OrgKind.MANUFACTURER))
        for organization in organizations:
            if options["queue"]:
                result = train_classifier.enqueue(organization.pk)
                self.stdout.write(f"{organization.code}: queued {result.id}")
                continue
            try:
                record = train_for_organization(organization_id=organization.pk)
            except DomainError as exc:
                self.stdout.write(f"{organization.code}: skipped — {exc.message}")
                continue
            self.stdout.write(
                f"{organization.code}: model {record.version}, {record.examples}, "
                f"{record.seconds:.1f} s, metrics {record.metrics} → {record.path}"
            )
