from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "kesu.followups"
    label = "followups"
    verbose_name = _("Followups")
    # where the worklist opens this app's work items (kesu/worklist/links.py)
    work_item_urls = {"followup": "followups:detail"}
