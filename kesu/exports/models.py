"""Every export, written in the request that streams it: who, when, which list, which filters,
how many rows (counted while streaming, updated when the stream ends)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kesu.organizations.choices import Role
from kesu.organizations.models import User
from kesu.organizations.scope import user_dealer_id

from .choices import ExportFormat, ExportList


class ExportLogQuerySet(models.QuerySet["ExportLog"]):
    def visible_to(self, user: User) -> "ExportLogQuerySet":
        """The admin sees every export; a dealer's general manager those made by the people of
        that dealer (its desk and departments); everyone else only their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_kesu_admin:
            return self
        dealer_id = user_dealer_id(user)
        if user.role == Role.GENERAL_MANAGER and dealer_id is not None:
            return self.filter(Q(dealer_id=dealer_id) | Q(user=user))
        return self.filter(user=user)


class ExportLog(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("exported by"), on_delete=models.PROTECT, related_name="+"
    )
    # the exporter's dealer at the time (dealer-side users), for the general manager's view
    dealer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("exported at"), auto_now_add=True)
    list_name = models.CharField(_("list"), max_length=16, choices=ExportList.choices)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    full_phones = models.BooleanField(_("full phone numbers"), default=False)
    names_masked = models.BooleanField(_("names masked"), default=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ExportLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("export log")
        verbose_name_plural = _("export logs")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.list_name}.{self.format} {self.row_count}"

    @property
    def complete(self) -> bool:
        return self.finished_at is not None
