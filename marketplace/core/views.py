from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import timezone, translation
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


def healthz(request):
    """Liveness for load balancers: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _failure_context() -> dict:
    return {"shop_name": settings.OSCAR_SHOP_NAME, "town_name": settings.HALLE_TOWN_NAME}


def _failure_page(template: str, status: int) -> HttpResponse:
    """A failure's page from ``halle/error_base.html``: no request context (no context
    processor, no database), in French whatever the visitor's language was set to."""
    with translation.override("fr"):
        return HttpResponse(loader.render_to_string(template, _failure_context()), status=status)


def server_error(request):
    """``handler500``: Django's renders ``500.html`` with an empty context; ours gives it the
    brand and the town (settings only)."""
    return _failure_page("500.html", 500)


def bad_request(request, exception):
    """``handler400`` (a malformed request, an unknown host)."""
    return _failure_page("400.html", 400)


def csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``: the French page, never Django's technical one (which names the
    reason and, with DEBUG, the settings to change)."""
    return _failure_page("403_csrf.html", 403)
