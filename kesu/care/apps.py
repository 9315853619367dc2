from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "kesu.care"
    label = "care"
    verbose_name = _("Care")
    work_item_urls = {"careitem": "care:item"}  # the worklist's care calls
