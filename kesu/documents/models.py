"""A dealer's letter template for the written answer, and every written answer sent."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint
from kesu.organizations.models import Organization

from .choices import AnswerChannel


class LetterTemplate(models.Model):
    """书面答复 template of one dealer, with placeholders in braces: {customer_name}, {number},
    {findings}, {plan}, {contact}… A dealer without one uses the default in ``services``."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("dealer"),
        on_delete=models.CASCADE,
        related_name="letter_template",
    )
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("letter text"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")

    def __str__(self) -> str:
        return self.title


class WrittenAnswer(models.Model):
    """The written answer (书面答复) as it was sent to the customer: it stops the 7-day clock."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="written_answers")
    channel = models.CharField(_("channel"), max_length=8, choices=AnswerChannel.choices)
    title = models.CharField(_("title"), max_length=80)
    text = models.TextField(_("text sent"))
    # where it went: the customer's mobile (masked), an email or a postal address; empty if handed over
    recipient = models.CharField(_("recipient"), max_length=300, blank=True)
    delivery_id = models.BigIntegerField(null=True, blank=True)  # notifications.Delivery (SMS, email)
    override_id = models.BigIntegerField(null=True, blank=True)  # language.GuardOverride, if any
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("written answer")
        verbose_name_plural = _("written answers")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["complaint", "sent_at"], name="written_answer_complaint")]

    def __str__(self) -> str:
        return f"written answer {self.pk} on {self.complaint_id}"
