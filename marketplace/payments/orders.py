"""What an order is worth to each shop now: the one place payments read orders.

Oscar discounts. Oscar records each discount on the lines it reduced
(``OrderLineDiscount`` → ``OrderDiscount`` → offer or voucher); who funds each of them is
recorded at placement by ``marketplace.promotions`` (``LineDiscountFunding``: the town,
the shop, or a split by the campaign's percentage), which replaces the former global
``HALLE_DISCOUNT_FUNDER`` setting. A town-funded euro lowers what the shopper pays but
not the merchant's basis (``gross``): the town pays for it (the PROMOTION entry of that
shop), and when it is larger than the commission the town's share of that part is
negative. A shop-funded euro lowers both. A line discount without a funding row (an order
placed before the promotions app) is the town's, as the former default said. Shipping
and surcharges are the town's (``fee``).

Removed items and cancelled parts. The amounts are computed from the order's current
state (each line's ``quantity_unavailable``, each shop order's status), never from
the deltas an event carried, so reading twice, or in any order, gives the same result.
A line's value is prorated to the units kept from its total, rounded half up to the
cent, exactly as ``marketplace.order.services`` lowers the shop order's total.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .split import prorate_cents, to_cents


@dataclass(frozen=True)
class ShopAmounts:
    paid_cents: int  # what the shopper pays for this shop's lines still sold
    gross_cents: int  # the merchant's basis: paid + town-funded discounts on them


def _merchant_discount_cents(line) -> int:
    """Discounts on ``line`` its merchant funds, incl. VAT, in cents (``LineDiscountFunding``)."""
    return sum(funding.shop_cents for funding in line.discount_fundings.all())


def cancelled_shop_ids(order) -> set[int]:
    from marketplace.order.models import ShopOrderStatus

    return set(order.shop_orders.filter(status=ShopOrderStatus.CANCELLED).values_list("shop_id", flat=True))


def order_ready_to_capture(order) -> bool:
    """Every shop part accepted or settled (the order workflow stamps it once)."""
    return getattr(order, "ready_to_capture_at", None) is not None


def _lines(order):
    return order.lines.select_related("partner__shop").prefetch_related("discount_fundings")


def shop_amounts(order, *, current: bool = True) -> dict[int, ShopAmounts]:
    """Per shop id: what its lines are worth (``current``: after removed items and cancelled parts)."""
    cancelled = cancelled_shop_ids(order) if current else set()
    paid: dict[int, int] = defaultdict(int)
    gross: dict[int, int] = defaultdict(int)
    for line in _lines(order):
        shop = getattr(line.partner, "shop", None) if line.partner_id else None
        if shop is None:
            raise ValueError(f"La ligne {line.pk} de la commande {order.number} n'appartient à aucun commerce.")
        line_paid = to_cents(line.line_price_incl_tax)
        line_gross = to_cents(line.line_price_before_discounts_incl_tax) - _merchant_discount_cents(line)
        if not current:
            kept = line.quantity
        elif shop.pk in cancelled:
            kept = 0
        else:
            kept = line.quantity - line.quantity_unavailable
        paid[shop.pk] += prorate_cents(amount_cents=line_paid, kept=kept, total=line.quantity)
        gross[shop.pk] += prorate_cents(amount_cents=max(line_gross, line_paid), kept=kept, total=line.quantity)
    return {shop_id: ShopAmounts(paid_cents=paid[shop_id], gross_cents=gross[shop_id]) for shop_id in paid}


def fee_cents(order) -> int:
    """What the order charges beyond its lines (shipping, surcharges, the delivery fee): the town's.
    A delivery cancelled before dispatch (its booking released) no longer owes its fee."""
    from logistics.delivery.models import DeliveryBooking
    from logistics.models import HoldStatus

    lines = sum(to_cents(value) for value in order.lines.values_list("line_price_incl_tax", flat=True))
    released = DeliveryBooking.objects.filter(order_id=order.pk, status=HoldStatus.RELEASED).values_list(
        "fee", flat=True).first()
    return to_cents(order.total_incl_tax) - lines - (to_cents(released) if released else 0)
