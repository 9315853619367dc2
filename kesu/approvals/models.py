"""Authority limits (核决权限), approval requests with their chain of steps and decisions, and the
payment and gift tasks approved remedies create."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint
from kesu.organizations.choices import Role
from kesu.organizations.models import Organization, User
from kesu.organizations.scope import scope_for
from kesu.resolutions.choices import Remedy

from .choices import Decision, RequestStatus, StepState, TaskKind, TaskStatus


class AuthorityLimit(models.Model):
    """The most a role may promise a customer on its own: a total in CNY and the remedy types.

    Looked up nearest first: the dealer's own row for the role, then its region's, the
    manufacturer's, then the installation's row (``organization`` NULL, once an administrator
    sets one), then the defaults in code (``approvals/defaults.py``)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # authority_limit_unique leads with it
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    max_total = models.DecimalField(_("largest total (CNY)"), max_digits=12, decimal_places=2)
    remedies = models.JSONField(_("remedies allowed"), default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("authority limit")
        verbose_name_plural = _("authority limits")
        ordering = ["organization_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "role"], name="authority_limit_unique"),
            models.UniqueConstraint(
                fields=["role"], condition=Q(organization__isnull=True), name="authority_limit_default_unique"
            ),
            models.CheckConstraint(condition=Q(max_total__gte=0), name="authority_limit_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id or '*'} {self.role} ≤ {self.max_total}"


class ApprovalRequestQuerySet(models.QuerySet["ApprovalRequest"]):
    def visible_to(self, user: User) -> "ApprovalRequestQuerySet":
        """The requests on complaints the user may see (organizations.scope decides)."""
        scope = scope_for(user)
        if scope.everything:
            return self
        return self.filter(complaint__in=Complaint.objects.visible_to(user).values("pk"))


class ApprovalRequest(models.Model):
    """Someone wants to promise more than their authority allows: who, what (the subject: e.g. a
    countermeasure option), how much and which remedies; the chain of steps it climbs. The
    current step's approver (role and organisation) and due time are kept on the row, so "what
    waits for me" is one index range (approval_waiting)."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="+", db_index=False
    )  # approval_by_complaint
    dealer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", db_index=False)
    subject_model = models.CharField(max_length=40)  # "resolutions.option"
    subject_id = models.BigIntegerField()
    total = models.DecimalField(_("total (CNY)"), max_digits=12, decimal_places=2)
    remedies = models.JSONField(_("remedies"), default=list)
    amounts = models.JSONField(default=dict, blank=True)  # remedy → amount (text), when known
    summary = models.TextField(_("summary"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    # the step waiting for a decision (position, approver role and organisation, due time)
    current_position = models.PositiveSmallIntegerField(default=0)
    approver_role = models.CharField(max_length=24, choices=Role.choices, blank=True)
    approver_org = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    overdue_notified = models.BooleanField(default=False)  # this step's lateness told up the ladder
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ApprovalRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        indexes = [
            # GET /api/v1/approvals: what waits for an approver, soonest due first
            models.Index(
                fields=["approver_role", "approver_org", "due_at", "id"],
                name="approval_waiting",
                condition=Q(status="pending"),
            ),
            # the approval clock's sweep: pending steps past due, not yet escalated
            models.Index(
                fields=["due_at"],
                name="approval_overdue",
                condition=Q(status="pending", overdue_notified=False),
            ),
            models.Index(fields=["complaint", "created_at"], name="approval_by_complaint"),
            models.Index(fields=["subject_model", "subject_id"], name="approval_by_subject"),
            models.Index(fields=["requested_by", "created_at"], name="approval_by_requester"),
        ]
        constraints = [models.CheckConstraint(condition=Q(total__gte=0), name="approval_total_not_negative")]

    def __str__(self) -> str:
        return f"approval {self.pk} {self.status}"

    @property
    def total_cny(self) -> str:
        return f"¥{self.total:,.2f}"

    @property
    def remedy_names(self) -> list[str]:
        labels = dict(Remedy.choices)
        return [str(labels.get(code, code)) for code in self.remedies]


class ApprovalStep(models.Model):
    """One rung of a request's chain: the role and organisation whose holders decide it."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=StepState.choices, default=StepState.WAITING)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)

    class Meta:
        ordering = ["request_id", "position"]
        constraints = [models.UniqueConstraint(fields=["request", "position"], name="approval_step_position")]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.position} {self.role} {self.state}"


class ApprovalDecision(models.Model):
    """A decision on one step: who, what, why, when. One per step (the unique key is the last
    line of defence against a decision submitted twice)."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request_id", "position"]
        constraints = [models.UniqueConstraint(fields=["request", "position"], name="approval_decision_once")]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.position} {self.decision}"


class PaymentTaskQuerySet(models.QuerySet["PaymentTask"]):
    def visible_to(self, user: User) -> "PaymentTaskQuerySet":
        scope = scope_for(user)
        if scope.everything:
            return self
        return self.filter(dealer_id__in=scope.dealer_ids)


class PaymentTask(models.Model):
    """What an approved request makes someone do: finance (财务部) pays the money and records the
    voucher number (凭证号); administration (行政) hands over the gift and records the slip."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.PROTECT, related_name="tasks")
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="+", db_index=False)
    dealer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(_("kind"), max_length=8, choices=TaskKind.choices)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    description = models.CharField(_("description"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    voucher = models.CharField(_("voucher number"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PaymentTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment task")
        verbose_name_plural = _("payment tasks")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["dealer", "status", "created_at"], name="payment_task_open")]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="payment_task_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_task_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.status}"

    @property
    def amount_cny(self) -> str:
        return f"¥{self.amount:,.2f}"
