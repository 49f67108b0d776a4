"""Completing a checkout: authorise the card, place the order, release the card if placing fails.

The one sequence every checkout runs — the summary page's "Commander", the tests, the
benchmark, and next the delivery checkout. The view only turns the outcomes into pages.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from logistics.models import CollectionPoint
from logistics.selectors import basket_holds_valid
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.services.basket import basket_parts, basket_total
from marketplace.checkout.services.delivery import delivery_held, total_with_fee
from marketplace.checkout.services.placement import order_place
from marketplace.order.models import FulfilmentMode, Order
from marketplace.order.utils import OrderNumberGenerator
from marketplace.payments.checkout_step import order_payment_records_save
from marketplace.payments.services import payment_authorise, payment_release_unplaced

#: Order status once placed: the card holds the total, captured when the shops confirm.
CARD_AUTHORISED = "Carte autorisée"
HOLD_EXPIRED = "Le créneau retenu a expiré : choisissez-en un autre."
DELIVERY_EXPIRED = "La fenêtre de livraison retenue a expiré : choisissez-en une autre."


def checkout_complete(
    *,
    basket,
    shopper,
    mode: str,
    point: CollectionPoint | None,
    payment_method: str,
    guest_email: str = "",
    phone: str = "",
    request=None,
    now: dt.datetime | None = None,
) -> Order:
    """Pay for and place the order of ``basket``, whose slot and stock are held.

    The total is authorised on ``payment_method`` under the basket's order number
    (outside any transaction: a second click finds the card already authorised), then
    the order is placed with the payment's records in its transaction. If it cannot be
    placed, the authorisation is released at once (else by the hourly sweep).

    Raises ``CheckoutError`` (the step to go back to; nothing placed, nothing held on
    the card) or the payment's errors: ``PaymentActionRequired`` (3-D Secure: the
    shopper confirms at the bank, then completes again), ``PaymentDeclined``,
    ``ShopsCannotReceivePayments``, ``PaymentUnavailable`` (retry: same idempotency
    key) or ``PaymentError``.
    """
    now = now or timezone.now()
    parts = basket_parts(basket=basket)
    total = basket_total(basket=basket)
    if mode == FulfilmentMode.DELIVERY:  # the window held instead of a slot; the fee is charged too
        delivery = delivery_held(basket_id=basket.pk, now=now)
        if delivery is None:
            raise CheckoutError(DELIVERY_EXPIRED, step="delivery")
        total = total_with_fee(total, delivery.fee)
    elif not basket_holds_valid(basket_id=basket.pk, now=now):
        raise CheckoutError(HOLD_EXPIRED)
    number = str(OrderNumberGenerator().order_number(basket))
    payment = payment_authorise(
        order_number=number, amount=Decimal(total.incl_tax), shop_ids={part.shop.pk for part in parts},
        payment_method=payment_method, currency=(basket.currency or "EUR").lower(),
    )
    try:
        return order_place(
            basket=basket, user=shopper, mode=mode, point=point, guest_email=guest_email, phone=phone,
            order_number=number, status=CARD_AUTHORISED, request=request, now=now,
            after_create=lambda order: order_payment_records_save(order=order, payment=payment),
        )
    except CheckoutError:
        payment_release_unplaced(order_number=number)  # no order: the card's hold goes
        raise
