from django.apps import AppConfig


class PickupConfig(AppConfig):
    name = "marketplace.pickup"
    label = "pickup"
    verbose_name = "Retraits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from marketplace.pickup import receivers  # noqa: F401 (connects the workflow receivers)
