from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "kesu.ops"
    label = "ops"
