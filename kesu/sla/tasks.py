from django_tasks import task

from .sweep import sweep


@task()
def sweep_clocks() -> int:
    """Warnings, breaches and escalation steps due now (run by `python -m kesu tick`)."""
    return sweep()
