from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "kesu.approvals"
    label = "approvals"
    verbose_name = _("Approvals")
    # where the worklist opens this app's work items (kesu/worklist/links.py)
    work_item_urls = {"approvalstep": "approvals:inbox"}
