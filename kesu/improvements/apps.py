from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementsConfig(AppConfig):
    name = "kesu.improvements"
    label = "improvements"
    verbose_name = _("Improvement actions and cases")
    # read by the monthly review pack (kesu/reports): last month's actions reviewed first
    review_pack_sections = [
        "kesu.improvements.review.last_month_actions",
        "kesu.improvements.review.this_month_actions",
    ]
