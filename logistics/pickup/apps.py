from django.apps import AppConfig


class PickupConfig(AppConfig):
    name = "logistics.pickup"
    label = "pickup"
    verbose_name = "Retraits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from logistics.pickup import receivers  # noqa: F401 (connects the workflow receivers)
