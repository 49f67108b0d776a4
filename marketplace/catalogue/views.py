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


class ProductDetailView(OscarProductDetailView):
    """Oscar's product page, fed by ``product_page_queryset``.

    It sends no ``product_viewed`` signal: Oscar's receivers write a view counter
    (an UPDATE on the same row for every visit of a product) and a recently
    viewed cookie that no Halle page reads.

    Visitors without cookies get the page from ``page_cache`` when it is there.
    """

    page_cache_key = None

    def get(self, request, *args, **kwargs):
        if page_cache.page_cache_applies(request):
            signature = product_page_signature(pk=self.kwargs["pk"])
            if signature is not None:
                self.page_cache_key = page_cache.page_cache_key(request=request, signature=signature)
                cached = page_cache.page_cached_response(request=request, key=self.page_cache_key)
                if cached is not None:
                    return cached
        response = super().get(request, *args, **kwargs)
        if self.page_cache_key and response.status_code == 200:
            # Stored once rendered, after the middleware had their say on the context.
            key = self.page_cache_key
            response.add_post_render_callback(
                lambda rendered: page_cache.page_cache_store(request=request, key=key, response=rendered)
            )
        return response

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
        if self.page_cache_key:
            ctx["csrf_token"] = page_cache.CSRF_MARKER  # the visitor's own token is put back on serving
        return ctx
