"""Background tasks owned by core. Later issues add SLA sweeps and notification delivery."""

from django_tasks import task

from kesu.complaints.models import Complaint
from kesu.core.search import document_tokens


@task()
def reindex_complaints(complaint_ids: list[int]) -> int:
    """Recompute search tokens (e.g. after the tokenizer changes); returns how many were done."""
    done = 0
    for complaint in Complaint.objects.filter(pk__in=complaint_ids).only("pk", "verbatim", "facts"):
        tokens = document_tokens(complaint.verbatim, complaint.facts)
        Complaint.objects.filter(pk=complaint.pk).update(search_tokens=tokens)
        done += 1
    return done
