from django_tasks import task

from .delivery import deliver_due


@task()
def deliver_outbox(limit: int = 500) -> int:
    return deliver_due(limit)
