from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "logistics.delivery"
    label = "delivery"
    verbose_name = _("Livraison à domicile")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from marketplace.town.navigation import Section, section_register

        section_register(Section("delivery", _("Livraison"), "delivery-manager:overview", ("delivery-manager",),
                                 order=42))
