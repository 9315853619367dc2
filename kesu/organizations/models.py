"""Organisations (manufacturer → region → dealer → department), people and API tokens."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new password revokes the user's API tokens: whoever held the old password (and any
        token issued with it) is out, on the API as on the pages."""
        password_changed = getattr(self, "_password", None) is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            ApiToken.objects.filter(user_id=self.pk).delete()

    @property
    def is_kesu_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


TOKEN_GENERATION = "kesu:token-generation"


def _token_cache_key(key_hash: str, generation: int) -> str:
    return f"kesu:token:{generation}:{key_hash}"


def _token_generation() -> int:
    return cache.get_or_set(TOKEN_GENERATION, 0, timeout=None) or 0


def forget_token(key_hash: str) -> None:
    """Drop one token's cached lookup (it was revoked or changed)."""
    cache.delete(_token_cache_key(key_hash, _token_generation()))


def forget_tokens(*, user_id: int | None = None) -> None:
    """Drop cached token lookups: one user's (their row changed) or everyone's (an organisation
    moved, so scopes may have changed). With Redis as the cache every process forgets at once."""
    if user_id is None:
        try:
            cache.incr(TOKEN_GENERATION)
        except ValueError:  # not set yet: nothing is cached under a generation
            cache.set(TOKEN_GENERATION, 1, timeout=None)
        return
    generation = _token_generation()
    hashes = ApiToken.objects.filter(user_id=user_id).values_list("key_hash", flat=True)
    cache.delete_many([_token_cache_key(key_hash, generation) for key_hash in hashes])


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def user_for(self, raw: str) -> "User | None":
        """The active user of an unexpired token, with the organisation and its parent loaded
        (the scope needs both).

        Every API call asks this, so the answer is kept in Django's cache for
        ``KESU_TOKEN_CACHE_SECONDS``: saving a user or a token and saving or deleting an
        organisation forget it (in every process when the cache is Redis); the token's expiry is
        checked on every hit. A change that bypasses ``save()`` (a queryset ``update``) is seen
        within the cache time."""
        key_hash = _hash_token(raw)
        now = timezone.now()
        seconds = settings.KESU_TOKEN_CACHE_SECONDS
        key = _token_cache_key(key_hash, _token_generation()) if seconds > 0 else ""
        if key:
            hit = cache.get(key)
            if hit is not None:
                user, expires_at = hit
                return user if expires_at > now else None
        token = (
            self.select_related("user__organization__parent")
            .filter(key_hash=key_hash, expires_at__gt=now, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        if key:
            left = (token.expires_at - now).total_seconds()
            cache.set(key, (token.user, token.expires_at), timeout=max(1, min(seconds, int(left))))
        return token.user


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

    @classmethod
    def revoke(cls, raw: str) -> bool:
        """Delete the token (its cached lookup goes with it); False when it was unknown."""
        deleted, _ = cls.objects.filter(key_hash=_hash_token(raw)).delete()
        return deleted > 0

    @classmethod
    def revoke_all(cls, user: User) -> int:
        """Delete every token of the user: a logout, a new password, or ``{"all": true}``."""
        deleted, _ = cls.objects.filter(user_id=user.pk).delete()
        return deleted
