"""Insights API: analyse text, a complaint's suggestions and decisions, related complaints,
repeat repairs, quality signals, training."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja import Status as Reply

from kesu.complaints import services as complaint_services
from kesu.complaints.models import Complaint
from kesu.core.errors import Forbidden, InvalidInput, NotFound
from kesu.customers.models import Vehicle
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization
from kesu.organizations.permissions import actor

from . import recurrence, services, tasks
from .analysis import label_of
from .choices import LinkReason
from .models import QUALITY_SIGNAL_ROLES, ClassifierModel, QualitySignal, Suggestion

router = Router(tags=["insights"])


class AnalyzeIn(Schema):
    text: str


class OptionOut(Schema):
    value: str
    label: str
    confidence: float
    words: list[str] = []


class SignalOut(Schema):
    signal: str
    kind: str
    kind_label: str
    start: int
    end: int


class CrisisOut(Schema):
    is_crisis: bool
    signals: list[SignalOut]


class EmotionOut(Schema):
    value: str
    confidence: float
    intensity: float
    behaviour: str
    behaviour_label: str
    stance: str
    words: list[str]


class AnalysisOut(Schema):
    category: list[OptionOut]
    fault_area: list[OptionOut]
    nature: list[OptionOut]
    severity: OptionOut
    crisis: CrisisOut
    emotion: EmotionOut
    source: str
    model_version: str
    length: int
    truncated: bool


class SuggestionOut(Schema):
    complaint_id: int
    complaint_version: int
    category: str
    fault_area: str
    nature: str
    severity: str
    emotion: str
    is_crisis: bool
    repeat_repair: bool
    decisions: dict[str, Any]
    analysis: dict[str, Any]
    source: str
    model_version: str
    updated_at: datetime


class DecisionIn(Schema):
    field: str
    chosen: str
    version: int | None = None


class RelatedOut(Schema):
    id: int
    number: str
    status: str
    received_at: datetime
    verbatim: str
    reasons: list[str]
    reason_labels: list[str]
    score: float


class RepeatRepairOut(Schema):
    fault_area: str
    fault_area_label: str
    complaint_ids: list[int]
    repaired_ids: list[int]
    repeat_ids: list[int]
    repairs: int
    repairs_elsewhere: int


class QualitySignalOut(Schema):
    id: int
    model_name: str
    fault_area: str
    fault_area_label: str
    status: str
    complaint_count: int
    dealer_count: int
    shared_terms: list[str]
    first_seen: datetime
    last_seen: datetime
    visible_complaint_ids: list[int]


class TrainIn(Schema):
    organization_id: int


class TrainOut(Schema):
    task_id: str
    status: str


class ClassifierModelOut(Schema):
    id: int
    organization_id: int
    version: str
    examples: dict[str, Any]
    metrics: dict[str, Any]
    seconds: float
    created_at: datetime


def suggestion_out(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "complaint_id": suggestion.complaint_id,
        "complaint_version": suggestion.complaint.version,
        "category": suggestion.category,
        "fault_area": suggestion.fault_area,
        "nature": suggestion.nature,
        "severity": suggestion.severity,
        "emotion": suggestion.emotion,
        "is_crisis": suggestion.is_crisis,
        "repeat_repair": suggestion.repeat_repair,
        "decisions": suggestion.decisions,
        "analysis": suggestion.analysis,
        "source": suggestion.source,
        "model_version": suggestion.model_version,
        "updated_at": suggestion.updated_at,
    }


@router.post("/analyze", response=AnalysisOut)
def analyze(request: HttpRequest, payload: AnalyzeIn) -> dict[str, Any]:
    """The analysis intake uses: category, fault area, nature, severity (each with a confidence),
    crisis signals with the matching words and their offsets, emotion and the stance to take."""
    return services.analyse_text(actor=actor(request), text=payload.text).as_dict()


@router.get("/complaints/{complaint_id}/suggestions", response=SuggestionOut)
def suggestions(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    return suggestion_out(services.suggestion_for(actor=actor(request), complaint_id=complaint_id))


@router.post("/complaints/{complaint_id}/analyze", response=SuggestionOut)
def reanalyze(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    return suggestion_out(services.reanalyse(actor=actor(request), complaint_id=complaint_id))


@router.post("/complaints/{complaint_id}/decisions", response=SuggestionOut)
def decide(request: HttpRequest, complaint_id: int, payload: DecisionIn) -> dict[str, Any]:
    """Accept (chosen = the suggestion) or correct a suggestion; stored as training data."""
    suggestion, _complaint = services.decide(
        actor=actor(request),
        complaint_id=complaint_id,
        field=payload.field,
        chosen=payload.chosen,
        expected_version=payload.version,
    )
    return suggestion_out(suggestion)


@router.get("/complaints/{complaint_id}/related", response=list[RelatedOut])
def related(request: HttpRequest, complaint_id: int) -> list[dict[str, Any]]:
    user = actor(request)
    complaint = complaint_services.get_complaint(actor=user, complaint_id=complaint_id)
    return [
        {
            "id": r.complaint.pk,
            "number": r.complaint.number,
            "status": r.complaint.status,
            "received_at": r.complaint.received_at,
            "verbatim": r.complaint.verbatim[:200],
            "reasons": r.reasons,
            "reason_labels": [str(LinkReason(x).label) for x in r.reasons],
            "score": r.score,
        }
        for r in recurrence.related_complaints(actor=user, complaint=complaint)
    ]


@router.get("/vehicles/{vehicle_id}/repeat-repairs", response=list[RepeatRepairOut])
def vehicle_repeat_repairs(request: HttpRequest, vehicle_id: int) -> list[dict[str, Any]]:
    user = actor(request)
    vehicle = Vehicle.objects.visible_to(user).filter(pk=vehicle_id).first()
    if vehicle is None:
        raise NotFound(_("No such vehicle."))
    return [
        {
            "fault_area": r.fault_area,
            "fault_area_label": label_of("fault_area", r.fault_area),
            "complaint_ids": r.complaint_ids,
            "repaired_ids": r.repaired_ids,
            "repeat_ids": r.repeat_ids,
            "repairs": r.repairs,
            "repairs_elsewhere": r.repairs_elsewhere,
        }
        for r in recurrence.repeat_repairs(vehicle, actor=user)
    ]


def _require_quality_role(request: HttpRequest) -> None:
    user = actor(request)
    if not (user.is_kesu_admin or user.role in QUALITY_SIGNAL_ROLES):
        raise Forbidden(_("Quality signals are for the manufacturer's CRC and administrators."))


@router.get("/quality-signals", response=list[QualitySignalOut])
def quality_signals(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    """Possible quality issues (near-identical complaints about one model and fault area at
    several dealers). Counts are the carmaker's; complaint ids only those the user may open."""
    _require_quality_role(request)
    user = actor(request)
    signals = QualitySignal.objects.visible_to(user)
    if status:
        signals = signals.filter(status=status)
    out = []
    for signal in signals[:200]:
        member_ids = list(signal.complaints.values_list("pk", flat=True))
        visible = list(
            Complaint.objects.visible_to(user).filter(pk__in=member_ids).values_list("pk", flat=True)
        )
        out.append(
            {
                "id": signal.pk,
                "model_name": signal.model_name,
                "fault_area": signal.fault_area,
                "fault_area_label": label_of("fault_area", signal.fault_area),
                "status": signal.status,
                "complaint_count": signal.complaint_count,
                "dealer_count": signal.dealer_count,
                "shared_terms": signal.shared_terms,
                "first_seen": signal.first_seen,
                "last_seen": signal.last_seen,
                "visible_complaint_ids": sorted(visible),
            }
        )
    return out


@router.post("/train", response={202: TrainOut})
def train(request: HttpRequest, payload: TrainIn) -> Reply:
    """Queue training of an organisation's classifier (administrators)."""
    if not actor(request).is_kesu_admin:
        raise Forbidden(_("Only administrators can train classifiers."))
    kind = Organization.objects.filter(pk=payload.organization_id).values_list("kind", flat=True).first()
    if kind is None or kind == OrgKind.DEPARTMENT:  # a department has no labelled set of its own
        message = _("No such organisation.") if kind is None else _("Train a dealer, region or manufacturer.")
        raise InvalidInput(message, fields={"organization_id": message})
    result = tasks.train_classifier.enqueue(payload.organization_id)
    return Reply(202, {"task_id": str(result.id), "status": str(result.status)})


@router.get("/models", response=list[ClassifierModelOut])
def models(request: HttpRequest) -> list[ClassifierModel]:
    if not actor(request).is_kesu_admin:
        raise Forbidden(_("Only administrators can see classifiers."))
    return list(ClassifierModel.objects.all()[:100])
