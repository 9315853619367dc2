"""Administration: whether an organisation is still in use, and who changed what.

Organisations are never deleted (complaints, customers and clocks point at them): they are
deactivated, recorded here (no row: active)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.organizations.models import Organization

from .choices import AdminAction


class OrganizationState(models.Model):
    organization = models.OneToOneField(
        Organization, primary_key=True, on_delete=models.CASCADE, related_name="admin_state"
    )
    is_active = models.BooleanField(_("active"), default=True)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.organization_id} active={self.is_active}"


class AdminLogEntry(models.Model):
    """One change made through the administration pages or API (append-only)."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=24, choices=AdminAction.choices)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
