"""Service language: forbidden phrases per organisation, overrides, standard replies, replies sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint
from kesu.organizations.models import Organization, User

from .access import viewable_org_ids
from .choices import (
    GuardContext,
    ObjectionContent,
    ObjectionNature,
    ReplyChannel,
    ReplyStatus,
    Situation,
)


class LanguageProfile(models.Model):
    """Per organisation: whether the seed lists were loaded, and a stamp that changes on every
    edit of the phrase list (the cache key of the compiled matcher in every process)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="language_profile"
    )
    stamp = models.CharField(max_length=32)
    phrases_seeded_at = models.DateTimeField(null=True, blank=True)
    replies_seeded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"language profile of {self.organization_id}"


class OrgScopedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User):  # type: ignore[no-untyped-def]
        ids = viewable_org_ids(user)
        return self if ids is None else self.filter(organization_id__in=ids)


class ForbiddenPhrase(models.Model):
    """服务忌语: a phrase never to say to a customer, with what to say instead (服务用语)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="forbidden_phrases",
    )
    phrase = models.CharField(_("forbidden phrase"), max_length=100)
    pattern = models.CharField(_("matching"), max_length=500, blank=True)
    exceptions = models.CharField(_("exceptions"), max_length=1000, blank=True)
    # The phrase's common paraphrases (跟/和, 还是/还, another ending), in the pattern language.
    variants = models.CharField(_("variants"), max_length=1000, blank=True)
    # Wordings that make a hit polite when they stand just before it (same sentence) or after it.
    polite_before = models.CharField(_("polite when preceded by"), max_length=1000, blank=True)
    polite_after = models.CharField(_("polite when followed by"), max_length=1000, blank=True)
    alternative = models.CharField(_("polite alternative"), max_length=300)
    situation = models.CharField(
        _("situation"), max_length=24, choices=Situation.choices, default=Situation.OTHER
    )
    is_active = models.BooleanField(_("active"), default=True)
    seed_key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("forbidden phrase")
        verbose_name_plural = _("forbidden phrases")
        ordering = ["organization_id", "situation", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "phrase"], name="forbidden_phrase_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.phrase


class GuardOverride(models.Model):
    """An agent sent a text the guard flagged, giving a reason. Counted in the monthly review."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="guard_overrides"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    context = models.CharField(max_length=16, choices=GuardContext.choices, default=GuardContext.OTHER)
    text_hash = models.CharField(max_length=64)
    excerpt = models.CharField(max_length=200)
    phrases = models.JSONField(default=list)
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "at"], name="guard_override_org_at"),
            models.Index(fields=["user", "at"], name="guard_override_user_at"),
        ]

    def __str__(self) -> str:
        return f"override by {self.user_id} at {self.at:%Y-%m-%d %H:%M}"


class ReplyTemplate(models.Model):
    """标准应答语: a reply for a situation or an objection, with placeholders."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="reply_templates",
    )
    title = models.CharField(_("title"), max_length=80)
    situation = models.CharField(
        _("situation"), max_length=24, choices=Situation.choices, default=Situation.OTHER
    )
    objection_nature = models.CharField(
        _("objection nature"), max_length=8, choices=ObjectionNature.choices, blank=True
    )
    objection_content = models.CharField(
        _("objection type"), max_length=16, choices=ObjectionContent.choices, blank=True
    )
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    usage_count = models.PositiveIntegerField(default=0)
    last_used_at = models.DateTimeField(null=True, blank=True)
    seed_key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard reply")
        verbose_name_plural = _("standard replies")
        ordering = ["organization_id", "situation", "title"]
        indexes = [
            models.Index(fields=["organization", "status"], name="reply_template_org_status"),
        ]

    def __str__(self) -> str:
        return self.title


class CustomerReply(models.Model):
    """A reply given to the customer from the complaint page (after the guard let it pass)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="customer_replies")
    # The organisation whose list and library applied (where its objections are counted).
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("reply"))
    channel = models.CharField(
        _("channel"), max_length=12, choices=ReplyChannel.choices, default=ReplyChannel.PHONE
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    template = models.ForeignKey(
        ReplyTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    objection_nature = models.CharField(max_length=8, choices=ObjectionNature.choices, blank=True)
    objection_content = models.CharField(max_length=16, choices=ObjectionContent.choices, blank=True)
    override = models.ForeignKey(
        GuardOverride, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["complaint", "sent_at"], name="customer_reply_complaint"),
            models.Index(
                fields=["organization", "objection_content"],
                name="customer_reply_objection",
                condition=~Q(objection_content=""),
            ),
        ]

    def __str__(self) -> str:
        return f"reply {self.pk} on {self.complaint_id}"
