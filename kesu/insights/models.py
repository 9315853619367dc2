"""What the insights app stores: suggestions per complaint, the agents' corrections (training
data), recurrence links, near-duplicate fingerprints, quality signals and trained models."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint
from kesu.organizations.choices import Role
from kesu.organizations.models import Organization, User
from kesu.organizations.scope import scope_for

from .choices import FaultArea, LinkReason, SignalStatus, SuggestionField

# Who handles quality signals: the carmaker's quality staff and CRC (all of their carmaker's), and
# the managers of a region and of a dealer (the signals that touch their dealers).
QUALITY_SIGNAL_ROLES = frozenset(
    {
        Role.QUALITY,
        Role.CRC_AGENT,
        Role.ADMIN,
        Role.REGION_MANAGER,
        Role.GENERAL_MANAGER,
        Role.SERVICE_MANAGER,
    }
)
_CARMAKER_SIGNAL_ROLES = frozenset({Role.QUALITY, Role.CRC_AGENT})


class Suggestion(models.Model):
    """The analysis of a complaint's verbatim: the top suggestion per field, and everything."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, related_name="insight", verbose_name=_("complaint")
    )
    category = models.CharField(max_length=16, blank=True)
    category_confidence = models.FloatField(default=0.0)
    # The fault area used for recurrence: the agent's choice once given, else the suggestion.
    fault_area = models.CharField(max_length=16, choices=FaultArea.choices, blank=True)
    fault_area_confidence = models.FloatField(default=0.0)
    nature = models.CharField(max_length=8, blank=True)
    nature_confidence = models.FloatField(default=0.0)
    severity = models.CharField(max_length=8, blank=True)
    severity_confidence = models.FloatField(default=0.0)
    emotion = models.CharField(max_length=8, blank=True)
    emotion_confidence = models.FloatField(default=0.0)
    is_crisis = models.BooleanField(default=False)
    signals = models.JSONField(default=list, blank=True)
    analysis = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=16, default="rules")
    model_version = models.CharField(max_length=64, blank=True)
    repeat_repair = models.BooleanField(default=False)
    # Set at intake; cleared once the worker has linked and indexed the complaint (recurrence).
    links_pending = models.BooleanField(default=False)
    # {field: {"chosen": value, "suggested": value, "user": id, "at": iso}} once an agent decided.
    decisions = models.JSONField(default=dict, blank=True)
    text_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        indexes = [
            models.Index(fields=["fault_area"], name="insight_fault_area"),
            models.Index(fields=["is_crisis"], name="insight_crisis"),
            models.Index(
                fields=["complaint"], condition=models.Q(links_pending=True), name="insight_links_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.category}/{self.fault_area}"


class ClassificationFeedback(models.Model):
    """An agent accepted or corrected a suggestion: the organisation's own training data."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="classification_feedback")
    field = models.CharField(max_length=16, choices=SuggestionField.choices)
    suggested = models.CharField(max_length=16, blank=True)
    chosen = models.CharField(max_length=16, blank=True)
    confidence = models.FloatField(default=0.0)
    model_version = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("classification feedback")
        verbose_name_plural = _("classification feedback")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["complaint", "field", "at"], name="feedback_by_complaint")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.field}: {self.suggested} → {self.chosen}"

    @property
    def is_correction(self) -> bool:
        return self.suggested != self.chosen


class ComplaintLink(models.Model):
    """Two complaints that belong together. Stored once (newer → older); read both ways, and only
    through ``Complaint.objects.visible_to`` so no dealer learns of another dealer's cases."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="links_out")
    other = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="links_in")
    reason = models.CharField(max_length=16, choices=LinkReason.choices)
    score = models.FloatField(default=1.0)
    fault_area = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "other", "reason"], name="complaint_link_once")
        ]
        indexes = [models.Index(fields=["other", "reason"], name="complaint_link_in")]

    def __str__(self) -> str:
        return f"{self.complaint_id} ~ {self.other_id} ({self.reason})"


class TextBand(models.Model):
    """One locality-sensitive band of a complaint's MinHash: complaints sharing a band (for the
    same model and fault area) are candidate near-duplicates, found by one indexed lookup."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    band = models.BigIntegerField()
    dealer_id = models.BigIntegerField()
    received_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["band", "received_at"], name="text_band_lookup")]

    def __str__(self) -> str:
        return f"{self.complaint_id}:{self.band}"


class QualitySignalQuerySet(models.QuerySet["QualitySignal"]):
    def visible_to(self, user: User) -> "QualitySignalQuerySet":
        """Admins see all; the carmaker's quality staff and CRC their own carmaker's; region and
        dealer managers those with a complaint at one of their dealers; everyone else nothing."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_kesu_admin:
            return self
        if user.role not in QUALITY_SIGNAL_ROLES or user.organization_id is None:
            return self.none()
        if user.role in _CARMAKER_SIGNAL_ROLES:
            return self.filter(manufacturer_id=user.organization_id)
        dealers = scope_for(user).dealer_ids
        touching = QualitySignal.complaints.through.objects.filter(complaint__dealer_id__in=dealers)
        return self.filter(pk__in=touching.values("qualitysignal_id"))


class QualitySignal(models.Model):
    """Near-identical complaints about one model and fault area at several dealers: a possible
    quality issue for the carmaker."""

    manufacturer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="quality_signals")
    model_name = models.CharField(_("model"), max_length=60)
    fault_area = models.CharField(_("fault area"), max_length=16, choices=FaultArea.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=SignalStatus.choices, default=SignalStatus.OPEN
    )
    complaint_count = models.PositiveIntegerField(default=0)
    dealer_count = models.PositiveIntegerField(default=0)
    # Words the complaints share (bigrams), so the signal reads without opening any complaint.
    shared_terms = models.JSONField(default=list, blank=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    complaints = models.ManyToManyField(Complaint, related_name="quality_signals", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QualitySignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("quality signal")
        verbose_name_plural = _("quality signals")
        ordering = ["-last_seen"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "model_name", "fault_area"],
                condition=Q(status="open"),
                name="one_open_quality_signal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.model_name} {self.fault_area} ({self.complaint_count})"


class ClassifierModel(models.Model):
    """A model trained on an organisation's labelled complaints; the file lives under
    KESU_DATA_DIR (never in the repository)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="classifier_models")
    path = models.CharField(max_length=500)
    version = models.CharField(max_length=64)
    examples = models.JSONField(default=dict)
    metrics = models.JSONField(default=dict)
    seconds = models.FloatField(default=0.0)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.version}"
