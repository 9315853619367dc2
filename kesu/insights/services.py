"""Insights rules: analyse, store suggestions, accept or correct them, raise a crisis.

Keyword-only arguments and an explicit actor, as everywhere; complaint edits go through
``kesu.complaints.services.update_complaint`` so scope, capability, version and the timeline
hold exactly as for an edit by hand.
"""

import hashlib
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import services as complaint_services
from kesu.complaints.choices import Category, Emotion, Nature, Severity
from kesu.complaints.models import Complaint
from kesu.core.errors import Forbidden, InvalidInput, StaleVersion
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability

from . import training
from .analysis import Analysis, analyse
from .choices import COMPLAINT_FIELDS, FaultArea, SignalKind, SuggestionField
from .models import ClassificationFeedback, Suggestion

log = logging.getLogger(__name__)

ALLOWED: dict[str, list[str]] = {
    SuggestionField.CATEGORY: list(Category.values),
    SuggestionField.FAULT_AREA: ["", *FaultArea.values],
    SuggestionField.NATURE: list(Nature.values),
    SuggestionField.SEVERITY: list(Severity.values),
    SuggestionField.EMOTION: list(Emotion.values),
}


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


# --- analysing ----------------------------------------------------------------------------------


def analyse_text(*, actor: User | None, text: object, organization_id: int | None = None) -> Analysis:
    """The analysis of any text, with the model of ``organization_id`` (else of the actor's
    organisation) when one has been trained, else the rules."""
    model = (
        training.model_for_organization(organization_id)
        if organization_id is not None
        else training.model_for_user(actor)
    )
    return analyse(text, model=model)


def analyse_complaint(complaint: Complaint) -> Analysis:
    return analyse(complaint.verbatim, model=training.model_for_organization(complaint.dealer_id))


def store_suggestion(complaint: Complaint, result: Analysis) -> Suggestion:
    """Save the analysis as the complaint's suggestion; what agents decided stays decided. (A new
    complaint's first suggestion is written with it: ``hooks.intake_suggestion``.)"""
    suggestion = Suggestion.objects.filter(complaint=complaint).first() or Suggestion(complaint=complaint)
    fill_suggestion(suggestion, result)
    suggestion.save()
    return suggestion


def fill_suggestion(
    suggestion: Suggestion, result: Analysis, *, links_pending: bool | None = None
) -> Suggestion:
    """Copy the analysis onto ``suggestion`` without saving it; a fault area an agent chose stays."""
    complaint = suggestion.complaint
    if links_pending is not None:
        suggestion.links_pending = links_pending
    for name in ("category", "fault_area", "nature", "severity", "emotion"):
        top = result.top(name)
        if name == "fault_area" and name in suggestion.decisions:
            continue  # the agent's fault area drives recurrence; keep it
        setattr(suggestion, name, top.value if top else "")
        setattr(suggestion, f"{name}_confidence", top.confidence if top else 0.0)
    suggestion.is_crisis = result.is_crisis
    suggestion.signals = [s.as_dict() for s in result.signals]
    suggestion.analysis = result.as_dict()
    suggestion.source = result.source
    suggestion.model_version = result.model_version
    suggestion.text_hash = text_hash(complaint.verbatim)
    return suggestion


def reanalyse(*, actor: User, complaint_id: int) -> Suggestion:
    """Run the analysis again (after the verbatim changed, or a new model was trained)."""
    complaint = complaint_services.get_complaint(actor=actor, complaint_id=complaint_id)
    if not has_capability(actor, Capability.EDIT_COMPLAINT):
        raise Forbidden(_("Your role cannot edit complaints."))
    result = analyse_complaint(complaint)
    suggestion = store_suggestion(complaint, result)
    if result.is_crisis and complaint.severity != Severity.CRISIS:
        apply_crisis(complaint_id=complaint.pk, actor=actor, analysis=result)
        suggestion.refresh_from_db()
    return suggestion


def suggestion_for(*, actor: User, complaint_id: int) -> Suggestion:
    """The complaint's suggestion (analysed now if it has none yet), within the actor's scope."""
    complaint = complaint_services.get_complaint(actor=actor, complaint_id=complaint_id)
    suggestion = Suggestion.objects.filter(complaint=complaint).first()
    if suggestion is None:
        suggestion = store_suggestion(complaint, analyse_complaint(complaint))
    elif suggestion.links_pending:  # the worker has not got to it yet: the reader need not wait
        from .recurrence import link_pending

        link_pending(complaint_ids=[complaint.pk])
        suggestion.refresh_from_db()
    return suggestion


