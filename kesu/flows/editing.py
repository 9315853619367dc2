"""Edits of a complaint and what follows them: a crisis alerted, edited words read again, a new
assignee told; raising a complaint to crisis; an agent's decision on a suggestion."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.complaints import selectors as complaint_selectors
from kesu.complaints import services as complaint_services
from kesu.complaints.choices import Severity
from kesu.complaints.models import Complaint
from kesu.core.errors import Forbidden, stale_version
from kesu.insights import services as insights_services
from kesu.insights.analysis import Analysis
from kesu.insights.choices import COMPLAINT_FIELDS
from kesu.insights.models import Suggestion
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability

from .assignment import tell_assignee
from .crisis import alert_ladder


@transaction.atomic
def update_complaint(
    *,
    actor: User,
    complaint_id: int,
    expected_version: int,
    changes: dict[str, Any],
    note: str = "",
) -> Complaint:
    """Edit fields (409 when ``expected_version`` is stale, never merged), then: severity become
    crisis → the ladder is told; edited customer words → read again (a crisis signal in them
    raises the complaint like one found at intake); a new assignee → told."""
    edit = complaint_services.update_complaint(
        actor=actor, complaint_id=complaint_id, expected_version=expected_version, changes=changes, note=note
    )
    complaint, diff = edit.complaint, edit.diff
    if "assignee_id" in diff:
        tell_assignee(complaint, actor=actor)
    if "severity" in diff and diff["severity"][1] == Severity.CRISIS:
        alert_ladder(complaint, note)
    elif "verbatim" in diff or "facts" in diff:
        result = insights_services.analyse_complaint(complaint)
        insights_services.store_suggestion(complaint, result)
        if result.is_crisis and complaint.severity != Severity.CRISIS:
            apply_crisis(complaint_id=complaint.pk, actor=actor, analysis=result)
            complaint.refresh_from_db()
    return complaint


@transaction.atomic
def apply_crisis(
    *,
    complaint_id: int,
    actor: User,
    analysis: Analysis,
    expected_version: int | None = None,
) -> Complaint:
    """Raise the complaint's severity to crisis because of the signals in ``analysis``.

    An edit like any other: scope (404), capability (403), version (409 when
    ``expected_version`` is stale; when None, the version read here) and a timeline entry whose
    note names the matching words; the edit alerts the ladder. Nothing happens when there is no
    signal or the complaint is already a crisis.
    """
    complaint = complaint_selectors.get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not analysis.is_crisis or complaint.severity == Severity.CRISIS:
        return complaint
    updated = update_complaint(
        actor=actor,
        complaint_id=complaint_id,
        expected_version=complaint.version if expected_version is None else expected_version,
        changes={"severity": Severity.CRISIS},
        note=insights_services.crisis_note(analysis),
    )
    insights_services.mark_crisis(complaint_id)
    return updated


def reanalyse(*, actor: User, complaint_id: int) -> Suggestion:
    """Run the analysis again (after the verbatim changed, or a new model was trained); crisis
    signals now found raise the complaint."""
    complaint = complaint_selectors.get_complaint(actor=actor, complaint_id=complaint_id)
    if not has_capability(actor, Capability.EDIT_COMPLAINT):
        raise Forbidden(_("Your role cannot edit complaints."))
    result = insights_services.analyse_complaint(complaint)
    suggestion = insights_services.store_suggestion(complaint, result)
    if result.is_crisis and complaint.severity != Severity.CRISIS:
        apply_crisis(complaint_id=complaint.pk, actor=actor, analysis=result)
        suggestion.refresh_from_db()
    return suggestion


@transaction.atomic
def decide(
    *,
    actor: User,
    complaint_id: int,
    field: str,
    chosen: str,
    expected_version: int | None = None,
) -> tuple[Suggestion, Complaint]:
    """An agent accepts (``chosen`` = the suggestion) or corrects a suggestion.

    Stored as training data. For category, nature, severity and emotion the complaint record is
    edited too (version-checked, on the timeline); the fault area lives on the suggestion and
    drives recurrence links.
    """
    complaint = complaint_selectors.get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not has_capability(actor, Capability.EDIT_COMPLAINT):
        raise Forbidden(_("Your role cannot edit complaints."))
    chosen = insights_services.check_decision(field, chosen)
    if expected_version is not None and complaint.version != expected_version:
        raise stale_version()
    suggestion = insights_services.current_suggestion(complaint)
    if field in COMPLAINT_FIELDS and getattr(complaint, field) != chosen:
        complaint = update_complaint(
            actor=actor,
            complaint_id=complaint.pk,
            expected_version=complaint.version,
            changes={field: chosen},
            note=insights_services.decision_note(suggestion, field, chosen),
        )
    suggestion = insights_services.record_decision(
        actor=actor, complaint=complaint, suggestion=suggestion, field=field, chosen=chosen
    )
    return suggestion, complaint
