"""Improvement actions (整改) and published cases (案例分享). Both belong to an organisation (a
dealer, or a region or the carmaker for what spans dealers) and are seen by its people and the
organisations above it: a dealer's actions by that dealer, its region and the carmaker."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kesu.organizations.choices import DEALER_ROLES, OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.scope import scope_for, user_dealer_id

from .choices import ActionStatus, Effectiveness, Priority, Source


def organization_ids_seen_by(user: User) -> frozenset[int] | None:
    """The organisations whose actions and cases ``user`` sees (None: all). Unlike complaints,
    the carmaker sees its dealers' improvement work without an escalation: it is not a
    customer's file."""
    cached = user.__dict__.get("_kesu_improvement_orgs", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    scope = scope_for(user)
    found: frozenset[int] | None
    if scope.everything:
        found = None
    elif user.organization_id is None or scope.is_empty:
        found = frozenset()
    elif user.role in DEALER_ROLES:
        dealer_id = user_dealer_id(user)
        found = frozenset({dealer_id}) if dealer_id else frozenset()
    else:  # region or carmaker: itself, the regions under it and every dealer below
        regions = Organization.objects.filter(parent_id=user.organization_id, kind=OrgKind.REGION)
        found = frozenset(
            {user.organization_id, *regions.values_list("pk", flat=True)}
            | scope.dealer_ids
            | scope.escalated_dealer_ids
        )
    user.__dict__["_kesu_improvement_orgs"] = found
    return found


def _in_scope(queryset: models.QuerySet, user: User) -> models.QuerySet:  # type: ignore[type-arg]
    seen = organization_ids_seen_by(user)
    return queryset if seen is None else queryset.filter(organization_id__in=seen)


class ActionQuerySet(models.QuerySet["ImprovementAction"]):
    def visible_to(self, user: User) -> "ActionQuerySet":
        return _in_scope(self, user)  # type: ignore[return-value]

    def overdue(self, today: object) -> "ActionQuerySet":
        return self.filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS], deadline__lt=today)


def evidence_path(instance: "ImprovementAction", filename: str) -> str:
    return f"improvements/{instance.organization_id}/{instance.pk}/{filename}"


class ImprovementAction(models.Model):
    """One countermeasure (整改项) with an owner, a deadline and a priority, the complaints or
    recurring problem it answers, the evidence it was done and whether it worked."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("what is to be done"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    version = models.PositiveIntegerField(default=1)
    # what it answers: a chart (its name and month), a quality signal, complaints; the kind of
    # complaint (category and/or fault area) the effectiveness check counts
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    source_chart = models.CharField(_("chart"), max_length=40, blank=True)
    month = models.DateField(_("month"), null=True, blank=True)  # first day of the chart's month
    category = models.CharField(_("category"), max_length=16, blank=True)
    fault_area = models.CharField(_("fault area"), max_length=16, blank=True)
    quality_signal = models.ForeignKey(
        "insights.QualitySignal",
        verbose_name=_("quality signal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    complaints = models.ManyToManyField("complaints.Complaint", related_name="+", blank=True)
    # evidence of completion
    evidence_text = models.TextField(_("evidence of completion"), blank=True)
    evidence_file = models.FileField(upload_to=evidence_path, max_length=255, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    note = models.TextField(_("reason"), blank=True)  # why it was reopened or cancelled
    # the effectiveness check, a month after completion (computed by the worker)
    effectiveness = models.CharField(
        _("effectiveness"), max_length=12, choices=Effectiveness.choices, default=Effectiveness.PENDING
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    count_before = models.PositiveIntegerField(null=True, blank=True)  # the month before completion
    count_after = models.PositiveIntegerField(null=True, blank=True)  # the month after
    # the deadline whose overdue notice went out: a new deadline is a new overdue event
    overdue_notified_for = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["organization", "status", "deadline"], name="improvement_org_status"),
            models.Index(fields=["status", "deadline"], name="improvement_due"),
            models.Index(fields=["effectiveness", "completed_at"], name="improvement_to_check"),
        ]

    def __str__(self) -> str:
        return self.title


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> "CaseQuerySet":
        return _in_scope(self, user)  # type: ignore[return-value]

    def published(self) -> "CaseQuerySet":
        return self.filter(published_at__isnull=False)


class Case(models.Model):
    """A closed complaint told for training in seed 003's form — 案例 (the case), 分析 (the
    analysis), 点评 (the commentary: the lessons) — with no names, phones, plates or VINs."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="+", verbose_name=_("complaint")
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=16, blank=True)
    case_text = models.TextField(_("case"))
    analysis = models.TextField(_("analysis"))
    commentary = models.TextField(_("commentary"))
    search_tokens = models.TextField(blank=True)  # core.search bigrams of the four texts
    version = models.PositiveIntegerField(default=1)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["organization", "published_at"], name="case_org_published")]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(published_by__isnull=False),
                name="case_published_by_someone",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
