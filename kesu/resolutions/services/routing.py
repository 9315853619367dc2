"""Each dealer's routing rules: a new complaint's category and fault area → the department that
investigates it (对策单位). Applied at intake when the intake names no department (one cached
lookup), overridable by transferring the complaint (complaints.ownership.transfer).

The most specific rule wins: category and fault area, then the category alone, then the fault
area alone, then the dealer's catch-all (both blank)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.complaints.choices import Category
from kesu.core.caches import ProcessCache
from kesu.core.errors import Forbidden, one_of, raise_if
from kesu.insights.choices import FaultArea
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization, User

from ..models import RoutingRule
from .common import MANAGERS, dealer_in_scope, department_of, is_dealer_role

_RULES: ProcessCache[int, dict[tuple[str, str], int]] = ProcessCache("resolutions.routing_rules", ttl=60)


@dataclass
class RoutingInput:
    category: str  # complaints.Category value, "" for any
    fault_area: str  # insights.FaultArea value, "" for any
    department_id: int


def _rules(dealer_id: int) -> dict[tuple[str, str], int]:
    def load() -> dict[tuple[str, str], int]:
        rows = RoutingRule.objects.filter(dealer_id=dealer_id).values_list(
            "category", "fault_area", "department_id"
        )
        return {(category, fault_area): department for category, fault_area, department in rows}

    return _RULES.get_or_set(dealer_id, load)


def department_for(*, dealer_id: int, category: str, fault_area: str) -> int | None:
    """The department a new complaint of this dealer, category and fault area goes to (None: no
    rule applies). One indexed query per dealer a minute, then the process cache."""
    rules = _rules(dealer_id)
    if not rules:
        return None
    for key in ((category, fault_area), (category, ""), ("", fault_area), ("", "")):
        if key in rules:
            return rules[key]
    return None


def may_keep_rules(actor: User, dealer_id: int) -> bool:
    """The administrator, or the dealer's own service manager or general manager."""
    return is_dealer_role(actor, dealer_id, MANAGERS)


def rules_of(*, actor: User, dealer_id: int) -> list[RoutingRule]:
    """The dealer's rules (404 for a dealer outside the actor's scope)."""
    dealer = dealer_in_scope(actor, dealer_id)
    return list(RoutingRule.objects.filter(dealer=dealer).select_related("department"))


def departments(dealer_id: int) -> list[Organization]:
    return list(Organization.objects.filter(kind=OrgKind.DEPARTMENT, parent_id=dealer_id).order_by("code"))


@transaction.atomic
def set_rules(*, actor: User, dealer_id: int, rules: Sequence[RoutingInput]) -> list[RoutingRule]:
    """Replace the dealer's routing rules (all or nothing; errors name ``rules[i].…``)."""
    dealer = dealer_in_scope(actor, dealer_id)
    if not may_keep_rules(actor, dealer.pk):
        raise Forbidden(_("Only the dealer's service manager or general manager sets its routing rules."))
    errors: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    for index, rule in enumerate(rules):
        where = f"rules[{index}]"
        if rule.category and rule.category not in Category.values:
            errors[f"{where}.category"] = one_of(Category.values, or_empty=True)
        if rule.fault_area and rule.fault_area not in FaultArea.values:
            errors[f"{where}.fault_area"] = one_of(FaultArea.values, or_empty=True)
        key = (rule.category, rule.fault_area)
        if key in seen:
            errors[f"{where}.category"] = _("A second rule for the same category and fault area.")
        seen.add(key)
        if department_of(dealer.pk, rule.department_id) is None:
            errors[f"{where}.department_id"] = _("Choose a department of this dealer.")
    raise_if(errors)
    RoutingRule.objects.filter(dealer=dealer).delete()
    RoutingRule.objects.bulk_create(
        [
            RoutingRule(
                dealer=dealer,
                category=rule.category,
                fault_area=rule.fault_area,
                department_id=rule.department_id,
                updated_by=actor,
            )
            for rule in rules
        ]
    )
    _RULES.pop(dealer.pk)
    transaction.on_commit(lambda: _RULES.pop(dealer.pk))
    return rules_of(actor=actor, dealer_id=dealer.pk)
