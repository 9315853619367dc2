from django_tasks import task

from . import services


@task()
def notify_overdue_improvements() -> int:
    """Actions past their deadline: the owner and their manager told, once per deadline."""
    return services.notify_overdue()


@task()
def check_improvement_effectiveness() -> int:
    """Actions completed a month ago: did that kind of complaint come back? (computed)."""
    return services.check_effectiveness()
