from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kesu.reports"
    label = "reports"
    verbose_name = _("Reports")
    # Sections of the monthly review pack this app contributes, in order. Any app may declare
    # its own list (dotted paths to ``(*, organization_ids, month) -> Section`` callables); the
    # pack reads them all from the AppConfigs (kesu/reports/sections.py), so no app imports another.
    review_pack_sections = [
        "kesu.reports.sections.statistics",
        "kesu.reports.sections.compliance",
        "kesu.reports.sections.recurring_problems",
        "kesu.reports.sections.departments",
        "kesu.reports.sections.serious_cases",
        "kesu.reports.sections.compensation",
        "kesu.reports.sections.penalty_notices",
        "kesu.reports.sections.guard_overrides",
        "kesu.reports.sections.call_audits",
    ]

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps facts in step with suggestions and vehicles)
