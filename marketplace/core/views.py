from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import F
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
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
        # The shops the manager puts « à la une » (/gestion/contenu/) first, then by name.
        shops = list(shops_listed(at=at).order_by(F("featured__position").asc(nulls_last=True), "name", "pk")[:HOME_SHOPS])
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


def home_url_for(*, user) -> str:
    """Where a user starts after logging in: the town's staff in their space (/gestion/), a merchant in
    their shop's space, the collection point's staff at their counter, a shopper on the home page."""
    from logistics.pickup.selectors import points_of_staff
    from shops.selectors import shops_for_user

    if user.is_staff:
        return reverse("gestion:home")
    if shops_for_user(user=user).exists():
        return reverse("backoffice:home")
    if points_of_staff(user=user):
        return reverse("pickup:point-choose")
    return reverse("home")


@login_required
def after_login(request):
    """``LOGIN_REDIRECT_URL``: the login and registration forms come here when no ``next`` was
    given (a ``next`` still wins: Oscar's forms send the user there directly)."""
    return redirect(home_url_for(user=request.user))


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: the icon in static/."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


def french_prefix_dropped(request, rest: str):
    """French is the default language and has no prefix: /fr/… is the page without it (the
    query string kept; never another site, whatever follows the prefix)."""
    target = "/" + rest.lstrip("/\\")
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


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
