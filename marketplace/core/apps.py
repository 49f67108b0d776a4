from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "marketplace.core"
    label = "halle_core"
    default_auto_field = "django.db.models.BigAutoField"
