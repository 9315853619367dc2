"""System checks of kesu's own settings (``python -m kesu check --deploy``)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

# The key settings.py falls back to when KESU_SECRET_KEY is unset: public, in this repository.
DEFAULT_SECRET_KEY = "kesu-insecure-development-key-change-me-in-production"


@register(Tags.security, deploy=True)
def secret_key_is_not_the_default(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Django's own check (security.W009) passes the built-in key — it is long and varied — yet
    anyone can read it here and forge sessions and password-reset links with it. Outside the
    demo (``KESU_DEMO=1``) it is an error; settings.py refuses to start with it under
    ``KESU_HTTPS=1``."""
    if settings.SECRET_KEY != DEFAULT_SECRET_KEY or settings.KESU_DEMO:
        return []
    return [
        Error(
            "SECRET_KEY is kesu's built-in development key, which is public.",
            hint="Set KESU_SECRET_KEY to 50+ random characters (python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), or KESU_DEMO=1 for a demo installation.",
            id="kesu.E001",
        )
    ]
