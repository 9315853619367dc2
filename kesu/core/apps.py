from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kesu.core"
    label = "core"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers kesu's system checks)
