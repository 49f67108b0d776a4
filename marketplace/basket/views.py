"""Basket views: adding keeps the offer the shopper picked."""
from django.contrib import messages
from oscar.apps.basket import views as oscar_views
from oscar.apps.basket.signals import basket_addition
from oscar.apps.basket.views import *  # noqa: F403
from oscar.core.loading import get_class
from oscar.core.utils import redirect_to_referrer

from marketplace.basket.forms import AddToBasketForm

BasketMessageGenerator = get_class("basket.utils", "BasketMessageGenerator")


class BasketAddView(oscar_views.BasketAddView):
    form_class = AddToBasketForm

    def form_invalid(self, form):
        # Oscar joins HTML-escaped error texts (an apostrophe shows as &#x27;):
        # keep the plain French messages; the template escapes them once.
        errors = " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
        messages.error(self.request, errors)
        return redirect_to_referrer(self.request, "basket:summary")

    def form_valid(self, form):
        offers_before = self.request.basket.applied_offers()
        self.line, self.line_created = self.request.basket.add_product(
            form.product,
            form.cleaned_data["quantity"],
            form.cleaned_options(),
            stockrecord=form.cleaned_data["stockrecord_obj"],
        )
        messages.success(self.request, self.get_success_message(form), extra_tags="safe noicon")
        BasketMessageGenerator().apply_messages(self.request, offers_before)
        basket_addition.send(sender=self, product=form.product, user=self.request.user, request=self.request)
        return oscar_views.FormView.form_valid(self, form)