# --- crisis -------------------------------------------------------------------------------------


def crisis_note(result: Analysis) -> str:
    parts = []
    for word in result.signal_words():
        kinds = {s.kind for s in result.signals if s.signal == word}
        labels = "、".join(str(SignalKind(k).label) for k in sorted(kinds))
        parts.append(f"“{word}”({labels})")
    return _("Crisis signals in the customer's words: %(words)s") % {"words": "; ".join(parts)}


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
    note names the matching words. Nothing happens when there is no signal or the complaint is
    already a crisis. Then :func:`kesu.insights.hooks.on_crisis` is called with the complaint.
    """
    complaint = complaint_services.get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not analysis.is_crisis or complaint.severity == Severity.CRISIS:
        return complaint
    note = crisis_note(analysis)
    updated = complaint_services.update_complaint(
        actor=actor,
        complaint_id=complaint_id,
        expected_version=complaint.version if expected_version is None else expected_version,
        changes={"severity": Severity.CRISIS},
        note=note,
    )
    Suggestion.objects.filter(complaint_id=complaint_id).update(is_crisis=True)
    # update_complaint → hooks.after_edit has alerted the ladder.
    return updated


# --- agents accept or correct -----------------------------------------------------------------


def _suggested_value(suggestion: Suggestion, field_name: str) -> tuple[str, float]:
    value = getattr(suggestion, field_name, "")
    if field_name == SuggestionField.FAULT_AREA and field_name in suggestion.decisions:
        value = suggestion.decisions[field_name].get("suggested", value)
    return value or "", float(getattr(suggestion, f"{field_name}_confidence", 0.0) or 0.0)


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

    Stored as ClassificationFeedback (training data). For category, nature, severity and emotion
    the complaint record is edited too (version-checked, on the timeline); the fault area lives
    on the suggestion and drives recurrence links.
    """
    complaint = complaint_services.get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not has_capability(actor, Capability.EDIT_COMPLAINT):
        raise Forbidden(_("Your role cannot edit complaints."))
    if field not in ALLOWED:
        raise InvalidInput(
            _("Unknown field."),
            fields={"field": _("One of: %(allowed)s.") % {"allowed": ", ".join(ALLOWED)}},
        )
    chosen = (chosen or "").strip()
    if chosen not in ALLOWED[field]:
        allowed = ", ".join(v for v in ALLOWED[field] if v) + (
            _(" (or empty for none)") if "" in ALLOWED[field] else ""
        )
        raise InvalidInput(
            _("'%(value)s' is not one of: %(allowed)s.") % {"value": chosen, "allowed": allowed},
            fields={"chosen": _("One of: %(allowed)s.") % {"allowed": allowed}},
        )
    if expected_version is not None and complaint.version != expected_version:
        raise StaleVersion(
            _("Someone else changed this complaint since you opened it; reload and try again.")
        )
    suggestion = Suggestion.objects.filter(complaint=complaint).first() or store_suggestion(
        complaint, analyse_complaint(complaint)
    )
    suggested, confidence = _suggested_value(suggestion, field)
    if field in COMPLAINT_FIELDS and getattr(complaint, field) != chosen:
        note = (
            _("Suggestion accepted: %(field)s")
            if chosen == suggested
            else _("Suggestion corrected: %(field)s")
        ) % {"field": SuggestionField(field).label}
        complaint = complaint_services.update_complaint(
            actor=actor,
            complaint_id=complaint.pk,
            expected_version=complaint.version,
            changes={field: chosen},
            note=note,
        )
    ClassificationFeedback.objects.create(
        complaint=complaint,
        field=field,
        suggested=suggested,
        chosen=chosen,
        confidence=confidence,
        model_version=suggestion.model_version,
        user=actor,
    )
    decision: dict[str, Any] = {
        "chosen": chosen,
        "suggested": suggested,
        "user": actor.pk,
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    suggestion.decisions = {**suggestion.decisions, field: decision}
    if field == SuggestionField.FAULT_AREA:
        suggestion.fault_area = chosen
        suggestion.links_pending = False  # linked right here, on the fault area chosen
        suggestion.save()
        from .recurrence import link_complaint  # recurrence depends on the fault area

        link_complaint(complaint, suggestion)
    else:
        suggestion.save()
    return suggestion, complaint
