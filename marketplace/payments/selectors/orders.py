"""What each order was charged, for the manager's order pages (Oscar's dashboard, reports)."""
from __future__ import annotations

from django.db import models
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from marketplace.payments.models import (
    PaymentStatus,
)


class OrderPaymentState(models.TextChoices):
    """Where an order's card payment stands now, as the manager reads it."""

    NONE = "none", _("Sans paiement")
    PENDING = "pending", _("Paiement en attente")
    REQUIRES_ACTION = "requires_action", _("Confirmation bancaire attendue")
    FAILED = "failed", _("Paiement refusé")
    AUTHORISED = "authorised", _("Carte autorisée")
    RELEASED = "released", _("Autorisation libérée, rien débité")
    CAPTURED = "captured", _("Encaissée")
    PARTLY_REFUNDED = "partly_refunded", _("Partiellement remboursée")
    REFUNDED = "refunded", _("Remboursée")


def orders_with_payment(orders: QuerySet) -> QuerySet:
    """``orders`` annotated with their payment as it stands now, in the same query:
    ``paid_authorised_cents``, ``paid_charged_cents``, ``paid_refunded_cents``,
    ``paid_net_cents`` (charged − refunded: the order's money) and ``payment_state``
    (an ``OrderPaymentState``).

    The order's own ``total_incl_tax`` and ``status`` are what was authorised at checkout
    (« Carte autorisée »): items found missing, refunds and captures change the payment,
    which ``Payment`` records (a cache of the ledger written with it), not the order.
    """
    captured, refunded = F("payment__amount_captured_cents"), F("payment__amount_refunded_cents")
    state = Case(
        When(payment__isnull=True, then=Value(OrderPaymentState.NONE)),
        When(payment__status=PaymentStatus.CAPTURED, payment__amount_refunded_cents=0,
             then=Value(OrderPaymentState.CAPTURED)),
        When(payment__status=PaymentStatus.CAPTURED, payment__amount_refunded_cents__lt=captured,
             then=Value(OrderPaymentState.PARTLY_REFUNDED)),
        When(payment__status=PaymentStatus.CAPTURED, then=Value(OrderPaymentState.REFUNDED)),
        default=F("payment__status"),
        output_field=CharField(),
    )
    return orders.annotate(
        paid_authorised_cents=Coalesce(F("payment__amount_authorised_cents"), 0),
        paid_charged_cents=Coalesce(captured, 0),
        paid_refunded_cents=Coalesce(refunded, 0),
        paid_net_cents=Coalesce(captured, 0) - Coalesce(refunded, 0),
        payment_state=state,
    )


def orders_net_charged_cents(orders: QuerySet) -> int:
    """What ``orders`` were charged less what was refunded, in cents (one query)."""
    total = orders.aggregate(
        net=Sum(Coalesce(F("payment__amount_captured_cents"), 0) - Coalesce(F("payment__amount_refunded_cents"), 0))
    )["net"]
    return int(total or 0)


def orders_payment_states_count(orders: QuerySet) -> list[dict]:
    """How many of ``orders`` are in each payment state: [{"state", "label", "freq"}] (one query)."""
    rows = orders_with_payment(orders.order_by()).values("payment_state").annotate(freq=Count("pk"))
    counts = {row["payment_state"]: row["freq"] for row in rows}
    return [{"state": state, "label": label, "freq": counts[state]}
            for state, label in OrderPaymentState.choices if counts.get(state)]


def shop_town_discount_cents(*, order, shop_id: int) -> int:
    """What the town's promotions add to the shop's part of ``order`` now: the shopper pays
    less, the shop is paid on the price before them (``orders.shop_amounts``)."""
    from marketplace.payments.orders import shop_amounts

    amounts = shop_amounts(order).get(shop_id)
    return amounts.gross_cents - amounts.paid_cents if amounts is not None else 0
