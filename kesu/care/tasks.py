"""The daily care lists, queued by `python -m kesu tick` (it runs on every tick; a run after the
day's first finds only what changed since, so repeating it is cheap)."""

from django_tasks import task

from .services import generate_care_lists


@task()
def generate_daily_care_lists() -> int:
    """Open the care items due today; returns how many were opened."""
    return generate_care_lists().opened
