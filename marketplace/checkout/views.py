"""The click-and-collect checkout: contact and mode → slot (holds slot and stock) → summary → order.

Three steps instead of Oscar's five (no shipping address or method), each a
small view over ``marketplace.checkout.services``. The payment is one method,
``PreviewView.handle_payment``: the payments module replaces its body.
"""
from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import generic
from oscar.apps.checkout.mixins import OrderPlacementMixin
from oscar.apps.checkout.session import CheckoutSessionMixin
from oscar.apps.checkout.views import ThankYouView as OscarThankYouView
from oscar.apps.payment.exceptions import PaymentError, UnableToTakePayment

from logistics.models import CollectionPoint, HoldStatus, SlotHold
from marketplace.checkout import services
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.forms import ContactForm
from marketplace.order.models import FulfilmentMode, ShopOrder
from marketplace.order.utils import OrderNumberGenerator

NS = "halle"
#: Order status while no payment module takes the payment at checkout.
AWAITING_PAYMENT = "Paiement à la collecte — en attente du module de paiement"
STEP_URLS = {
    "basket": "basket:summary",
    "contact": "checkout:index",
    "slots": "checkout:slots",
    "thank-you": "checkout:thank-you",
}


class CheckoutStepMixin(CheckoutSessionMixin):
    """Session data of this checkout (mode, point, phone; guest e-mail as Oscar keeps it)."""

    pre_conditions = ["check_basket_is_not_empty"]
    step = ""

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
        return redirect(STEP_URLS.get(error.step, "checkout:slots"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["step"] = self.step
        ctx["hold_minutes"] = services.hold_minutes()
        return ctx


class ContactView(CheckoutStepMixin, generic.FormView):
    """Step 1: e-mail (guests), phone, and how to collect (at each shop, or all at one point)."""

    template_name = "checkout/contact.html"
    form_class = ContactForm
    step = "contact"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        return {
            "email": self.checkout_session.get_guest_email(),
            "phone": self.saved("phone", ""),
            "mode": self.saved("mode"),
            "point": self.saved("point"),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        if "email" in data:
            self.checkout_session.set_guest_email(data["email"])
        self.save(mode=data["mode"], point=data["point"].pk if data["point"] else None, phone=data["phone"])
        return redirect("checkout:slots")


class SlotsView(CheckoutStepMixin, generic.TemplateView):
    """Step 2: the feasible slots; choosing one holds it and the basket's stock."""

    template_name = "checkout/slots.html"
    step = "slots"

    def _offers(self):
        parts = services.basket_parts(basket=self.request.basket)
        mode = self.saved("mode")
        return parts, services.checkout_slot_offers(
            parts=parts, mode=mode, point=self.chosen_point(), now=timezone.now()
        )

    def get(self, request, *args, **kwargs):
        if not self.contact_captured():
            messages.info(request, "Indiquez d'abord vos coordonnées et votre mode de retrait.")
            return redirect("checkout:index")
        try:
            parts, offers = self._offers()
        except CheckoutError as error:
            return self.go_back(error)
        return self.render_to_response(self.get_context_data(parts=parts, offers=offers))

    def post(self, request, *args, **kwargs):
        if not self.contact_captured():
            messages.info(request, "Indiquez d'abord vos coordonnées et votre mode de retrait.")
            return redirect("checkout:index")
        mode = self.saved("mode")
        try:
            point = self.chosen_point()
            if mode == FulfilmentMode.AT_POINT:
                choices = {None: request.POST.get("slot")}
            else:
                parts = services.basket_parts(basket=request.basket)
                choices = {p.key: request.POST.get(f"slot-{p.key}") for p in parts}
            services.checkout_hold(basket=request.basket, mode=mode, point=point, choices=choices)
        except CheckoutError as error:
            if error.step != "slots":
                return self.go_back(error)
            messages.error(request, error.message)
            try:
                parts, offers = self._offers()
            except CheckoutError as again:
                return self.go_back(again)
            return self.render_to_response(self.get_context_data(parts=parts, offers=offers, error=error.message))
        return redirect("checkout:preview")


def basket_holds(*, basket) -> list[SlotHold]:
    """The basket's slot holds still valid, with slot and point (one query)."""
    key = str(basket.pk)
    return list(
        SlotHold.objects.filter(Q(basket_id=key) | Q(basket_id__startswith=f"{key}:"), status=HoldStatus.HELD,
                                expires_at__gt=timezone.now())
        .select_related("slot__point", "compartment")
        .order_by("slot__starts_at", "pk")
    )


class PreviewView(CheckoutStepMixin, OrderPlacementMixin, generic.TemplateView):
    """Step 3: the summary (shops, slots, total, hold deadline) and the "Commander" button."""

    template_name = "checkout/preview.html"
    step = "preview"

    def get(self, request, *args, **kwargs):
        if not self.contact_captured():
            return redirect("checkout:index")
        holds = basket_holds(basket=request.basket)
        if not holds:
            messages.info(request, "Choisissez votre créneau de retrait.")
            return redirect("checkout:slots")
        by_shop = {hold.basket_id.partition(":")[2]: hold for hold in holds}
        try:
            parts = services.basket_parts(basket=request.basket)
        except CheckoutError as error:
            return self.go_back(error)
        return self.render_to_response(self.get_context_data(
            parts=[(part, by_shop.get(part.key) or by_shop.get("")) for part in parts],
            holds=holds,
            expires_at=min(hold.expires_at for hold in holds),
            mode=self.saved("mode"),
            email=request.user.email if request.user.is_authenticated else self.checkout_session.get_guest_email(),
            phone=self.saved("phone", ""),
            total=services.basket_total(basket=request.basket),
        ))

    def post(self, request, *args, **kwargs):
        if not self.contact_captured():
            return redirect("checkout:index")
        basket = request.basket
        try:
            point = self.chosen_point()
            number = OrderNumberGenerator().order_number(basket)
            total = services.basket_total(basket=basket)
            if not basket_holds(basket=basket):
                raise CheckoutError("Le créneau retenu a expiré : choisissez-en un autre.")
            try:
                self.handle_payment(number, total)
            except (UnableToTakePayment, PaymentError) as error:
                messages.error(request, str(error) or "Le paiement n'a pas abouti : réessayez.")
                return redirect("checkout:preview")
            order = services.order_place(
                basket=basket,
                user=request.user,
                mode=self.saved("mode"),
                point=point,
                guest_email=self.checkout_session.get_guest_email() or "",
                phone=self.saved("phone", ""),
                order_number=number,
                status=self.get_initial_order_status(basket),
                request=request,
                after_create=self.save_payment_details,
            )
        except CheckoutError as error:
            return self.go_back(error)
        return self.handle_successful_order(order)

    def handle_payment(self, order_number, total, **kwargs):
        """The payment step: the payments module replaces this body.

        Called once per "Commander", after the slot and stock holds were found
        valid (they keep both for ``HALLE_HOLD_MINUTES``) and before the order is
        written, outside any transaction (no row lock is held during a call to
        the payment provider). To refuse, raise ``UnableToTakePayment`` or
        ``PaymentError`` with a French message: nothing is written and the
        shopper stays on the summary with it. Record what was taken with
        ``self.add_payment_source`` / ``self.add_payment_event``: they are saved
        with the order, in its transaction. If ``order_place`` then refuses (a
        hold expired meanwhile), the authorisation must be cancelled.

        For now no payment is taken: the order is placed "paiement à la collecte
        — en attente du module de paiement" (``get_initial_order_status``).
        """

    def get_initial_order_status(self, basket):
        return AWAITING_PAYMENT

    def send_order_placed_email(self, order):
        """Not from the request: the notification outbox sends it after commit (on ``order_placed``)."""


class ThankYouView(OscarThankYouView):
    template_name = "checkout/thank_you.html"

    def get_object(self, queryset=None):
        order = super().get_object(queryset)
        if order is None:
            return None
        order.parts = list(
            ShopOrder.objects.filter(order=order)
            .select_related("shop", "slot", "collection_point")
            .prefetch_related("lines")
            .order_by("shop__name", "pk")
        )
        return order

    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        ctx["awaiting_payment"] = ctx["order"].status == AWAITING_PAYMENT
        ctx["step"] = "done"
        return ctx

