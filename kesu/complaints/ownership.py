"""Who owns a complaint: each dealer's assignment rules, the pick at intake, reassigning with a
reason, and transferring to another responsible department.

A leaf like ``services``: it knows the complaint, its timeline and the organisations. Telling the
new assignee (the outbox) is composed in ``kesu.flows.assignment``.

The pick at intake, in order:

1. a rule of the dealer for the complaint's category, then one for its channel, naming a person
   who still works there, is active and handles complaints;
2. otherwise the dealer's active desk agent (role agent) with the fewest open complaints — ties
   go to the longest-standing account (lowest id);
3. a dealer with no active agent: its service manager, then its general manager, the same way.

One query in the usual case — the agents' open complaints counted by an index-only scan of
``complaint_assignee`` — plus the dealer's rules, kept in a process cache for a minute.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, FilteredRelation, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.core.caches import ProcessCache
from kesu.core.errors import Forbidden, NotFound, raise_if
from kesu.core.validators import too_long
from kesu.organizations.choices import DEALER_ROLES, OrgKind, Role
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import scope_for, user_dealer_id

from . import events
from .choices import OPEN_STATES, Category, Channel, RuleField
from .models import AssignmentRule, Complaint, TimelineEntry
from .selectors import get_complaint
from .services import bump_version

# The roles a complaint can be given to: the dealer's own people.
HANDLER_ROLES = DEALER_ROLES
# Who sets a dealer's rules (besides the administrator).
RULE_KEEPERS = frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER})
MAX_REASON = 2000

_RULES: ProcessCache[int, dict[tuple[str, str], int]] = ProcessCache("complaints.assignment_rules", ttl=60)


class Basis(StrEnum):
    """Why a complaint went to its assignee (the timeline entry's ``action``)."""

    CATEGORY_RULE = "rule_category"
    CHANNEL_RULE = "rule_channel"
    LEAST_OPEN = "least_open"
    NO_AGENT = "no_agent"
    AT_INTAKE = "chosen_at_intake"
    REASSIGNED = "reassigned"


BASIS_LABELS = {
    Basis.CATEGORY_RULE: gettext_lazy("the dealer's rule for this category"),
    Basis.CHANNEL_RULE: gettext_lazy("the dealer's rule for this channel"),
    Basis.LEAST_OPEN: gettext_lazy("fewest open complaints among the desk's agents"),
    Basis.NO_AGENT: gettext_lazy("no active desk agent: the dealer's manager"),
    Basis.AT_INTAKE: gettext_lazy("chosen at intake"),
    Basis.REASSIGNED: gettext_lazy("reassigned"),
}


def display_name(user: User | None) -> str:
    return str(user) if user is not None else ""


def _name_of(user_id: int | None) -> str:
    if user_id is None:
        return ""
    return display_name(User.objects.filter(pk=user_id).only("display_name", "username").first())


# --- the pick at intake -------------------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    user_id: int
    name: str
    basis: Basis
    open_count: int | None  # None: named by a rule, not counted


def _dealer_rules(dealer_id: int) -> dict[tuple[str, str], int]:
    def load() -> dict[tuple[str, str], int]:
        rows = AssignmentRule.objects.filter(dealer_id=dealer_id).values_list("field", "value", "assignee_id")
        return {(field, value): assignee_id for field, value, assignee_id in rows}

    return _RULES.get_or_set(dealer_id, load)


def _dealer_people(dealer_id: int) -> QuerySet[User]:
    """Active users working at the dealer or one of its departments."""
    return User.objects.filter(is_active=True).filter(
        Q(organization_id=dealer_id)
        | Q(organization__parent_id=dealer_id, organization__kind=OrgKind.DEPARTMENT)
    )


def _with_open_counts(people: QuerySet[User]) -> Any:  # QuerySet[User] with ``open_count``
    """Each person's number of open complaints (0 for none): a LEFT JOIN whose condition holds
    the status, so only open complaints are read, through the ``complaint_assignee`` index."""
    return people.annotate(
        open_ones=FilteredRelation(
            "assigned_complaints", condition=Q(assigned_complaints__status__in=sorted(OPEN_STATES))
        )
    ).annotate(open_count=Count("open_ones__status"))  # a column of the index: an index-only scan


def pick_assignee(*, dealer_id: int, channel: str, category: str) -> Pick | None:
    """Who a new complaint of this dealer, channel and category goes to (None: the dealer has
    nobody who could take it). Usually one query: the rule's person if the dealer has a rule
    for it, else the agents with their open counts (a manager only for a dealer without one)."""
    rules = _dealer_rules(dealer_id)
    ruled, rule_basis = None, Basis.LEAST_OPEN
    if category and (RuleField.CATEGORY, category) in rules:
        ruled, rule_basis = rules[(RuleField.CATEGORY, category)], Basis.CATEGORY_RULE
    elif (RuleField.CHANNEL, channel) in rules:
        ruled, rule_basis = rules[(RuleField.CHANNEL, channel)], Basis.CHANNEL_RULE
    if ruled is not None:  # still working here and handling complaints? (else: the default)
        named = (
            _dealer_people(dealer_id)
            .filter(pk=ruled, role__in=HANDLER_ROLES)
            .values_list("pk", "display_name", "username")
            .first()
        )
        if named is not None:
            return Pick(user_id=named[0], name=named[1] or named[2], basis=rule_basis, open_count=None)
    # Only the tier that answers is counted: the desk's agents, or (none active) the managers.
    for role, basis in (
        (Role.AGENT, Basis.LEAST_OPEN),
        (Role.SERVICE_MANAGER, Basis.NO_AGENT),
        (Role.GENERAL_MANAGER, Basis.NO_AGENT),
    ):
        row = (
            _with_open_counts(_dealer_people(dealer_id).filter(role=role))
            .order_by("open_count", "pk")
            .values_list("pk", "display_name", "username", "open_count")
            .first()
        )
        if row is not None:
            return Pick(user_id=row[0], name=row[1] or row[2], basis=basis, open_count=row[3])
    return None


def intake_assignment(complaint: Complaint, actor: User) -> TimelineEntry | None:
    """Give a built, unsaved complaint its assignee (unless the intake named one) and return the
    timeline entry that says who and by which rule, unsaved, to be written with the complaint —
    or None when the dealer has nobody to give it to."""
    if complaint.assignee_id is not None:
        pick = Pick(complaint.assignee_id, _name_of(complaint.assignee_id), Basis.AT_INTAKE, None)
    else:
        found = pick_assignee(
            dealer_id=complaint.dealer_id, channel=complaint.channel, category=complaint.category
        )
        if found is None:
            return None
        pick = found
        complaint.assignee_id = pick.user_id
    note = _("Assigned to %(name)s: %(basis)s.") % {"name": pick.name, "basis": BASIS_LABELS[pick.basis]}
    return events.assigned_entry(
        complaint, actor, before_id=None, after_id=pick.user_id, basis=pick.basis, note=note
    )


# --- who can take a complaint -------------------------------------------------------------------


def handlers(dealer_id: int) -> list[User]:
    """The dealer's active people who can take a complaint, desk agents first, each with
    ``open_count`` (what the reassign control offers)."""
    order = Case(
        When(role=Role.AGENT, then=Value(0)),
        When(role=Role.DEPARTMENT_STAFF, then=Value(1)),
        When(role=Role.SERVICE_MANAGER, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    people = _dealer_people(dealer_id).filter(role__in=HANDLER_ROLES).select_related("organization")
    return list(_with_open_counts(people).order_by(order, "display_name", "username"))


def departments(dealer_id: int) -> list[Organization]:
    return list(Organization.objects.filter(kind=OrgKind.DEPARTMENT, parent_id=dealer_id).order_by("code"))


def person_problem(person: User | None, dealer_id: int) -> str | None:
    """Why ``person`` cannot own a complaint of ``dealer_id`` (None: they can)."""
    if person is None:
        return _("No such person.")
    if not person.is_active:
        return _("%(name)s's account is deactivated: choose someone who works here now.") % {
            "name": display_name(person)
        }
    if person.role not in HANDLER_ROLES:
        return _("%(name)s is a %(role)s, a role that does not handle a dealer's complaints.") % {
            "name": display_name(person),
            "role": person.get_role_display(),
        }
    org = person.organization
    dealer = org.dealer if org else None
    if dealer is None or dealer.pk != dealer_id:
        return _("Choose a person who works for this complaint's dealer.")
    return None


def _reason_problem(reason: str) -> str | None:
    if not reason:
        return _("Say why.")
    if len(reason) > MAX_REASON:
        return too_long(MAX_REASON)
    return None


# --- reassigning and transferring ---------------------------------------------------------------


@dataclass
class Reassignment:
    complaint: Complaint
    previous_id: int | None
    reason: str


@transaction.atomic
def reassign(
    *,
    actor: User,
    complaint_id: int,
    assignee_id: int | None,
    reason: str,
    expected_version: int | None = None,
) -> Reassignment:
    """Give the complaint to another person of its dealer, saying why: 404 out of scope, 403 a
    role that cannot edit complaints, 422 naming ``assignee_id`` or ``reason``, 409 when
    ``expected_version`` is stale. Written with its timeline entry, or not at all."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not has_capability(actor, Capability.EDIT_COMPLAINT):
        raise Forbidden(_("Your role cannot reassign complaints."))
    errors: dict[str, str] = {}
    person = None
    if assignee_id is None:
        errors["assignee_id"] = _("Choose the person to give the complaint to.")
    else:
        person = User.objects.select_related("organization__parent").filter(pk=assignee_id).first()
        problem = person_problem(person, complaint.dealer_id)
        if problem:
            errors["assignee_id"] = problem
        elif complaint.assignee_id == assignee_id:
            errors["assignee_id"] = _("%(name)s owns this complaint already.") % {
                "name": display_name(person)
            }
    reason = (reason or "").strip()
    problem = _reason_problem(reason)
    if problem:
        errors["reason"] = problem
    raise_if(errors)
    assert person is not None
    previous_id = complaint.assignee_id
    bump_version(complaint, expected_version, assignee_id=person.pk)
    events.record_assignment(
        complaint, actor, before_id=previous_id, after_id=person.pk, basis=Basis.REASSIGNED, note=reason
    )
    return Reassignment(complaint, previous_id, reason)


@dataclass
class Transfer:
    complaint: Complaint
    department: Organization
    reason: str


@transaction.atomic
def transfer(
    *,
    actor: User,
    complaint_id: int,
    department_id: int | None,
    reason: str,
    expected_version: int | None = None,
) -> Transfer:
    """Make another department of the dealer responsible, saying why (the owner stays): the
    same answers as :func:`reassign`, naming ``department_id`` or ``reason``."""
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not has_capability(actor, Capability.EDIT_COMPLAINT):
        raise Forbidden(_("Your role cannot transfer complaints."))
    errors: dict[str, str] = {}
    department = None
    if department_id is None:
        errors["department_id"] = _("Choose the department to transfer the complaint to.")
    else:
        department = Organization.objects.filter(
            pk=department_id, kind=OrgKind.DEPARTMENT, parent_id=complaint.dealer_id
        ).first()
        if department is None:
            errors["department_id"] = _("Choose a department of this complaint's dealer.")
        elif complaint.department_id == department.pk:
            errors["department_id"] = _("The complaint is with %(name)s already.") % {"name": department.name}
    reason = (reason or "").strip()
    problem = _reason_problem(reason)
    if problem:
        errors["reason"] = problem
    raise_if(errors)
    assert department is not None
    previous = complaint.department_id
    bump_version(complaint, expected_version, department_id=department.pk)
    events.record_transfer(complaint, actor, before_id=previous, after_id=department.pk, reason=reason)
    return Transfer(complaint, department, reason)


# --- the dealer's rules -------------------------------------------------------------------------


@dataclass
class RuleInput:
    field: str
    value: str
    assignee_id: int


def _dealer_in_scope(actor: User, dealer_id: int) -> Organization:
    scope = scope_for(actor)
    dealer = Organization.objects.filter(pk=dealer_id, kind=OrgKind.DEALER).first()
    if dealer is None or not (scope.everything or dealer.pk in scope.dealer_ids):
        raise NotFound(_("No such dealer."))
    return dealer


def may_keep_rules(actor: User, dealer_id: int) -> bool:
    """The administrator, or the dealer's own service manager or general manager."""
    if actor.is_kesu_admin:
        return True
    return actor.is_active and actor.role in RULE_KEEPERS and user_dealer_id(actor) == dealer_id


def rules_of(*, actor: User, dealer_id: int) -> list[AssignmentRule]:
    """The dealer's rules (404 for a dealer outside the actor's scope)."""
    dealer = _dealer_in_scope(actor, dealer_id)
    return list(AssignmentRule.objects.filter(dealer=dealer).select_related("assignee"))


_VALUES = {RuleField.CHANNEL: Channel, RuleField.CATEGORY: Category}


@transaction.atomic
def set_rules(*, actor: User, dealer_id: int, rules: Sequence[RuleInput]) -> list[AssignmentRule]:
    """Replace the dealer's rules with ``rules`` (all or nothing; errors name ``rules[i].…``).
    An empty list leaves the default: fewest open complaints among the desk's agents."""
    dealer = _dealer_in_scope(actor, dealer_id)
    if not may_keep_rules(actor, dealer.pk):
        raise Forbidden(_("Only the dealer's service manager or general manager sets its assignment rules."))
    errors: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    people = {
        user.pk: user
        for user in User.objects.select_related("organization__parent").filter(
            pk__in=[rule.assignee_id for rule in rules]
        )
    }
    for index, rule in enumerate(rules):
        where = f"rules[{index}]"
        values = _VALUES.get(RuleField(rule.field)) if rule.field in RuleField.values else None
        if values is None:
            errors[f"{where}.field"] = _("One of: %(allowed)s.") % {"allowed": ", ".join(RuleField.values)}
        elif rule.value not in values.values:
            errors[f"{where}.value"] = _("One of: %(allowed)s.") % {"allowed": ", ".join(values.values)}
        elif (rule.field, rule.value) in seen:
            errors[f"{where}.value"] = _("A second rule for the same %(field)s.") % {
                "field": RuleField(rule.field).label
            }
        seen.add((rule.field, rule.value))
        problem = person_problem(people.get(rule.assignee_id), dealer.pk)
        if problem:
            errors[f"{where}.assignee_id"] = problem
    raise_if(errors)
    AssignmentRule.objects.filter(dealer=dealer).delete()
    AssignmentRule.objects.bulk_create(
        [
            AssignmentRule(
                dealer=dealer,
                field=rule.field,
                value=rule.value,
                assignee_id=rule.assignee_id,
                updated_by=actor,
            )
            for rule in rules
        ]
    )
    transaction.on_commit(lambda: _RULES.pop(dealer.pk))
    _RULES.pop(dealer.pk)
    return list(AssignmentRule.objects.filter(dealer=dealer).select_related("assignee"))
