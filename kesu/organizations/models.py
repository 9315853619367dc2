"""Organisations (manufacturer → region → dealer → department), people and API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import OrgKind, Role


class Organization(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def dealer(self) -> "Organization | None":
        """The dealer this organisation belongs to (itself for a dealer)."""
        if self.kind == OrgKind.DEALER:
            return self
        if self.kind == OrgKind.DEPARTMENT:
            return self.parent
        return None


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.AGENT)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    agent_number = models.CharField(_("agent number"), max_length=16, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)  # for SMS alerts

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_kesu_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def user_for(self, raw: str) -> "User | None":
        """The active user of an unexpired token, with the organisation and its parent loaded
        (the scope needs both): one query.

        Not cached: a deactivated user or an expired token is refused on the next request, in
        every process, whichever way the row was changed (admin, a queryset ``update``)."""
        found = list(
            self.select_related("user__organization__parent").filter(
                key_hash=_hash_token(raw), expires_at__gt=timezone.now(), user__is_active=True
            )[:1]
        )
        return found[0].user if found else None


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored, so a database dump leaks no live tokens."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"token of {self.user_id} until {self.expires_at:%Y-%m-%d}"

    @classmethod
    def issue(cls, user: User) -> str:
        raw = secrets.token_urlsafe(32)
        ttl = timedelta(hours=settings.KESU_API_TOKEN_TTL_HOURS)
        cls.objects.create(user=user, key_hash=_hash_token(raw), expires_at=timezone.now() + ttl)
        return raw
