"""The click-and-collect checkout: contact, mode and slot (holds slot and stock) → summary → order.

Two pages instead of Oscar's five steps (no shipping address or method), each a
small view over ``marketplace.checkout.services``: the views do HTTP only (forms,
session, messages, redirects); ``checkout_complete`` authorises the card, places the
order and releases the card if placing fails.
"""
from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic
from oscar.apps.checkout.mixins import OrderPlacementMixin
from oscar.apps.checkout.session import CheckoutSessionMixin
from oscar.apps.checkout.views import ThankYouView as OscarThankYouView

from logistics.models import CollectionPoint
from logistics.delivery.selectors import booking_of_order
from logistics.selectors import basket_holds_valid
from marketplace.checkout import services
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.forms import ContactForm, shared_points
from marketplace.checkout.selectors import slot_days
from marketplace.checkout.services.delivery import delivery_held, total_with_fee, window_label
from marketplace.order.amounts import basket_amounts_get, line_discounts_prefetch, order_amounts_from_parts
from marketplace.order.models import FulfilmentMode, Line, ShopOrder
from marketplace.order.utils import OrderNumberGenerator
from marketplace.payments.checkout_step import SESSION_KEY as PAYMENT_ACTION_SESSION_KEY
from marketplace.payments.checkout_step import CardForm
from marketplace.payments.errors import PaymentActionRequired, PaymentError

NS = "halle"
STEP_URLS = {
    "basket": "basket:summary",
    "contact": "checkout:index",
    "slots": "checkout:index",
    "delivery": "checkout:delivery",
    "thank-you": "checkout:thank-you",
}


