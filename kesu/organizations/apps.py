from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "kesu.organizations"
    label = "organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        """Saving or deleting an organisation clears this process's cached chains."""
        from django.db.models.signals import post_delete, post_save

        from .models import Organization
        from .tree import forget

        def forget_chains(**_kwargs: object) -> None:
            forget()

        post_save.connect(forget_chains, sender=Organization, weak=False, dispatch_uid="org-chains")
        post_delete.connect(forget_chains, sender=Organization, weak=False, dispatch_uid="org-chains-del")
