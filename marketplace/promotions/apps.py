from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    """Town promotions: campaigns with a budget, funding of each discount euro, vouchers.

    Built on Oscar's offers (conditions, benefits, ranges, vouchers); Halle adds here what
    Oscar lacks: a hard budget in euros, who funds each discount, shops' opt-in, race-free
    voucher quotas and the public accountant's statement.
    """

    name = "marketplace.promotions"
    label = "promotions"
    verbose_name = _("Promotions")
    default_auto_field = "django.db.models.BigAutoField"
