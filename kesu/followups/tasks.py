"""The worker's part: follow-up calls generated from closed complaints and vehicle events, queued
by ``python -m kesu tick``. Idempotent (one follow-up per source and kind) and incremental."""

from django_tasks import task

from kesu.sla.policies import calendar_for
from kesu.sla.services import REVISIT_AFTER_WORKING_DAYS

from . import services


def generate() -> services.Generated:
    """One pass (the task's body, callable directly from tests and the demo)."""
    revisits = services.generate_revisits(
        calendar_of=calendar_for, after_working_days=REVISIT_AFTER_WORKING_DAYS
    )
    read, created = services.generate_from_events(calendar_of=calendar_for)
    return services.Generated(revisits=revisits, after_events=created, events_read=read)


@task()
def generate_followups() -> dict[str, int]:
    """Revisits of newly closed complaints; 3-day calls after service visits; 3- and 7-day calls
    after deliveries."""
    done = generate()
    return {"revisits": done.revisits, "after_events": done.after_events, "events_read": done.events_read}
