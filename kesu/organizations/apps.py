from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "kesu.organizations"
    label = "organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        """Saving or deleting an organisation clears this process's cached chains and every
        cached token lookup; saving a user clears that user's, a token its own; logging out revokes
        the user's tokens."""
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_delete, post_save

        from .models import ApiToken, Organization, User, forget_token, forget_tokens
        from .tree import forget

        def forget_chains(**_kwargs: object) -> None:
            forget()
            forget_tokens()

        def forget_user_tokens(instance: User | ApiToken, **kwargs: object) -> None:
            if kwargs.get("update_fields") == frozenset({"last_login"}):
                return  # a login changes nothing a token lookup answers: no query on every login
            if isinstance(instance, ApiToken):  # deleted: its hash is no longer found by user
                forget_token(instance.key_hash)
            else:
                forget_tokens(user_id=instance.pk)

        def revoke_on_logout(user: User | None, **_kwargs: object) -> None:
            """Logging out of the pages ends the user's API tokens too (issue 16)."""
            if user is not None and user.pk is not None:
                ApiToken.revoke_all(user)

        user_logged_out.connect(revoke_on_logout, weak=False, dispatch_uid="tokens-logout")

        for model in (User, ApiToken):
            post_save.connect(
                forget_user_tokens, sender=model, weak=False, dispatch_uid=f"tokens-{model.__name__}"
            )
            post_delete.connect(
                forget_user_tokens, sender=model, weak=False, dispatch_uid=f"tokens-del-{model.__name__}"
            )

        post_save.connect(forget_chains, sender=Organization, weak=False, dispatch_uid="org-chains")
        post_delete.connect(forget_chains, sender=Organization, weak=False, dispatch_uid="org-chains-del")
