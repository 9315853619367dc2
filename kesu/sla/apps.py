from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "kesu.sla"
    label = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        """Edits of policies, calendars or the organisation tree clear this process's caches."""
        from django.db.models.signals import post_delete, post_save

        from kesu.organizations.models import Organization

        from .models import BusinessHours, CalendarOverride, SlaPolicy
        from .policies import forget_calendars

        def forget(**_kwargs: object) -> None:
            forget_calendars()

        for model in (SlaPolicy, BusinessHours, CalendarOverride, Organization):
            post_save.connect(forget, sender=model, weak=False, dispatch_uid=f"sla-forget-{model.__name__}")
            post_delete.connect(
                forget, sender=model, weak=False, dispatch_uid=f"sla-forget-del-{model.__name__}"
            )
