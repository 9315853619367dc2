from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarmakerConfig(AppConfig):
    name = "kesu.carmaker"
    label = "carmaker"
    verbose_name = _("Carmaker")
    # where the worklist opens this app's work items (kesu/worklist/links.py)
    work_item_urls = {"helprequest": "carmaker:help_requests"}
