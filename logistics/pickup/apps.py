from django.apps import AppConfig


class PickupConfig(AppConfig):
    name = "logistics.pickup"
    label = "pickup"
    verbose_name = "Retraits"
    default_auto_field = "django.db.models.BigAutoField"
