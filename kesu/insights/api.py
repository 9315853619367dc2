"""Insights API: analyse text, a complaint's suggestions and decisions, related complaints,
repeat repairs, quality signals, training."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_tasks import TaskResult
from ninja import Field, Router, Schema
from ninja import Status as Reply

from kesu import flows
from kesu.complaints import selectors as complaint_selectors
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
from .recurrence import RelatedComplaint, RepeatRepair

router = Router(tags=["insights"])


class AnalyzeIn(Schema):
    text: str


class SuggestionOptionOut(Schema):
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
    why: str = ""  # why this word counts, or (in ``dismissed``) why it does not


class CrisisOut(Schema):
    is_crisis: bool
    signals: list[SignalOut]
    dismissed: list[SignalOut] = []


class EmotionOut(Schema):
    value: str
    confidence: float
    intensity: float
    behaviour: str
    behaviour_label: str
    stance: str
    words: list[str]


class AnalysisOut(Schema):
    category: list[SuggestionOptionOut]
    fault_area: list[SuggestionOptionOut]
    nature: list[SuggestionOptionOut]
    severity: SuggestionOptionOut
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

    @staticmethod
    def resolve_complaint_version(suggestion: Suggestion) -> int:
        return suggestion.complaint.version


class SuggestionDecisionIn(Schema):
    field: str
    chosen: str
    version: int | None = None


class RelatedOut(Schema):  # reads a recurrence.RelatedComplaint
    id: int = Field(alias="complaint.pk")
    number: str = Field(alias="complaint.number")
    status: str = Field(alias="complaint.status")
    received_at: datetime = Field(alias="complaint.received_at")
    verbatim: str
    reasons: list[str]
    reason_labels: list[str]
    score: float

    @staticmethod
    def resolve_verbatim(related: RelatedComplaint) -> str:
        return related.complaint.verbatim[:200]

    @staticmethod
    def resolve_reason_labels(related: RelatedComplaint) -> list[str]:
        return [str(LinkReason(reason).label) for reason in related.reasons]


class RepeatRepairOut(Schema):
    fault_area: str
    fault_area_label: str
    complaint_ids: list[int]
    repaired_ids: list[int]
    repeat_ids: list[int]
    repairs: int
    repairs_elsewhere: int

    @staticmethod
    def resolve_fault_area_label(repeat: RepeatRepair) -> str:
        return label_of("fault_area", repeat.fault_area)


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
    visible_complaint_ids: list[int]  # the signal's complaints the reader may open

    @staticmethod
    def resolve_fault_area_label(signal: QualitySignal) -> str:
        return label_of("fault_area", signal.fault_area)

    @staticmethod
    def resolve_visible_complaint_ids(signal: QualitySignal, context: dict[str, Any]) -> list[int]:
        member_ids = list(signal.complaints.values_list("pk", flat=True))
        visible = (
            Complaint.objects.visible_to(actor(context["request"]))
            .filter(pk__in=member_ids)
            .values_list("pk", flat=True)
        )
        return sorted(visible)


class TrainIn(Schema):
    organization_id: int


class TrainOut(Schema):  # reads the queued task's result
    task_id: str
    status: str

    @staticmethod
    def resolve_task_id(result: TaskResult[Any]) -> str:
        return str(result.id)

    @staticmethod
    def resolve_status(result: TaskResult[Any]) -> str:
        return str(result.status)


class ClassifierModelOut(Schema):
    id: int
    organization_id: int
    version: str
    examples: dict[str, Any]
    metrics: dict[str, Any]
    seconds: float
    created_at: datetime


@router.post("/analyze", response=AnalysisOut)
def analyze(request: HttpRequest, payload: AnalyzeIn) -> dict[str, Any]:
    """The analysis intake uses: category, fault area, nature, severity (each with a confidence),
    crisis signals with the matching words and their offsets, emotion and the stance to take."""
    return services.analyse_text(actor=actor(request), text=payload.text).as_dict()


@router.get("/complaints/{complaint_id}/suggestions", response=SuggestionOut)
def suggestions(request: HttpRequest, complaint_id: int) -> Suggestion:
    return services.suggestion_for(actor=actor(request), complaint_id=complaint_id)


@router.post("/complaints/{complaint_id}/analyze", response=SuggestionOut)
def reanalyze(request: HttpRequest, complaint_id: int) -> Suggestion:
    return flows.reanalyse(actor=actor(request), complaint_id=complaint_id)


@router.post("/complaints/{complaint_id}/decisions", response=SuggestionOut)
def decide(request: HttpRequest, complaint_id: int, payload: SuggestionDecisionIn) -> Suggestion:
    """Accept (chosen = the suggestion) or correct a suggestion; stored as training data."""
    suggestion, _complaint = flows.decide(
        actor=actor(request),
        complaint_id=complaint_id,
        field=payload.field,
        chosen=payload.chosen,
        expected_version=payload.version,
    )
    return suggestion


@router.get("/complaints/{complaint_id}/related", response=list[RelatedOut])
def related(request: HttpRequest, complaint_id: int) -> list[RelatedComplaint]:
    user = actor(request)
    complaint = complaint_selectors.get_complaint(actor=user, complaint_id=complaint_id)
    return recurrence.related_complaints(actor=user, complaint=complaint)


@router.get("/vehicles/{vehicle_id}/repeat-repairs", response=list[RepeatRepairOut])
def vehicle_repeat_repairs(request: HttpRequest, vehicle_id: int) -> list[RepeatRepair]:
    user = actor(request)
    vehicle = Vehicle.objects.visible_to(user).filter(pk=vehicle_id).first()
    if vehicle is None:
        raise NotFound(_("No such vehicle."))
    return recurrence.repeat_repairs(vehicle, actor=user)


def _require_quality_role(request: HttpRequest) -> None:
    user = actor(request)
    if not (user.is_kesu_admin or user.role in QUALITY_SIGNAL_ROLES):
        raise Forbidden(_("Quality signals are for the carmaker's quality staff and CRC, and for managers."))


@router.get("/quality-signals", response=list[QualitySignalOut])
def quality_signals(request: HttpRequest, status: str = "") -> list[QualitySignal]:
    """Possible quality issues (near-identical complaints about one model and fault area at
    several dealers). Counts are the carmaker's; complaint ids only those the user may open."""
    _require_quality_role(request)
    user = actor(request)
    signals = QualitySignal.objects.visible_to(user)
    if status:
        signals = signals.filter(status=status)
    return list(signals[:200])


@router.post("/train", response={202: TrainOut})
def train(request: HttpRequest, payload: TrainIn) -> Reply:
    """Queue training of an organisation's classifier (administrators)."""
    if not actor(request).is_kesu_admin:
        raise Forbidden(_("Only administrators can train classifiers."))
    kind = Organization.objects.filter(pk=payload.organization_id).values_list("kind", flat=True).first()
    if kind is None or kind == OrgKind.DEPARTMENT:  # a department has no labelled set of its own
        message = _("No such organisation.") if kind is None else _("Train a dealer, region or manufacturer.")
        raise InvalidInput(message, fields={"organization_id": message})
    return Reply(202, tasks.train_classifier.enqueue(payload.organization_id))


@router.get("/models", response=list[ClassifierModelOut])
def models(request: HttpRequest) -> list[ClassifierModel]:
    if not actor(request).is_kesu_admin:
        raise Forbidden(_("Only administrators can see classifiers."))
    return list(ClassifierModel.objects.all()[:100])
