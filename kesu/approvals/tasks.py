from django_tasks import task

from . import services


@task()
def escalate_overdue_approvals() -> int:
    """Approval steps past their working day: the rung above told, once (`python -m kesu tick`)."""
    return services.escalate_overdue()
