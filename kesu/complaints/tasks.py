"""Background tasks of the complaints app (the SLA sweep, delivery and linking are the sla,
notifications and insights apps' tasks, queued by ``python -m kesu tick``)."""

from django_tasks import task

from kesu.core.search import document_tokens

from .models import Complaint


@task()
def reindex_complaints(complaint_ids: list[int]) -> int:
    """Recompute search tokens (e.g. after the tokenizer changes); returns how many were done."""
    done = 0
    for complaint in Complaint.objects.filter(pk__in=complaint_ids).only("pk", "verbatim", "facts"):
        tokens = document_tokens(complaint.verbatim, complaint.facts)
        Complaint.objects.filter(pk=complaint.pk).update(search_tokens=tokens)
        done += 1
    return done
