"""The complaint record, its immutable timeline and its attachments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kesu.core.fields import SearchTokensField
from kesu.core.privacy import ChangesField, IdentifiersTextField
from kesu.organizations.models import Organization, User
from kesu.organizations.scope import scope_for

from .choices import (
    OPEN_STATES,
    Category,
    Channel,
    Demand,
    Emotion,
    EventKind,
    Nature,
    RuleField,
    Rung,
    Satisfaction,
    Severity,
    Status,
)


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def visible_to(self, user: User) -> "ComplaintQuerySet":
        """Scope, decided in organizations.scope and applied here for every page and endpoint."""
        scope = scope_for(user)
        if scope.everything:
            return self
        condition = Q(dealer_id__in=scope.dealer_ids)
        if scope.escalated_dealer_ids:
            condition |= Q(dealer_id__in=scope.escalated_dealer_ids, escalated_at__isnull=False)
        return self.filter(condition)

    def open(self) -> "ComplaintQuerySet":
        return self.filter(status__in=OPEN_STATES)


class Complaint(models.Model):
    number = models.CharField(_("number"), max_length=24, unique=True)
    dealer = models.ForeignKey(
        Organization,
        verbose_name=_("dealer"),
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,  # led by complaint_queue, complaint_dealer_due and complaint_dealer_recent
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,  # complaint_customer
    )
    vehicle = models.ForeignKey(
        "customers.Vehicle",
        verbose_name=_("vehicle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,  # complaint_vehicle
    )
    verbatim = IdentifiersTextField(_("customer's own words"))
    facts = IdentifiersTextField(_("facts"), blank=True)
    emotion = models.CharField(_("emotion"), max_length=8, choices=Emotion.choices, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)
    nature = models.CharField(_("nature"), max_length=8, choices=Nature.choices, blank=True)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.NORMAL
    )
    demands = models.JSONField(_("demands"), default=list, blank=True)
    department = models.ForeignKey(
        Organization,
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_complaints",
        db_index=False,  # complaint_department
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_complaints",
        db_index=False,  # complaint_assignee
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    version = models.PositiveIntegerField(default=1)
    # Workflow results, filled by transitions.
    promised_plan_at = models.DateTimeField(_("plan promised to the customer by"), null=True, blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    plan = models.TextField(_("countermeasure"), blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    # When the manufacturer began to see this complaint (escalation, or the 800 hotline).
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # Where an escalation stands on the ladder (service manager → GM → region → CRC); empty when
    # nobody was escalated to (set by "escalate", cleared when handed back to the dealer).
    escalation_rung = models.CharField(_("escalated to"), max_length=16, choices=Rung.choices, blank=True)
    # The earliest due time of the complaint's running SLA clocks (running, warning or breached —
    # a closed complaint's revisit included; paused and stopped clocks left out), kept here for the
    # queue's sort; computed by sla.services whenever a clock starts, stops, pauses or resumes.
    # NULL: no clock is running. The clocks themselves (sla.Clock) are the truth.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bigram tokens of verbatim + facts (see kesu.core.search); GIN-indexed on PostgreSQL.
    search_tokens = SearchTokensField(blank=True, editable=False)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["dealer", "status", "due_at"], name="complaint_queue"),
            # the queue order, walked by the queue without a status filter and by searches for
            # frequent words (complaints.queries.FREQUENT_WORD): per dealer, and for wider scopes
            models.Index(fields=["dealer", "due_at", "-received_at", "-id"], name="complaint_dealer_due"),
            models.Index(fields=["due_at", "-received_at", "-id"], name="complaint_due"),
            models.Index(fields=["dealer", "-received_at"], name="complaint_dealer_recent"),
            models.Index(fields=["assignee", "status", "due_at"], name="complaint_assignee"),
            models.Index(fields=["department", "status", "due_at"], name="complaint_department"),
            models.Index(fields=["customer"], name="complaint_customer"),
            models.Index(fields=["vehicle"], name="complaint_vehicle"),
            models.Index(
                fields=["dealer", "escalated_at"],
                name="complaint_escalated",
                condition=Q(escalated_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def demand_labels(self) -> list[str]:
        labels = dict(Demand.choices)
        return [str(labels.get(code, code)) for code in self.demands]


class NumberCounter(models.Model):
    """Per-year counter for readable numbers on databases without sequences (SQLite)."""

    year = models.PositiveIntegerField(primary_key=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"


class TimelineEntryQuerySet(models.QuerySet["TimelineEntry"]):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("timeline entries are immutable")

    def delete(self):  # type: ignore[no-untyped-def]
        raise TypeError("timeline entries are immutable")


class TimelineEntry(models.Model):
    """One immutable event in a complaint's life: who, when, what, why."""

    # No database foreign key to the complaint (the ORM still PROTECTs it): each row's check at
    # commit locks the complaint row FOR KEY SHARE, a write to its page, which made up a large
    # share of an SLA sweep. Entries are only written by services that have just read the complaint,
    # and complaints are never deleted — as simple-history does for its history rows.
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="timeline", db_index=False, db_constraint=False
    )  # timeline_by_complaint leads with it
    # Read by complaint (timeline_by_complaint), never by time or actor alone: no index of their
    # own, each would cost every intake, transition and sweep an index insert. (People are
    # deactivated, not deleted, so the PROTECT check on the actor does not need one either.)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    action = models.CharField(max_length=32, blank=True)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    changes = ChangesField(default=dict, blank=True)
    note = IdentifiersTextField(blank=True)

    objects = TimelineEntryQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["complaint", "at"], name="timeline_by_complaint")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.action}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise TypeError("timeline entries are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("timeline entries are immutable")


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"complaints/{instance.complaint_id}/{filename}"


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=12)  # photo / audio / document
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class AssignmentRule(models.Model):
    """One of a dealer's assignment rules: new complaints of this channel (or category) go to
    this person. Without a matching rule, the least busy of the dealer's active agents takes
    them (complaints.ownership)."""

    dealer = models.ForeignKey(
        Organization,
        verbose_name=_("dealer"),
        on_delete=models.CASCADE,
        related_name="assignment_rules",
        db_index=False,  # assignment_rule_unique leads with it
    )
    field = models.CharField(_("matches on"), max_length=16, choices=RuleField.choices)
    value = models.CharField(_("value"), max_length=16)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        ordering = ["dealer", "field", "value"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "field", "value"], name="assignment_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dealer_id} {self.field}={self.value} → {self.assignee_id}"
