"""What the reports app stores: one narrow fact row per complaint (the dashboard and the pack
count these instead of the complaint table), the catch-up mark, and the monthly pack jobs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kesu.organizations.models import Organization

from .choices import JobStatus


class ComplaintFact(models.Model):
    """A complaint as the statistics see it: the month it was received in (Asia/Shanghai), its
    dimensions and the due/stop times of its first-cycle clocks. Derived, never edited by hand:
    kesu/reports/facts.py rewrites a complaint's row whenever the complaint, its suggestion,
    vehicle or clocks change (see the module for how it stays correct)."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,  # derived data: no per-row key check on the complaint at commit
    )
    dealer_id = models.BigIntegerField()
    month = models.DateField()  # first day of the month received (Asia/Shanghai)
    received_at = models.DateTimeField()
    escalated = models.BooleanField(default=False)  # the manufacturer sees it (escalated_at set)
    channel = models.CharField(max_length=16, blank=True)
    category = models.CharField(max_length=16, blank=True)
    fault_area = models.CharField(max_length=16, blank=True)
    model_name = models.CharField(max_length=60, blank=True)
    department_id = models.BigIntegerField(null=True, blank=True)
    severity = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=16, blank=True)
    is_open = models.BooleanField(default=True)
    satisfaction = models.CharField(max_length=16, blank=True)
    reply_due = models.DateTimeField(null=True, blank=True)
    reply_done = models.DateTimeField(null=True, blank=True)
    close_due = models.DateTimeField(null=True, blank=True)
    close_done = models.DateTimeField(null=True, blank=True)
    revisit_due = models.DateTimeField(null=True, blank=True)
    revisit_done = models.DateTimeField(null=True, blank=True)
    decision_due = models.DateTimeField(null=True, blank=True)
    decision_done = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["month", "dealer_id"], name="fact_month_dealer"),
            models.Index(
                fields=["dealer_id", "received_at"], name="fact_open_backlog", condition=Q(is_open=True)
            ),
            # the manufacturer's backlog: escalated open complaints only (CRC, PR, quality)
            models.Index(
                fields=["dealer_id", "received_at"],
                name="fact_open_escalated",
                condition=Q(is_open=True, escalated=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.month:%Y-%m}"


class FactMark(models.Model):
    """How far the facts have caught up with the complaints' timeline (its highest entry id
    already applied). One row."""

    timeline_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.timeline_id)


class ReportJobQuerySet(models.QuerySet["ReportJob"]):
    pass


class ReportJob(models.Model):
    """One monthly review pack (客户抱怨检讨会议 / DCRC 月会) for an organisation and a month, made
    by the worker; at most one queued or running per organisation and month."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent
    files = models.JSONField(default=list, blank=True)  # ["pack-….xlsx", "pack-….pdf"]
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly review pack")
        verbose_name_plural = _("monthly review packs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_pack_per_month",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%Y-%m} {self.status}"
