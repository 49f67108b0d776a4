"""The town's front page (``/``): the domains meet here, above the ground floor."""
from django.utils import timezone
from django.views.generic import TemplateView

from marketplace.town.selectors import events_upcoming, products_featured, promotions_current
from shops.selectors import shop_is_open, shops_listed

HOME_SHOPS = 12
HOME_PRODUCTS = 8


class HomeView(TemplateView):
    """The town's front page: its shops (open or closed now), the town's current
    promotions and events, featured products, the search box."""

    template_name = "halle/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        at = timezone.now()
        shops = list(shops_listed(at=at)[:HOME_SHOPS])
        ctx["shops"] = [(shop, shop_is_open(shop=shop, at=at)) for shop in shops]
        ctx["products"] = products_featured(limit=HOME_PRODUCTS)
        ctx["events"] = events_upcoming(at=at)
        ctx["promotions"] = promotions_current()
        return ctx
