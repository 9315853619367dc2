from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "kesu.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        """Saving or deleting an organisation clears this process's cached chains."""
        from django.db.models.signals import post_delete, post_save

        from kesu.organizations.models import Organization

        from .orgs import forget

        def forget_chains(**_kwargs: object) -> None:
            forget()

        post_save.connect(forget_chains, sender=Organization, weak=False, dispatch_uid="insights-chains")
        post_delete.connect(
            forget_chains, sender=Organization, weak=False, dispatch_uid="insights-chains-del"
        )
