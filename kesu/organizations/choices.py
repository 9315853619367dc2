"""Kinds of organisation and the roles people play in them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    MANUFACTURER = "manufacturer", _("Manufacturer")
    REGION = "region", _("Region")
    DEALER = "dealer", _("Dealer")
    DEPARTMENT = "department", _("Department")


class Role(models.TextChoices):
    AGENT = "agent", _("Customer-service agent")
    SERVICE_MANAGER = "service_manager", _("Service manager")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    GENERAL_MANAGER = "general_manager", _("General manager")
    REGION_MANAGER = "region_manager", _("Region manager")
    CRC_AGENT = "crc_agent", _("Manufacturer CRC agent")
    PR = "pr", _("Public relations")
    QUALITY = "quality", _("Manufacturer quality engineer")
    ADMIN = "admin", _("Administrator")


DEALER_ROLES = frozenset({Role.AGENT, Role.SERVICE_MANAGER, Role.DEPARTMENT_STAFF, Role.GENERAL_MANAGER})
MANUFACTURER_ROLES = frozenset({Role.CRC_AGENT, Role.PR, Role.QUALITY})
