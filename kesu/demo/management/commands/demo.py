"""`python -m kesu demo`: load the demo organisations, users and ~200 complaints."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kesu.complaints.models import Complaint
from kesu.demo.appointments import build_appointments
from kesu.demo.builder import build_complaints, build_organizations
from kesu.demo.day import DAY_COMPLAINTS, build_day, summary
from kesu.demo.improvements import build_improvements
from kesu.demo.stories import STORIES, build_stories


class Command(BaseCommand):
    help = "Load demo organisations, users (password KESU_DEMO_PASSWORD) and complaints."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--complaints", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        demo = build_organizations(settings.KESU_DEMO_PASSWORD)
        if Complaint.objects.exists():
            self.stdout.write("Demo complaints already loaded; nothing added.")
        else:
            # seed 003's five cases on D1 are part of the count (stories.py)
            built = build_complaints(demo, max(options["complaints"] - len(STORIES) - DAY_COMPLAINTS, 0))
            self.stdout.write(f"Loaded {built} demo complaints.")
        told = build_stories(demo)  # skipped when already there
        if told:
            numbers = ", ".join(c.number for c in told)
            self.stdout.write(f"Told seed 003's {len(told)} cases on D1: {numbers}")
        self.stdout.write(f"Booked {build_appointments(demo)} demo appointments.")
        self.stdout.write(summary(build_day(demo)))  # agent1's day at D1 (kesu/demo/day.py)
        self.stdout.write(f"Improvement actions and cases: {build_improvements(demo)} actions.")
        self.stdout.write("Demo users (password: KESU_DEMO_PASSWORD, default kesu-demo):")
        for username, user in demo.users.items():
            org = user.organization.name if user.organization else "—"
            self.stdout.write(f"  {username:<10} {user.get_role_display()}  {org}")
