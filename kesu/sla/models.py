"""SLA data: business hours and calendar overrides, versioned policies, clocks and breaches."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kesu.organizations.models import Organization

from .choices import ClockKind, ClockState, TargetUnit


class BusinessHours(models.Model):
    """One opening interval on one weekday; several per day leave out a lunch break."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="business_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 = Monday
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["organization", "weekday", "opens"]

    def __str__(self) -> str:
        return f"{self.organization} {self.weekday} {self.opens:%H:%M}–{self.closes:%H:%M}"


class CalendarOverride(models.Model):
    """A date the calendar package does not know (next year's 调休) or a local closure."""

    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
    )  # null: everyone
    date = models.DateField(_("date"))
    is_open = models.BooleanField(_("open"), default=False)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["organization", "date"], name="one_override_per_day")]

    def __str__(self) -> str:
        return f"{self.date} {'open' if self.is_open else 'closed'}"


class SlaPolicy(models.Model):
    """Targets for the four clocks. Never edited in place: a change is a new version, and each
    clock keeps the version it started with, so past statistics stay true."""

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="sla_policies"
    )  # null: installation default
    name = models.CharField(_("name"), max_length=80)
    family = models.CharField(max_length=40)  # versions of one policy share the family
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    severity = models.CharField(_("only for severity"), max_length=8, blank=True)
    category = models.CharField(_("only for category"), max_length=16, blank=True)
    vip_only = models.BooleanField(_("only for VIP customers"), default=False)
    first_reply = models.PositiveIntegerField(_("first reply"), default=120)
    first_reply_unit = models.CharField(
        max_length=16, choices=TargetUnit.choices, default=TargetUnit.WORKING_MINUTES
    )
    resolution = models.PositiveIntegerField(_("resolution"), default=3)
    resolution_unit = models.CharField(
        max_length=16, choices=TargetUnit.choices, default=TargetUnit.WORKING_DAYS
    )
    revisit = models.PositiveIntegerField(_("revisit"), default=7 * 24 * 60)
    revisit_unit = models.CharField(
        max_length=16, choices=TargetUnit.choices, default=TargetUnit.CALENDAR_MINUTES
    )
    decision = models.PositiveIntegerField(_("written decision"), default=7 * 24 * 60)
    decision_unit = models.CharField(
        max_length=16, choices=TargetUnit.choices, default=TargetUnit.CALENDAR_MINUTES
    )
    warning_fraction = models.DecimalField(_("warn at"), max_digits=3, decimal_places=2, default=0.75)
    # [{"role": "service_manager", "after_minutes": 0}, …] climbed after a breach.
    ladder = models.JSONField(_("escalation ladder"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="policy_version_unique"),
            models.UniqueConstraint(
                fields=["family"], condition=Q(is_current=True), name="one_current_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Clock(models.Model):
    # No single-column indexes on these two: one_clock_per_cycle leads with the complaint, and
    # policies are never deleted (a new version replaces them). Each index would cost every
    # intake and every clock the sweep moves an index insert.
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="clocks", db_index=False
    )
    kind = models.CharField(max_length=12, choices=ClockKind.choices)
    cycle = models.PositiveSmallIntegerField(default=0)  # +1 each time the complaint reopens
    policy = models.ForeignKey(SlaPolicy, on_delete=models.PROTECT, related_name="clocks", db_index=False)
    unit = models.CharField(max_length=16, choices=TargetUnit.choices)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    warn_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=ClockState.choices, default=ClockState.RUNNING)
    stopped_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    remaining_at_pause = models.FloatField(null=True, blank=True)  # seconds, in the clock's unit
    state_before_pause = models.CharField(max_length=10, blank=True)
    # The sweep's work list: the next moment this clock needs attention (warn, breach, ladder).
    next_check_at = models.DateTimeField(null=True, blank=True)
    ladder_level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["complaint", "cycle", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "kind", "cycle"], name="one_clock_per_cycle")
        ]
        indexes = [
            models.Index(
                fields=["next_check_at"],
                name="clock_due_work",
                condition=Q(next_check_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.state}"


class Breach(models.Model):
    """A missed target, recorded when it happens and never recomputed away."""

    clock = models.OneToOneField(Clock, on_delete=models.CASCADE, related_name="breach")
    # the clock's own foreign key vouches for the complaint; no second check per row at commit
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="breaches", db_constraint=False
    )
    kind = models.CharField(max_length=12, choices=ClockKind.choices)
    policy = models.ForeignKey(SlaPolicy, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    detected_at = models.DateTimeField()
    overdue_seconds_at_detection = models.PositiveIntegerField()
    final_overdue_seconds = models.PositiveIntegerField(null=True, blank=True)  # set when stopped

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} missed {self.due_at:%Y-%m-%d %H:%M}"


class EscalationStep(models.Model):
    """One rung of the ladder climbed for a breached clock."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=24)
    notified_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clock", "level"], name="one_step_per_level")]

    def __str__(self) -> str:
        return f"{self.clock_id} level {self.level} → {self.role}"
