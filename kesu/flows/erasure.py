"""A customer's erasure request (PIPL art. 47): their personal data anonymised everywhere, the
complaints kept for the statistics.

What stays: the customer row (its id), the vehicles' model and mileage, and every complaint with
its dealer, category, nature, severity, status, times and money — so counts per category and
month, SLA figures and the insights read the same before and after. What goes:

- the customer's name, number and notes; the vehicles' plates and VINs;
- the complaints' words (verbatim, facts; their search tokens follow) and attachments (files
  deleted, names replaced);
- every copy of those values in the rows linked to the customer, its vehicles or complaints —
  the timeline (immutable for everyone else), calls, appointments, notifications and outbox
  payloads, follow-ups, care items, letters, options… — found by walking the foreign keys two
  steps out, so a model added later is covered without being named here;
- an exact copy of the number, plate or VIN in any short text column of any table (a call
  logged before the customer existed, a delivery's recipient).

The erasure is logged (``customers.Erasure``: who, why, how many rows per table) and listed on
/manage/privacy/. One transaction: all or nothing.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kesu.complaints.models import Attachment, Complaint
from kesu.core.errors import DomainError, Forbidden, invalid
from kesu.core.privacy import unmasked
from kesu.core.search import document_tokens
from kesu.customers.models import Customer, Erasure, Vehicle
from kesu.customers.services import get_customer
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability

ERASED = "（已删除）"
MASK = "＊＊"
SHORT_TEXT = 32  # identifier columns (numbers, plates, VINs, recipients) are searched by equality
_TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


class AlreadyErased(DomainError):
    status = 409
    code = "already_erased"


@dataclass(frozen=True)
class ErasureResult:
    erasure_id: int
    customer_id: int
    rows: dict[str, int]


def _text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, _TEXT_FIELDS) and not f.choices and not f.primary_key and f.name != "key_hash"
    ]


def _scrub(value: Any, secrets: list[str]) -> Any:
    """``value`` with every secret replaced (strings, and JSON through its text)."""
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, MASK)
        return value
    if value is None or isinstance(value, bool | int | float):
        return value
    text = json.dumps(value, ensure_ascii=False)
    scrubbed = _scrub(text, secrets)
    return value if scrubbed == text else json.loads(scrubbed)


def _kesu_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("kesu.") and not m._meta.proxy]


def _linked(roots: dict[type[models.Model], set[int]], depth: int = 2) -> dict[type[models.Model], set[int]]:
    """Primary keys of every row pointing at ``roots`` (by a foreign key, constrained or not),
    and at those rows in turn, ``depth`` steps out."""
    found: dict[type[models.Model], set[int]] = {model: set(ids) for model, ids in roots.items()}
    frontier = dict(found)
    for _step in range(depth):
        reached: dict[type[models.Model], set[int]] = {}
        for model in _kesu_models():
            condition = Q()
            for field in model._meta.concrete_fields:
                target = field.related_model if isinstance(field, models.ForeignKey) else None
                if target in frontier and frontier[target]:  # type: ignore[comparison-overlap]
                    condition |= Q(**{f"{field.attname}__in": list(frontier[target])})  # type: ignore[index]
            if not condition:
                continue
            ids = set(model._base_manager.filter(condition).values_list("pk", flat=True))
            new = ids - found.get(model, set())
            if new:
                reached[model] = new
                found.setdefault(model, set()).update(new)
        frontier = reached
        if not frontier:
            break
    return found


def _sweep_linked(
    linked: dict[type[models.Model], set[int]], secrets: list[str], rows: dict[str, int]
) -> None:
    for model, ids in linked.items():
        fields = _text_fields(model)
        if not fields or not ids:
            continue
        for row in model._base_manager.filter(pk__in=list(ids)).only("pk", *[f.name for f in fields]):
            changes = {}
            for field in fields:
                before = getattr(row, field.attname)
                after = _scrub(before, secrets)
                if after != before:
                    changes[field.attname] = after
            if changes:  # _base_manager: the timeline's queryset refuses updates to everyone else
                model._base_manager.filter(pk=row.pk).update(**changes)
                rows[model._meta.label] = rows.get(model._meta.label, 0) + 1


def _sweep_identifiers(identifiers: list[str], dealer_id: int, rows: dict[str, int]) -> None:
    """An exact copy of the number, a plate or a VIN in a short text column of any of the
    dealer's rows (another dealer's records of the same person are theirs to erase)."""
    if not identifiers:
        return
    for model in _kesu_models():
        if model in (Customer, Vehicle) or "dealer" not in {f.name for f in model._meta.concrete_fields}:
            continue
        for field in _text_fields(model):
            if not isinstance(field, models.CharField) or (field.max_length or 0) > SHORT_TEXT:
                continue
            matched = model._base_manager.filter(dealer_id=dealer_id, **{f"{field.attname}__in": identifiers})
            changed = matched.update(**{field.attname: "" if field.blank else MASK[: field.max_length]})
            if changed:
                rows[model._meta.label] = rows.get(model._meta.label, 0) + changed


def _secrets(customer: Customer, vehicles: list[Vehicle]) -> tuple[list[str], list[str]]:
    """(every value to mask in text, the identifiers to find whole anywhere)."""
    with unmasked():  # the stored values are what is searched for
        return _stored_secrets(customer, vehicles)


def _stored_secrets(customer: Customer, vehicles: list[Vehicle]) -> tuple[list[str], list[str]]:
    identifiers = [customer.mobile, *(v.plate for v in vehicles), *(v.vin for v in vehicles)]
    identifiers = [value for value in identifiers if value and len(value) >= 5]
    mobile = customer.mobile
    spaced = [f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}", f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"]
    secrets = [*identifiers, *(spaced if len(mobile) == 11 else [])]
    if len(customer.name) >= 2:
        secrets.append(customer.name)
    return sorted(set(secrets), key=len, reverse=True), identifiers  # longest first


@transaction.atomic
def erase_customer(*, actor: User, customer_id: int, reason: str) -> ErasureResult:
    """Anonymise the customer's personal data everywhere; 404 out of scope, 403 without the
    capability, 422 without a reason, 409 when already erased."""
    get_customer(actor=actor, customer_id=customer_id)  # scope first: a stranger gets 404
    if not has_capability(actor, Capability.ERASE_CUSTOMER):
        raise Forbidden(_("Your role cannot erase customers' personal data."))
    reason = reason.strip()
    if not reason:
        raise invalid("reason", _("Say why (the customer's request, its date and channel)."))
    if len(reason) > 200:
        raise invalid("reason", _("At most 200 characters."))
    customer = Customer.objects.select_for_update().get(pk=customer_id)
    if Erasure.objects.filter(customer=customer).exists():
        raise AlreadyErased(_("This customer's personal data has already been erased."))
    vehicles = list(customer.vehicles.all())
    complaint_ids = set(Complaint.objects.filter(customer=customer).values_list("pk", flat=True))
    secrets, identifiers = _secrets(customer, vehicles)
    rows: dict[str, int] = {}

    linked = _linked({Customer: {customer.pk}, Vehicle: {v.pk for v in vehicles}, Complaint: complaint_ids})
    _sweep_linked(linked, secrets, rows)
    _sweep_identifiers(identifiers, customer.dealer_id, rows)

    # the rows themselves, whatever the sweep left
    Customer.objects.filter(pk=customer.pk).update(
        name=ERASED,
        mobile=f"0{customer.pk:010d}"[-11:],  # not a number anyone has; unique per customer
        notes="",
        consent_sms=False,
        consent_calls=False,
        consent_marketing=False,
        version=customer.version + 1,
    )
    Vehicle.objects.filter(customer=customer).update(plate="", vin="")
    words = document_tokens(ERASED, "")
    Complaint.objects.filter(pk__in=complaint_ids).update(verbatim=ERASED, facts="", search_tokens=words)
    for attachment in Attachment.objects.filter(complaint_id__in=complaint_ids):
        attachment.file.delete(save=False)
        Attachment.objects.filter(pk=attachment.pk).update(original_name=ERASED, file="")
    rows["customers.Customer"] = 1
    rows["complaints.Complaint"] = len(complaint_ids)
    erasure = Erasure.objects.create(
        customer=customer, dealer_id=customer.dealer_id, user=actor, reason=reason, rows=rows
    )
    return ErasureResult(erasure_id=erasure.pk, customer_id=customer.pk, rows=rows)
