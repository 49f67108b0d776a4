from django.db import connection
from django.http import JsonResponse
from django.views.generic import TemplateView

from marketplace.search.selectors import products_listed
from shops.selectors import shop_is_open, shops_listed

HOME_SHOPS = 12
HOME_PRODUCTS = 8


class HomeView(TemplateView):
    """The town's front page: its shops (open or closed now) and some products."""

    template_name = "halle/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        shops = list(shops_listed()[:HOME_SHOPS])
        ctx["shops"] = [(shop, shop_is_open(shop=shop)) for shop in shops]
        ctx["products"] = products_listed()[:HOME_PRODUCTS]
        return ctx


def healthz(request):
    """Liveness for load balancers: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
