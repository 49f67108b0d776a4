"""The product page: every shop's offer of one product, in a fixed number of queries."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from marketplace.catalogue.menu import product_category_trail
from marketplace.catalogue.selectors import (
    product_offers_listed,
    product_page_queryset,
    product_page_signature,
    product_variants_prefetch,
)
from marketplace.core import page_cache


class ProductDetailView(page_cache.WholePageCacheMixin, OscarProductDetailView):
    """Oscar's product page, fed by ``product_page_queryset``.

    It sends no ``product_viewed`` signal: Oscar's receivers write a view counter
    (an UPDATE on the same row for every visit of a product) and a recently
    viewed cookie that no Halle page reads.

    Visitors without cookies get the page from ``page_cache`` when it is there.
    """

    def page_signature(self):
        return product_page_signature(pk=self.kwargs["pk"])

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
        ctx = super(OscarProductDetailView, self).get_context_data(**kwargs)
        ctx["offers"] = product_offers_listed(product=product, strategy=self.request.strategy, at=self.at)
        ctx["category_trail"] = product_category_trail(product_id=product.parent_id or product.pk)
        return ctx
