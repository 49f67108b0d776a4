from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopsConfig(AppConfig):
    name = "shops"
    verbose_name = _("Commerces")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from marketplace.core.registry import health_figure_register

        health_figure_register("shops", _shops_count)


def _shops_count() -> int:
    from shops.models import Shop

    return Shop.objects.count()
