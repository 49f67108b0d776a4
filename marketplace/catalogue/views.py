"""The product page: every shop's offer of one product, in a fixed number of queries."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from logistics.selectors import pickup_places_listed
from marketplace.catalogue.menu import product_category_trail
from marketplace.catalogue.selectors import (
    OFFER_PARAM,
    product_offer_chosen,
    product_offers_listed,
    product_page_queryset,
    product_page_signature,
    product_variants_prefetch,
)
from marketplace.catalogue.structured_data import product_json_ld
from marketplace.core import page_cache


class ProductDetailView(page_cache.WholePageCacheMixin, OscarProductDetailView):
    """Oscar's product page, fed by ``product_page_queryset``.

    The headline price, stock, « proposé par », the offer added to the basket and the
    first schema.org offer all follow one offer: the shop named in ``?commerce=`` when it
    sells the product, else the cheapest in stock (the other shops' offers follow it in
    the schema.org data).

    It sends no ``product_viewed`` signal: Oscar's receivers write a view counter
    (an UPDATE on the same row for every visit of a product) and a recently
    viewed cookie that no Halle page reads.

    Visitors without cookies get the page from ``page_cache`` when it is there, one
    cached page per chosen shop.
    """

    page_cache_params = (OFFER_PARAM,)
    chosen = None

    def page_signature(self):
        return product_page_signature(pk=self.kwargs["pk"])

    def page_still_cacheable(self) -> bool:
        # A shop the page did not recognise is rendered (with the default offer), never stored:
        # made-up values cannot fill the cache.
        asked = self.request.GET.get(OFFER_PARAM)
        return not asked or (self.chosen is not None and self.chosen.shop.slug == asked)

    def get_object(self, queryset=None):
        if not hasattr(self, "object"):
            self.at = timezone.now()
            self.object = get_object_or_404(product_page_queryset(at=self.at), pk=self.kwargs["pk"])
            if self.object.is_parent:
                product_variants_prefetch(product=self.object)
        return self.object

    def send_signal(self, request, response, product):
        pass

    def get_context_data(self, **kwargs):
        # Oscar's alert form and status are left out: Halle shows no stock alerts.
        product = self.object
        strategy = self.request.strategy
        ctx = super(OscarProductDetailView, self).get_context_data(**kwargs)
        offers = product_offers_listed(product=product, strategy=strategy, at=self.at)
        self.chosen = product_offer_chosen(
            offers=offers,
            shop_slug=self.request.GET.get(OFFER_PARAM),
            default_stockrecord=strategy.select_stockrecord(product) if offers else None,
        )
        if self.chosen is not None:
            session = self.chosen.info
        elif product.is_parent:
            session = strategy.fetch_for_parent(product)
        else:
            session = strategy.fetch_for_product(product)
        ctx.update(
            offers=offers,
            chosen=self.chosen,
            offers_available=any(offer.info.availability.is_available_to_buy for offer in offers),
            session=session,
            category_trail=product_category_trail(product_id=product.parent_id or product.pk),
        )
        image = product.primary_image()
        image_url = getattr(getattr(image, "original", None), "url", None) if getattr(image, "pk", None) else None
        ctx["share_image"] = self.request.build_absolute_uri(image_url) if image_url else None
        ctx["json_ld"] = self._json_ld(product, offers, image_url)
        return ctx

    def _json_ld(self, product, offers, image_url):
        chosen = self.chosen
        page_url = chosen.url if chosen is not None else product.get_absolute_url()
        counters, shared_points = pickup_places_listed(shop_ids=[offer.shop.pk for offer in offers]) if offers else ({}, [])
        return product_json_ld(
            product=product,
            offers=offers,
            chosen=chosen,
            page_url=self.request.build_absolute_uri(page_url),
            absolute=self.request.build_absolute_uri,
            image_url=self.request.build_absolute_uri(image_url) if image_url else None,
            counters=counters,
            shared_points=shared_points,
        )
