"""What resolutions stores. Sections by part: routing rules, contact sheets (联络单) and the
general manager's findings decision, accountability (responsibility, 奖罚通知单); countermeasure
options and agreements below them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint
from kesu.core.privacy import NameField
from kesu.organizations.choices import Role
from kesu.organizations.models import Organization, User
from kesu.organizations.scope import user_dealer_id

from .choices import (
    AgreementMethod,
    CauseDimension,
    CustomerAnswer,
    FindingsBasis,
    NoticeKind,
    NoticeState,
    OptionState,
    Remedy,
    ResponsibleKind,
    SheetState,
)

# --- routing rules (category and fault area → department) ----------------------------------------


class RoutingRule(models.Model):
    """One of a dealer's routing rules: a new complaint of this category and fault area (blank:
    any) goes to this department unless the intake named one. The most specific rule wins
    (kesu.resolutions.services.routing)."""

    dealer = models.ForeignKey(
        Organization,
        verbose_name=_("dealer"),
        on_delete=models.CASCADE,
        related_name="routing_rules",
        db_index=False,  # routing_rule_unique leads with it
    )
    category = models.CharField(_("category"), max_length=16, blank=True)  # complaints.Category; "": any
    fault_area = models.CharField(_("fault area"), max_length=16, blank=True)  # insights.FaultArea; "": any
    department = models.ForeignKey(
        Organization, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["dealer", "category", "fault_area"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "category", "fault_area"], name="routing_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dealer_id} {self.category or '*'}/{self.fault_area or '*'} → {self.department_id}"


# --- contact sheets (联络单) and the GM's findings decision ---------------------------------------


class ContactSheet(models.Model):
    """A request to a department (对策单位) to investigate a complaint, and its answer: facts
    found, root cause and its dimension, whether the dealer can solve it in-house; the
    department's countermeasure options point here (Option.contact_sheet)."""

    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.PROTECT,
        related_name="contact_sheets",
        db_index=False,  # contact_sheet_by_complaint
    )
    dealer = models.ForeignKey(
        Organization, verbose_name=_("dealer"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    department = models.ForeignKey(
        Organization,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # contact_sheet_open_department
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    question = models.TextField(_("what to investigate"))
    due_at = models.DateTimeField(_("answer due"))
    state = models.CharField(_("state"), max_length=12, choices=SheetState.choices, default=SheetState.SENT)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    # the department's answer
    facts = models.TextField(_("facts found"), blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    dimension = models.CharField(
        _("cause dimension"), max_length=16, choices=CauseDimension.choices, blank=True
    )
    in_house = models.BooleanField(_("the dealer can solve it in-house"), null=True, blank=True)
    supplier = models.CharField(_("supplier responsible"), max_length=120, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    rework_reason = models.TextField(_("reason for rework"), blank=True)

    class Meta:
        verbose_name = _("contact sheet")
        verbose_name_plural = _("contact sheets")
        ordering = ["sent_at", "pk"]
        indexes = [
            models.Index(fields=["complaint", "sent_at"], name="contact_sheet_by_complaint"),
            models.Index(
                fields=["department", "due_at"],
                name="contact_sheet_open_department",
                condition=Q(state__in=["sent", "rework"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.department_id} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in (SheetState.SENT, SheetState.REWORK)


class FindingsDecision(models.Model):
    """The general manager's decision on a complaint's findings, once: which sheet's finding
    stands and why (departments disagree, or a supplier is responsible)."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="findings_decision"
    )
    sheet = models.ForeignKey(
        ContactSheet, verbose_name=_("finding that stands"), on_delete=models.PROTECT, related_name="+"
    )
    basis = models.CharField(_("why the GM decides"), max_length=16, choices=FindingsBasis.choices)
    supplier = models.CharField(_("supplier responsible"), max_length=120, blank=True)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("findings decision")
        verbose_name_plural = _("findings decisions")

    def __str__(self) -> str:
        return f"{self.complaint_id}: sheet {self.sheet_id}"


# --- accountability: responsibility and penalty notices (奖罚通知单) ------------------------------


class Responsibility(models.Model):
    """Who is responsible for a complaint: a department and/or a person, a supplier (decided by
    the general manager), or nobody. Decided once per complaint."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="responsibility"
    )
    kind = models.CharField(_("responsible"), max_length=12, choices=ResponsibleKind.choices)
    department = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    supplier = models.CharField(_("supplier"), max_length=120, blank=True)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.kind}"


# Who sees every penalty notice of their dealer (the person concerned sees their own).
NOTICE_MANAGERS = frozenset({Role.SERVICE_MANAGER, Role.GENERAL_MANAGER})


class PenaltyNoticeQuerySet(models.QuerySet["PenaltyNotice"]):
    def visible_to(self, user: User) -> "PenaltyNoticeQuerySet":
        """The person concerned sees their own; the dealer's service and general managers see
        the dealer's; the administrator all. Nobody else (a region, the carmaker) sees any."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_kesu_admin:
            return self
        condition = Q(person_id=user.pk)
        dealer_id = user_dealer_id(user)
        if dealer_id is not None and user.role in NOTICE_MANAGERS:
            condition |= Q(dealer_id=dealer_id)
        return self.filter(condition)


class PenaltyNotice(models.Model):
    """A penalty (or reward) notice for a person over a complaint: amount proposed by the service
    manager, approved by the general manager, acknowledged by the person concerned."""

    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.PROTECT,
        related_name="penalty_notices",
        db_index=False,  # penalty_notice_by_complaint
    )
    dealer = models.ForeignKey(
        Organization, verbose_name=_("dealer"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person concerned"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # penalty_notice_person
    )
    department = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=8, choices=NoticeKind.choices, default=NoticeKind.PENALTY)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=10, decimal_places=2)
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=12, choices=NoticeState.choices, default=NoticeState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    objects = PenaltyNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("penalty notice")
        verbose_name_plural = _("penalty notices")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["complaint"], name="penalty_notice_by_complaint"),
            models.Index(fields=["person", "-proposed_at"], name="penalty_notice_person"),
            models.Index(fields=["dealer", "state", "-proposed_at"], name="penalty_notice_dealer"),
        ]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="penalty_notice_amount_ge_0")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.amount} → {self.person_id}"


# --- countermeasure options and agreements (R2) ---------------------------------------------------


class OptionQuerySet(models.QuerySet["Option"]):
    def visible_to(self, user: User) -> "OptionQuerySet":
        """The options of the complaints the user may see (organizations.scope decides)."""
        return self.filter(complaint__in=Complaint.objects.visible_to(user).values("pk"))


class Option(models.Model):
    """A countermeasure option (对策方案) for a complaint: remedies with amounts, a schedule, and
    the pros and cons as explained to the customer. Its texts are said to the customer (the
    forbidden-phrase guard checks them); ``total`` is the sum of its lines' amounts."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="options")
    # the department's contact sheet (联络单) it answers, if it came from one
    contact_sheet = models.ForeignKey(
        ContactSheet, on_delete=models.PROTECT, null=True, blank=True, related_name="options"
    )
    seq = models.PositiveIntegerField(_("number"))  # 方案一, 方案二 … per complaint
    title = models.CharField(_("title"), max_length=80, blank=True)
    schedule = models.TextField(_("schedule"))
    done_by = models.DateField(_("done by"), null=True, blank=True)
    pros = models.TextField(_("pros"), blank=True)
    cons = models.TextField(_("cons"), blank=True)
    total = models.DecimalField(_("total (CNY)"), max_digits=12, decimal_places=2)
    state = models.CharField(
        _("state"), max_length=20, choices=OptionState.choices, default=OptionState.DRAFT
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # who proposed it (or asked for its approval) and when; the approval request (kesu.approvals)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    proposed_at = models.DateTimeField(null=True, blank=True)
    approval_request_id = models.BigIntegerField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    # the root cause the proposer gave, kept for the proposal once the approval arrives
    root_cause = models.TextField(_("root cause"), blank=True)
    revises = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = OptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("countermeasure option")
        verbose_name_plural = _("countermeasure options")
        ordering = ("complaint_id", "seq")
        constraints = [
            models.UniqueConstraint(fields=("complaint", "seq"), name="option_seq_per_complaint"),
            models.CheckConstraint(condition=Q(total__gte=0), name="option_total_not_negative"),
        ]
        indexes = [models.Index(fields=("complaint", "state"), name="option_complaint_state")]

    def __str__(self) -> str:
        return self.title or f"方案{self.seq}"


class OptionLine(models.Model):
    """One remedy of an option and what it costs (CNY, 2 places, never negative)."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    remedy = models.CharField(_("remedy"), max_length=16, choices=Remedy.choices)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ("option_id", "position", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="option_line_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.get_remedy_display()} ¥{self.amount}"


class OptionAnswer(models.Model):
    """The customer's answer to a proposed option: agreed (who, when, how), rejected (why) or
    asked for time (until when). The same answer is recorded once per option; agreed and
    rejected are final."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="answers")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("answer"), max_length=16, choices=CustomerAnswer.choices)
    method = models.CharField(_("how"), max_length=12, choices=AgreementMethod.choices, blank=True)
    customer_name = NameField(_("answered by"), max_length=60)
    answered_at = models.DateTimeField(_("answered at"))
    reason = models.TextField(_("reason"), blank=True)
    call_note = models.TextField(_("call note"), blank=True)
    sms_text = models.TextField(_("SMS confirmation"), blank=True)
    until = models.DateField(_("answer expected by"), null=True, blank=True)
    signature_png = models.BinaryField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("option_id", "recorded_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=("option", "answer"), name="option_answer_once"),
            models.UniqueConstraint(
                fields=("option",),
                condition=Q(answer__in=("agreed", "rejected")),
                name="option_final_answer_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.option_id} {self.answer}"
