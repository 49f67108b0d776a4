"""Basket views: adding keeps the offer the shopper picked."""
from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import ngettext
from oscar.apps.basket import views as oscar_views
from oscar.apps.basket.utils import BasketMessageGenerator
from oscar.apps.basket.views import *  # noqa: F403
from oscar.core.utils import redirect_to_referrer

from marketplace.basket.forms import AddToBasketForm
from marketplace.basket.selectors import basket_add_signatures, basket_page_signature, product_for_basket
from marketplace.basket.services import BasketAddition, basket_line_add
from marketplace.catalogue.models import ProductImage
from marketplace.core import page_cache

class OfferMessages(BasketMessageGenerator):
    """Oscar's messages on offers gained or lost (the new total shows in the mini-basket)."""

    def get_new_total_messages(self, basket, include_buttons=True):
        return []

    def add_messages(self, request, addition: BasketAddition) -> None:
        for level, message in self.get_messages(request.basket, addition.offers_before, addition.offers_after):
            messages.add_message(request, level, message, extra_tags="safe noicon")


class BasketView(page_cache.WholePageCacheMixin, oscar_views.BasketView):
    """Oscar's basket page; the lines' pictures in one query, the offers found once.

    A guest without a session gets it from ``page_cache`` when it is there.
    """

    page_cache_with_basket = True

    def page_signature(self):
        self.guest_basket_id = page_cache.guest_basket_id(self.request)
        return basket_page_signature(basket_id=self.guest_basket_id) if self.guest_basket_id else None

    def page_still_cacheable(self):
        # The basket the page shows is the one the signature was read for.
        return self.request.basket.id == self.guest_basket_id

    def get_queryset(self):
        lines = self.request.basket.all_lines()
        prefetch_related_objects(list(lines), Prefetch("product__images", queryset=ProductImage.objects.order_by("display_order", "pk")))
        return lines

    def get_upsell_messages(self, basket):
        offers = getattr(self.request, "basket_offers", None)
        if offers is None:
            return super().get_upsell_messages(basket)
        applied = list(basket.offer_applications.offers.values())
        return [
            {"message": offer.get_upsell_message(basket), "offer": offer}
            for offer in offers
            if offer.is_condition_partially_satisfied(basket) and offer not in applied
        ]


class BasketAddView(oscar_views.BasketAddView):
    form_class = AddToBasketForm

    def post(self, request, *args, **kwargs):
        # The product and the site offers, read from the cache against their rows' digests.
        product_signature, self.site_offers_signature = basket_add_signatures(product_id=kwargs["pk"])
        self.product = product_for_basket(pk=kwargs["pk"], signature=product_signature)
        return oscar_views.FormView.post(self, request, *args, **kwargs)

    def form_invalid(self, form):
        # Oscar joins HTML-escaped error texts (an apostrophe shows as &#x27;):
        # keep the plain French messages; the template escapes them once.
        errors = " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
        messages.error(self.request, errors)
        return redirect_to_referrer(self.request, "basket:summary")

    def form_valid(self, form):
        request = self.request
        addition = basket_line_add(
            basket=request.basket, product=form.product, stockrecord=form.cleaned_data["stockrecord_obj"],
            quantity=form.cleaned_data["quantity"], options=form.cleaned_options(), user=request.user,
            request=request, site_offers_signature=self.site_offers_signature,
        )
        self.line, self.line_created = addition.line, addition.line_created
        messages.success(request, self.get_success_message(form))
        OfferMessages().add_messages(request, addition)
        return oscar_views.FormView.form_valid(self, form)

    def get_success_message(self, form):
        quantity = form.cleaned_data["quantity"]
        shop = form.cleaned_data["stockrecord_obj"].partner.shop
        return ngettext(
            "« %(title)s » (%(shop)s) a été ajouté à votre panier.",
            "%(quantity)d × « %(title)s » (%(shop)s) ont été ajoutés à votre panier.",
            quantity,
        ) % {"title": form.product.get_title(), "shop": shop.name, "quantity": quantity}
