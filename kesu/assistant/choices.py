"""Stable string values of the AI assistant: what was asked for, how the call ended."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeKind(models.TextChoices):
    SUMMARY = "summary", _("Hand-over summary")
    DRAFT = "draft", _("Reply draft")


class ExchangeStatus(models.TextChoices):
    OK = "ok", _("Answered")
    # a reply draft the language guard found forbidden phrases in (shown with them marked)
    FLAGGED = "flagged", _("Answered, forbidden phrases found")
    TIMEOUT = "timeout", _("Timed out")
    ERROR = "error", _("Failed")


FAILED = frozenset({ExchangeStatus.TIMEOUT, ExchangeStatus.ERROR})
