"""Stable string values of the customers app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RevealChannel(models.TextChoices):
    """Where a full phone number was shown (the reveal log says so for the monthly review)."""

    WEB = "web", _("Web page")
    API = "api", _("API")
