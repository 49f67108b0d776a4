"""The delivery step: address → in-zone answer, fee, feasible windows → the window held.

HTTP only, over ``marketplace.checkout.services.delivery``. The address is kept in the
checkout session; « Vérifier l'adresse » shows the answer at once (the autocomplete's
choice submits it by itself), « Réserver cette livraison » holds the window and the stock
together and leads to the summary. ``address_suggest`` is the autocomplete's JSON.
"""
from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.http import require_GET

from logistics.geo import AddressProblem, geocoder
from marketplace.checkout.delivery_forms import DeliveryForm
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.services.delivery import (
    checkout_delivery_hold,
    delivery_quote,
    window_label,
)
from marketplace.checkout.views import CheckoutStepMixin
from marketplace.order.models import FulfilmentMode


class DeliveryView(CheckoutStepMixin, generic.TemplateView):
    template_name = "checkout/delivery.html"
    step = "collect"

    def _form(self, data=None, initial=None):
        return DeliveryForm(data, initial=initial, user=self.request.user)

    def _page(self, form, *, quote=None, error="", status=200, chosen=None):
        windows = [(w.pk, window_label(w), w.remaining) for w in quote.windows] if quote else []
        return self.render_to_response(self.get_context_data(
            form=form, quote=quote, windows=windows, error=error, chosen=str(chosen or ""),
        ), status=status)

    def get(self, request, *args, **kwargs):
        saved = self.saved("delivery") or _default_address(request.user)
        initial = {"email": self.checkout_session.get_guest_email(), "phone": self.saved("phone", ""), **saved}
        form = self._form(initial=initial)
        quote, error = None, ""
        if saved.get("street"):
            try:
                quote = delivery_quote(basket=request.basket, **saved)
            except CheckoutError as refused:
                if refused.step not in ("delivery", "slots"):
                    return self.go_back(refused)
                error = refused.message
        return self._page(form, quote=quote, error=error)

    def post(self, request, *args, **kwargs):
        form = self._form(request.POST)
        if not form.is_valid():
            return self._page(form, status=400)
        if "email" in form.cleaned_data:
            self.checkout_session.set_guest_email(form.cleaned_data["email"])
        address = form.address()
        self.save(phone=form.cleaned_data["phone"], delivery=address, mode=FulfilmentMode.DELIVERY, point=None)
        window = request.POST.get("window")
        try:
            if request.POST.get("action") != "hold":
                return self._page(form, quote=delivery_quote(basket=request.basket, **address))
            checkout_delivery_hold(basket=request.basket, window_id=window, **address)
        except CheckoutError as refused:
            if refused.step not in ("delivery", "slots"):
                return self.go_back(refused)
            quote = None
            try:
                quote = delivery_quote(basket=request.basket, **address)
            except CheckoutError:
                pass
            return self._page(form, quote=quote, error=refused.message, status=400, chosen=window)
        messages.success(request, _("Votre fenêtre de livraison et vos articles sont réservés."))
        return redirect("checkout:preview")


def _default_address(user) -> dict:
    """The signed-in shopper's default delivery address from their address book, as the form's fields."""
    if not user.is_authenticated:
        return {}
    from oscar.apps.address.models import UserAddress

    address = UserAddress.objects.filter(user=user).order_by("-is_default_for_shipping", "pk").first()
    if address is None:
        return {}
    return {"street": address.line1, "postcode": address.postcode, "town": address.line4,
            "complement": address.line2, "instructions": address.notes or ""}


@require_GET
def address_suggest(request):
    """``?q=…`` → up to 8 addresses of the local base (JSON), for the checkout's autocomplete."""
    query = (request.GET.get("q") or "")[:120]
    try:
        found = geocoder().suggest(query=query, limit=8)
    except AddressProblem as problem:
        return JsonResponse({"results": [], "error": problem.message})
    return JsonResponse({"results": [
        {"label": a.label, "street": a.street, "postcode": a.postcode, "town": a.town} for a in found
    ]})
