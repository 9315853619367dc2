"""The AI assistant's switch per organisation and the log of what was sent and returned."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.organizations.models import Organization, User
from kesu.organizations.scope import scope_for, user_dealer_id

from .choices import ExchangeKind, ExchangeStatus


class AssistantSetting(models.Model):
    """One dealer's switch: off until its manager turns it on (no row: off)."""

    organization = models.OneToOneField(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    enabled = models.BooleanField(_("AI assistant on"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("AI assistant setting")
        verbose_name_plural = _("AI assistant settings")

    def __str__(self) -> str:
        return f"assistant {'on' if self.enabled else 'off'} for {self.organization_id}"


class ExchangeQuerySet(models.QuerySet["AssistantExchange"]):
    def visible_to(self, user: User) -> "ExchangeQuerySet":
        """Administrators: all; a dealer's people: their dealer's; nobody else."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_kesu_admin or scope_for(user).everything:
            return self
        dealer_id = user_dealer_id(user)
        return self.filter(organization_id=dealer_id) if dealer_id is not None else self.none()


class AssistantExchange(models.Model):
    """One request to the language model and its answer, as sent (masked) and received.

    Append-only; points at its complaint without a database constraint, like the timeline.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=ExchangeKind.choices)
    attempt = models.PositiveSmallIntegerField(default=1)  # 2: a draft asked again without the phrases
    status = models.CharField(_("status"), max_length=8, choices=ExchangeStatus.choices)
    model = models.CharField(_("model"), max_length=120, blank=True)
    request = models.JSONField(_("request sent (masked)"), default=dict)
    response = models.TextField(_("answer received"), blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    guard_phrases = models.JSONField(default=list, blank=True)  # forbidden phrases in a draft
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), default=0)
    at = models.DateTimeField(default=timezone.now)

    objects = ExchangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("AI assistant exchange")
        verbose_name_plural = _("AI assistant exchanges")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "at"], name="assistant_exchange_org_at"),
            models.Index(fields=["complaint", "at"], name="assistant_exchange_complaint"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} on {self.complaint_id}"
