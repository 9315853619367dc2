"""Changes that write no timeline entry but change a complaint's facts, applied in the same
transaction as the change (see facts.py for everything else)."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from kesu.complaints.models import Complaint
from kesu.customers.models import Vehicle
from kesu.insights.models import Suggestion

from . import facts


@receiver(post_save, sender=Suggestion, dispatch_uid="reports_suggestion_facts")
def _suggestion_saved(sender: Any, instance: Suggestion, **kwargs: Any) -> None:
    facts.refresh_existing([instance.complaint_id])


@receiver(post_save, sender=Vehicle, dispatch_uid="reports_vehicle_facts")
def _vehicle_saved(sender: Any, instance: Vehicle, created: bool, **kwargs: Any) -> None:
    if not created:
        facts.refresh_existing(Complaint.objects.filter(vehicle_id=instance.pk).values_list("pk", flat=True))
