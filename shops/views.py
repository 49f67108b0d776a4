"""The shoppers' side of shops: the directory and each shop's page."""
from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from marketplace.core.json_ld import json_ld_script
from shops import selectors
from shops.forms import ShopFilterForm
from shops.models import Shop
from shops.structured_data import shop_json_ld

PRODUCTS_PER_PAGE = 24


class ShopListView(TemplateView):
    """Every active shop, filtered by trade (?metier=) and open now (?ouvert=1)."""

    template_name = "shops/list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        at = timezone.now()
        form = ShopFilterForm(self.request.GET)
        form.is_valid()  # an invalid field is simply left out of cleaned_data
        trade = form.cleaned_data.get("metier") or None
        open_now = form.cleaned_data.get("ouvert", False)
        ctx.update(
            form=form,
            filter_errors=[error for errors in form.errors.values() for error in errors],
            shops=selectors.shop_directory_listed(at=at, trade=trade, open_now=open_now),
            trade=trade,
            open_now=open_now,
        )
        return ctx


class ShopDetailView(TemplateView):
    """A shop's page: who, where, when, and what it sells (24 products a page)."""

    template_name = "shops/detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        at = timezone.now()
        try:
            shop = selectors.shop_page_get(slug=kwargs["slug"], at=at)
        except Shop.DoesNotExist:
            raise Http404(_("Ce commerce n’existe pas ou n’est plus en ligne.")) from None
        paginator = Paginator(selectors.shop_products_listed(shop=shop), PRODUCTS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        tile_url = settings.HALLE_MAP_TILE_URL
        closures = selectors.shop_closures_upcoming(shop=shop, at=at)
        photos = list(shop.photos.all())
        ctx.update(
            shop=shop,
            is_open=selectors.shop_is_open(shop=shop, at=at),
            weekly_hours=selectors.shop_weekly_hours(shop=shop),
            today=timezone.localtime(at, timezone.get_default_timezone()).weekday(),
            closures=closures,
            photos=photos,
            json_ld=json_ld_script(shop_json_ld(
                shop=shop,
                url=self.request.build_absolute_uri(shop.get_absolute_url()),
                image_urls=[self.request.build_absolute_uri(photo.image.url) for photo in photos],
                closures=closures,
                at=at,
            )),
            paginator=paginator,
            page_obj=page,
            products=page.object_list,
            show_map=bool(tile_url) and shop.latitude is not None and shop.longitude is not None,
            map_tile_url=tile_url,
            map_attribution=settings.HALLE_MAP_ATTRIBUTION,
        )
        return ctx
