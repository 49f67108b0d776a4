"""Checkout, forked from Oscar: click-and-collect with a slot, no shipping address.

Oscar's checkout walks shipping address → shipping method → payment → preview
and checks stock before allocating it. Halle's asks on one page for the contact,
how to collect and the slot, holds that feasible slot *and the basket's stock*
together (so the last units cannot be sold twice), then places the order
converting those holds in the same transaction. The URL names ``index``, ``preview`` and ``thank-you``
keep Oscar's meaning.
"""
from django.urls import path
from oscar.apps.checkout import apps


class CheckoutConfig(apps.CheckoutConfig):
    name = "marketplace.checkout"

    def ready(self):
        from marketplace.checkout import views

        self.index_view = views.CollectView
        self.preview_view = views.PreviewView
        self.thankyou_view = views.ThankYouView

    def get_urls(self):
        from marketplace.checkout import delivery_views

        urls = [
            path("", self.index_view.as_view(), name="index"),
            path("livraison/", delivery_views.DeliveryView.as_view(), name="delivery"),
            path("livraison/adresses/", delivery_views.address_suggest, name="delivery-addresses"),
            path("recapitulatif/", self.preview_view.as_view(), name="preview"),
            path("merci/", self.thankyou_view.as_view(), name="thank-you"),
        ]
        return self.post_process_urls(urls)
