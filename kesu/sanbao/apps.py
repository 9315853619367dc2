from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanbaoConfig(AppConfig):
    name = "kesu.sanbao"
    label = "sanbao"
    verbose_name = _("Sanbao")
