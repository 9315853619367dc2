"""What the administration log records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminAction(models.TextChoices):
    ORG_CREATED = "org_created", _("Organisation created")
    ORG_CHANGED = "org_changed", _("Organisation changed")
    ORG_DEACTIVATED = "org_deactivated", _("Organisation deactivated")
    ORG_REACTIVATED = "org_reactivated", _("Organisation reactivated")
    USER_CREATED = "user_created", _("User created")
    USER_CHANGED = "user_changed", _("User changed")
    USER_DEACTIVATED = "user_deactivated", _("User deactivated")
    USER_REACTIVATED = "user_reactivated", _("User reactivated")
    PASSWORD_RESET = "password_reset", _("Password reset")
    HOURS_CHANGED = "hours_changed", _("Business hours changed")
    ROBOT_ADDED = "robot_added", _("Group robot added")
    ROBOT_CHANGED = "robot_changed", _("Group robot switched on or off")
