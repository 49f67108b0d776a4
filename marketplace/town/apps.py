from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TownConfig(AppConfig):
    name = "marketplace.town"
    label = "town"
    verbose_name = _("Vie du centre-ville")
    default_auto_field = "django.db.models.BigAutoField"
