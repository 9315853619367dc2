from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "kesu.organizations"
    label = "organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        """Saving or deleting an organisation clears this process's cached chains and every
        cached token lookup; saving a user or a token clears that user's."""
        from django.db.models.signals import post_delete, post_save

        from .models import ApiToken, Organization, User, forget_tokens
        from .tree import forget

        def forget_chains(**_kwargs: object) -> None:
            forget()
            forget_tokens()

        def forget_user_tokens(instance: User | ApiToken, **kwargs: object) -> None:
            if kwargs.get("update_fields") == frozenset({"last_login"}):
                return  # a login changes nothing a token lookup answers: no query on every login
            forget_tokens(user_id=instance.pk if isinstance(instance, User) else instance.user_id)

        for model in (User, ApiToken):
            post_save.connect(
                forget_user_tokens, sender=model, weak=False, dispatch_uid=f"tokens-{model.__name__}"
            )
            post_delete.connect(
                forget_user_tokens, sender=model, weak=False, dispatch_uid=f"tokens-del-{model.__name__}"
            )

        post_save.connect(forget_chains, sender=Organization, weak=False, dispatch_uid="org-chains")
        post_delete.connect(forget_chains, sender=Organization, weak=False, dispatch_uid="org-chains-del")
