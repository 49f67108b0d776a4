"""The town's front page (``/``) and where each person starts after logging in: the domains
meet here, above the ground floor (``marketplace.core`` imports none of them)."""
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from marketplace.core.json_ld import json_ld_script
from marketplace.town.selectors import events_upcoming, products_featured, promotions_current
from marketplace.town.selectors.content import town_page_published
from marketplace.town.structured_data import town_json_ld
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
        ctx["json_ld"] = json_ld_script(town_json_ld(
            home_url=self.request.build_absolute_uri(reverse("home")),
            search_url=self.request.build_absolute_uri(reverse("search:search")),
            town_page=town_page_published(),
        ))
        return ctx


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
