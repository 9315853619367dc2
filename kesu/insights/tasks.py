"""Background work of the insights app (Django's tasks API through django-tasks)."""

from django_tasks import task

from .recurrence import link_pending
from .training import train_for_organization


@task()
def train_classifier(organization_id: int) -> dict[str, object]:
    """Train, evaluate and store one organisation's classifier; returns the summary."""
    record = train_for_organization(organization_id=organization_id)
    return {
        "model_id": record.pk,
        "version": record.version,
        "examples": record.examples,
        "metrics": record.metrics,
        "seconds": record.seconds,
    }


@task()
def link_new_complaints() -> int:
    """Recurrence links and near-duplicate index of newly registered complaints (queued by the tick)."""
    return link_pending()
