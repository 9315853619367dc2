"""The vocabulary of printed documents, as stable string values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerChannel(models.TextChoices):
    """How the written answer (书面答复) reached the customer."""

    PRINTED = "printed", _("Printed and handed over")
    SMS = "sms", _("SMS")
    POST = "post", _("Letter by post")
    EMAIL = "email", _("Email")


# Channels sent through the notification outbox; the others are recorded as done by hand.
OUTBOX_CHANNELS = frozenset({AnswerChannel.SMS, AnswerChannel.EMAIL})

# What a letter template may say in braces, filled from the complaint.
PLACEHOLDERS = (
    "customer_name",
    "number",
    "received_date",
    "date",
    "findings",
    "plan",
    "contact",
    "dealer",
)
