"""Instructions from the carmaker, help between dealers, and PR's records on a crisis."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint
from kesu.organizations.models import Organization

from .choices import HelpKind, HelpStatus, InstructionState, StatementState, Tone, Urgency

_USER = settings.AUTH_USER_MODEL


class Instruction(models.Model):
    """What the carmaker tells the dealer to do on an escalated complaint, and by when."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="+", db_index=False)
    dealer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", db_index=False)
    author = models.ForeignKey(_USER, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("instruction"))
    due_at = models.DateTimeField(_("due by"))
    state = models.CharField(
        _("state"), max_length=12, choices=InstructionState.choices, default=InstructionState.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        indexes = [models.Index(fields=["complaint", "created_at"], name="instruction_by_complaint")]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.text[:40]}"


class HelpRequest(models.Model):
    """One dealer asks another for a part or a technician. The other dealer sees this row only —
    the vehicle model is copied here so it never needs the customer's file."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="+", db_index=False)
    from_dealer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", db_index=False)
    to_dealer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", db_index=False)
    requested_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of help"), max_length=12, choices=HelpKind.choices)
    what = models.TextField(_("what is needed"))
    part_number = models.CharField(_("part number"), max_length=40, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    vehicle_model = models.CharField(_("vehicle model"), max_length=60, blank=True)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    needed_by = models.DateTimeField(_("needed by"))
    status = models.CharField(_("status"), max_length=10, choices=HelpStatus.choices, default=HelpStatus.OPEN)
    reply = models.TextField(_("reply"), blank=True)
    answered_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        indexes = [
            models.Index(fields=["to_dealer", "-created_at"], name="help_incoming"),
            models.Index(fields=["from_dealer", "-created_at"], name="help_outgoing"),
            models.Index(fields=["complaint"], name="help_by_complaint"),
        ]

    def __str__(self) -> str:
        return f"{self.from_dealer_id} → {self.to_dealer_id}: {self.what[:40]}"


class PrTakeover(models.Model):
    """PR is in charge of this crisis complaint from now on."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="+")
    taken_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("PR take-over")
        verbose_name_plural = _("PR take-overs")

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.taken_by_id}"


class MediaMention(models.Model):
    """A report of the case in the media (the media log)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="+", db_index=False)
    outlet = models.CharField(_("outlet"), max_length=80)
    url = models.URLField(_("link"), max_length=500)
    published_at = models.DateTimeField(_("published at"))
    reach = models.PositiveBigIntegerField(_("estimated audience"))
    tone = models.CharField(_("tone"), max_length=8, choices=Tone.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("media report")
        verbose_name_plural = _("media reports")
        indexes = [models.Index(fields=["complaint", "published_at"], name="media_by_complaint")]

    def __str__(self) -> str:
        return f"{self.outlet} {self.url}"


class Statement(models.Model):
    """A public statement on the crisis: drafted, then approved by a PR lead (never its author)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="+", db_index=False)
    text = models.TextField(_("statement"))
    state = models.CharField(
        _("state"), max_length=10, choices=StatementState.choices, default=StatementState.DRAFT
    )
    author = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [models.Index(fields=["complaint", "created_at"], name="statement_by_complaint")]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.text[:40]}"


class IncidentReport(models.Model):
    """The same-day incident report (重大事故报告) for the carmaker: what the complaint does not
    record by itself (where and when it happened, injuries, damage, actions, next steps)."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("occurred at"))
    location = models.CharField(_("location"), max_length=200)
    injuries = models.TextField(_("injuries"))
    damage = models.TextField(_("damage"))
    actions_taken = models.TextField(_("actions taken"))
    next_steps = models.TextField(_("next steps"))
    written_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    first_written_at = models.DateTimeField()

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")

    def __str__(self) -> str:
        return f"重大事故报告 {self.complaint_id}"