class CheckoutStepMixin(CheckoutSessionMixin):
    """Session data of this checkout (mode, point, phone; guest e-mail as Oscar keeps it)."""

    pre_conditions = ["check_basket_is_not_empty"]
    step = ""

    def dispatch(self, request, *args, **kwargs):
        # Read the basket's lines once: Oscar's emptiness checks then count them in memory.
        if request.basket.id is not None:
            list(request.basket.all_lines())
        return super().dispatch(request, *args, **kwargs)

    def saved(self, key, default=None):
        return self.checkout_session._get(NS, key, default)

    def save(self, **values) -> None:
        for key, value in values.items():
            self.checkout_session._set(NS, key, value)

    def contact_captured(self) -> bool:
        email_ok = self.request.user.is_authenticated or bool(self.checkout_session.get_guest_email())
        return email_ok and self.saved("mode") in FulfilmentMode.values

    def chosen_point(self) -> CollectionPoint | None:
        if self.saved("mode") != FulfilmentMode.AT_POINT:
            return None
        return services.collection_point_get(point_id=self.saved("point"))

    def go_back(self, error: CheckoutError):
        messages.error(self.request, error.message)
        return redirect(STEP_URLS.get(error.step, "checkout:index"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["step"] = self.step
        ctx["hold_minutes"] = services.hold_minutes()
        return ctx


class CollectView(CheckoutStepMixin, generic.TemplateView):
    """Step 1, one page: contact (e-mail for guests, phone), how to collect, and the slot.

    The slots shown follow the mode and point shown (``shown``): when the
    shopper changes them, the page is shown again with the matching slots
    ("Afficher les créneaux", clicked by a small script on change). Choosing a
    slot holds it and the basket's stock, then the summary follows.
    """

    template_name = "checkout/collect.html"
    step = "collect"

    def dispatch(self, request, *args, **kwargs):
        self.points = shared_points()  # read once: the form, the default and the lookup use it
        return super().dispatch(request, *args, **kwargs)

    def _default_point_id(self):
        from logistics.models import PointKind

        return next((p.pk for p in self.points if p.kind == PointKind.TOWN_POINT), None)

    def _selection(self, data=None) -> tuple[str, object]:
        """(mode, point id) to show slots for: posted, else saved, else everything at the town point."""
        if data is not None and data.get("mode") in FulfilmentMode.values:
            return data["mode"], data.get("point") or None
        mode = self.saved("mode")
        if mode in FulfilmentMode.values:
            return mode, self.saved("point")
        return FulfilmentMode.AT_POINT, self._default_point_id()

    def _page(self, form, mode, point_id, status=200, error=""):
        parts = services.basket_parts(basket=self.request.basket)
        offers = []
        point = None
        if mode == FulfilmentMode.AT_POINT and point_id:
            point = next((p for p in self.points if str(p.pk) == str(point_id)), None)
        if mode == FulfilmentMode.AT_SHOPS or point is not None:
            offers = services.checkout_slot_offers(parts=parts, mode=mode, point=point, now=timezone.now())
        return self.render_to_response(
            self.get_context_data(
                form=form, parts=parts, offers=_with_days(offers), error=error,
                shown=f"{mode}:{point.pk if point else ''}",
            ),
            status=status,
        )

    def _form(self, data=None, initial=None):
        return ContactForm(data, initial=initial, user=self.request.user, points=self.points)

    def get(self, request, *args, **kwargs):
        mode, point_id = self._selection()
        initial = {
            "email": self.checkout_session.get_guest_email(),
            "phone": self.saved("phone", ""),
            "mode": mode,
            "point": point_id,
        }
        try:
            return self._page(self._form(initial=initial), mode, point_id)
        except CheckoutError as error:
            return self.go_back(error)

    def post(self, request, *args, **kwargs):
        data = request.POST
        refresh = data.get("action") == "refresh"
        form = self._form(data)
        valid = form.is_valid()
        cleaned = form.cleaned_data
        if "email" in cleaned:
            self.checkout_session.set_guest_email(cleaned["email"])
        if "phone" in cleaned:
            self.save(phone=cleaned["phone"])
        if cleaned.get("mode"):
            point = cleaned.get("point")
            self.save(mode=cleaned["mode"], point=point.pk if point else None)
        if cleaned.get("mode") == FulfilmentMode.DELIVERY:  # its own step (checkout.delivery_views)
            return redirect("checkout:delivery")
        mode, point_id = self._selection({"mode": cleaned.get("mode"), "point": getattr(cleaned.get("point"), "pk", None)})
        try:
            if refresh:  # the shopper changed the mode or the point: show its slots, no error yet
                return self._page(self._form(initial={**data.dict(), "mode": mode, "point": point_id}), mode, point_id)
            if not valid:
                return self._page(form, mode, point_id)
            if data.get("shown") != f"{mode}:{point_id or ''}":
                messages.info(request, "Choisissez un créneau pour ce mode de retrait.")
                return self._page(form, mode, point_id)
            if mode == FulfilmentMode.AT_POINT:
                choices = {None: data.get("slot")}
            else:
                choices = {p.key: data.get(f"slot-{p.key}") for p in services.basket_parts(basket=request.basket)}
            try:
                services.checkout_hold(basket=request.basket, mode=mode, point=cleaned.get("point"), choices=choices)
            except CheckoutError as error:
                if error.step not in ("slots", "contact"):
                    raise
                messages.error(request, error.message)
                return self._page(form, mode, point_id, error=error.message)
        except CheckoutError as error:
            return self.go_back(error)
        return redirect("checkout:preview")


def _with_days(offers):
    """Each offer's slots grouped by day with their labels and radio buttons, computed once
    (not per template tag)."""
    for offer in offers:
        name = f"slot-{offer.key}" if offer.key else "slot"
        id_prefix = f"slot-{offer.key or 'all'}"
        offer.days = [(day, day.radios(name=name, id_prefix=id_prefix)) for day in slot_days(offer.slots)]
    return offers


class PreviewView(CheckoutStepMixin, OrderPlacementMixin, generic.TemplateView):
    """Step 3: the summary (shops, slots, total, hold deadline) and the "Commander" button."""

    template_name = "checkout/preview.html"
    step = "preview"

    def get(self, request, *args, **kwargs):
        if not self.contact_captured():
            return redirect("checkout:index")
        delivery = None
        if self.saved("mode") == FulfilmentMode.DELIVERY:  # the window held instead of slots
            delivery = delivery_held(basket_id=request.basket.pk, now=timezone.now())
            if delivery is None:
                messages.info(request, _("Choisissez votre fenêtre de livraison."))
                return redirect("checkout:delivery")
            holds = []
        else:
            holds = basket_holds_valid(basket_id=request.basket.pk, now=timezone.now())
            if not holds:
                messages.info(request, "Choisissez votre créneau de retrait.")
                return redirect("checkout:index")
        by_shop = {str(hold.shop_id or ""): hold for hold in holds}
        try:
            parts = services.basket_parts(basket=request.basket)
        except CheckoutError as error:
            return self.go_back(error)
        return self.render_to_response(self.get_context_data(
            parts=[(part, by_shop.get(part.key) or by_shop.get("")) for part in parts],
            holds=holds,
            delivery=delivery,
            delivery_window=window_label(delivery.window) if delivery else "",
            total_with_delivery=total_with_fee(services.basket_total(basket=request.basket), delivery.fee)
            if delivery else None,
            expires_at=delivery.expires_at if delivery else min(hold.expires_at for hold in holds),
            mode=self.saved("mode"),
            email=request.user.email if request.user.is_authenticated else self.checkout_session.get_guest_email(),
            phone=self.saved("phone", ""),
            total=services.basket_total(basket=request.basket),
            amounts=basket_amounts_get(basket=request.basket),
        ))

    def post(self, request, *args, **kwargs):
        """"Commander": the card form read, then ``checkout_complete``; its outcomes as pages."""
        if not self.contact_captured():
            return redirect("checkout:index")
        form = CardForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect("checkout:preview")
        basket = request.basket
        try:
            order = services.checkout_complete(
                basket=basket,
                shopper=request.user,
                mode=self.saved("mode"),
                point=self.chosen_point(),
                payment_method=form.cleaned_data["payment_method"],
                guest_email=self.checkout_session.get_guest_email() or "",
                phone=self.saved("phone", ""),
                request=request,
            )
        except CheckoutError as error:
            return self.go_back(error)
        except PaymentActionRequired:  # 3-D Secure: the bank's page, then back to the summary
            number = OrderNumberGenerator().order_number(basket)
            request.session[PAYMENT_ACTION_SESSION_KEY] = str(number)
            return redirect(reverse("payments:action", kwargs={"order_number": number}))
        except PaymentError as error:  # declined, a shop that cannot be paid, Stripe unreachable
            messages.error(request, str(error) or "Le paiement n'a pas abouti : réessayez.")
            return redirect("checkout:preview")
        return self.handle_successful_order(order)

    def send_order_placed_email(self, order):
        """Not from the request: ``order_place`` owes it to the notification outbox, sent after commit."""


class ThankYouView(OscarThankYouView):
    template_name = "checkout/thank_you.html"

    def get_object(self, queryset=None):
        order = super().get_object(queryset)
        if order is None:
            return None
        order.parts = list(
            ShopOrder.objects.filter(order=order)
            .select_related("shop", "slot", "collection_point")
            .prefetch_related(Prefetch("lines", queryset=Line.objects.order_by("pk").prefetch_related(
                line_discounts_prefetch())))
            .order_by("shop__name", "pk")
        )
        return order

    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        ctx["step"] = "done"
        order = ctx.get("order")
        if order is not None:  # the parts read above, with their lines and discounts: no query
            ctx["amounts"] = order_amounts_from_parts(order=order, parts=order.parts)
            if order.fulfilment_mode == FulfilmentMode.DELIVERY:
                ctx["delivery"] = booking_of_order(order=order)
                ctx["delivery_window"] = window_label(ctx["delivery"].window) if ctx["delivery"] else ""
        return ctx

