from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "kesu.calls"
    label = "calls"
    verbose_name = _("Calls")
    # where the worklist opens this app's work items (kesu/worklist/links.py)
    work_item_urls = {"call": "calls:call"}
