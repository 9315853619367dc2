from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "kesu.appointments"
    label = "appointments"
    verbose_name = _("Appointments")
    work_item_urls = {"appointment": "appointments:detail"}  # the worklist's confirmation calls
