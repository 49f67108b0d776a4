from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "logistics.delivery"
    label = "delivery"
    verbose_name = _("Livraison à domicile")
    default_auto_field = "django.db.models.BigAutoField"
