"""Merging two records of one person: a manager folds the duplicate into the customer kept.

The duplicate's complaints, vehicles, phone reveals, change log and any other record pointing at
it move to the kept customer in one transaction, with both customers and the moved complaints
locked (FOR UPDATE, in id order) so that two merges never interleave; each moved complaint gets
a timeline entry naming from and to; a ``CustomerMerge`` row lists what moved (ids); then the
duplicate is deleted.
"""

from typing import Any

from django.db import transaction
from django.db.models import ForeignObjectRel, Q
from django.utils.translation import gettext as _

from kesu.complaints import events
from kesu.complaints.choices import EventKind
from kesu.complaints.models import Complaint
from kesu.core.errors import DomainError, Forbidden, NotFound, invalid
from kesu.customers.models import Customer, CustomerMerge, Vehicle
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability


class AlreadyMerged(DomainError):
    status = 409
    code = "already_merged"


def _label(customer: Customer) -> str:
    return f"{customer.name} {customer.mobile_masked} (#{customer.pk})"


def _merge_target(actor: User, customer_id: int, other_id: int) -> tuple[Customer, Customer]:
    """Both customers, visible to the actor and locked; the errors a merge can meet."""
    visible = Customer.objects.visible_to(actor)
    if not visible.filter(pk=customer_id).exists():
        raise NotFound(_("No such customer."))
    if customer_id == other_id:
        raise invalid("other_id", _("A customer cannot be merged into itself."))
    if not visible.filter(pk=other_id).exists():
        merged = CustomerMerge.objects.filter(merged_id=other_id, kept__in=visible).first()
        if merged is not None:
            message = _("Customer #%(other)s was already merged into #%(kept)s.") % {
                "other": other_id,
                "kept": merged.kept_id,
            }
            raise AlreadyMerged(message, fields={"other_id": message}, details={"kept_id": merged.kept_id})
        raise NotFound(_("No such customer."))
    locked = {
        c.pk: c
        for c in Customer.objects.select_for_update().filter(pk__in=[customer_id, other_id]).order_by("pk")
    }
    if len(locked) < 2:  # merged away by someone else between the check and the lock
        raise NotFound(_("No such customer."))
    kept, other = locked[customer_id], locked[other_id]
    if kept.dealer_id != other.dealer_id:
        raise invalid("other_id", _("Only customers of the same dealer can be merged."))
    return kept, other


@transaction.atomic
def merge_customers(*, actor: User, customer_id: int, other_id: int) -> CustomerMerge:
    """Fold customer ``other_id`` into ``customer_id`` (kept): 404 when either is out of the
    actor's scope or absent, 403 without the capability (service manager, general manager,
    admin), 422 for itself or another dealer's customer, 409 ``already_merged``."""
    if not has_capability(actor, Capability.MERGE_CUSTOMERS):
        if not Customer.objects.visible_to(actor).filter(pk=customer_id).exists():
            raise NotFound(_("No such customer."))  # what the actor cannot see stays unseen
        raise Forbidden(_("Your role cannot merge customers."))
    kept, other = _merge_target(actor, customer_id, other_id)
    moved: dict[str, Any] = {}

    complaints = list(
        Complaint.objects.select_for_update()
        .filter(customer_id=other.pk)
        .order_by("pk")
        .only("pk", "vehicle_id")
    )
    moved["complaints"] = [c.pk for c in complaints]

    # vehicles: the same car twice (VIN or plate) is folded into the kept one's record
    kept_vehicles = list(Vehicle.objects.select_for_update().filter(customer=kept))
    moved_vehicles: list[int] = []
    folded: dict[str, int] = {}
    for vehicle in Vehicle.objects.select_for_update().filter(customer=other).order_by("pk"):
        same = next(
            (
                v
                for v in kept_vehicles
                if (vehicle.vin and v.vin == vehicle.vin) or (vehicle.plate and v.plate == vehicle.plate)
            ),
            None,
        )
        if same is None:
            moved_vehicles.append(vehicle.pk)
        else:
            Complaint.objects.filter(vehicle_id=vehicle.pk).update(vehicle_id=same.pk)
            folded[str(vehicle.pk)] = same.pk
    Vehicle.objects.filter(pk__in=moved_vehicles).update(customer=kept)
    moved["vehicles"] = moved_vehicles
    if folded:
        moved["vehicles_folded"] = folded  # duplicate vehicle id → the kept vehicle's id
        Vehicle.objects.filter(pk__in=[int(pk) for pk in folded]).delete()

    Complaint.objects.filter(pk__in=moved["complaints"]).update(customer_id=kept.pk)
    note = _("Customer %(from)s merged into %(to)s by %(actor)s.") % {
        "from": _label(other),
        "to": _label(kept),
        "actor": actor,
    }
    for complaint in Complaint.objects.filter(pk__in=moved["complaints"]).order_by("pk"):
        events.record(
            complaint,
            actor,
            EventKind.EDITED,
            note=note,
            changes={"customer": [_label(other), _label(kept)]},
        )

    # everything else that points at a customer (reveals, change log, merges, later apps' rows)
    # (hidden relations too: apps that keep a customer without a reverse name, related_name="+")
    relations = [
        f
        for f in Customer._meta.get_fields(include_hidden=True)
        if isinstance(f, ForeignObjectRel) and not f.many_to_many
    ]
    for relation in relations:
        model = relation.related_model
        if model is None or model in (Complaint, Vehicle) or not relation.field.concrete:
            continue
        name = relation.field.name
        rows = model._base_manager.filter(Q(**{name: other.pk}))
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            model._base_manager.filter(pk__in=ids).update(**{name: kept.pk})
            moved[model._meta.label_lower] = ids

    kept.is_vip = kept.is_vip or other.is_vip
    if other.notes and other.notes not in kept.notes:
        kept.notes = "\n".join(filter(None, [kept.notes, other.notes]))[:5000]
    kept.version += 1
    kept.save(update_fields=["is_vip", "notes", "version"])
    log = CustomerMerge.objects.create(
        dealer_id=kept.dealer_id,
        kept=kept,
        merged_id=other.pk,
        merged_name=other.name,
        merged_mobile_masked=other.mobile_masked,
        actor=actor,
        moved=moved,
    )
    other.delete()
    return log
