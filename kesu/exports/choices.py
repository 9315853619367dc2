"""What can be exported, and in which format."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"


class ExportList(models.TextChoices):
    COMPLAINTS = "complaints", _("Complaint queue")
    CUSTOMERS = "customers", _("Customers")
