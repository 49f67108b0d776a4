"""Builders for payment tests: Oscar orders with lines from several shops, shops' accounts."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.utils import timezone
from django.db.models import F

from marketplace.order.models import Line, Order, OrderDiscount, OrderLineDiscount

from marketplace.payments.models import CommissionPlan, ShopPaymentAccount
from tests.factories.partner import StockRecordFactory
from tests.factories.shops import ShopFactory

_numbers = itertools.count(910_001)


@dataclass(frozen=True)
class LineSpec:
    """One order line: ``quantity`` units of a product sold by ``shop`` at ``unit_price``
    incl. VAT, with ``discount`` (incl. VAT, on the whole line) from an offer."""

    shop: object
    unit_price: Decimal | str
    quantity: int = 1
    discount: Decimal | str = "0"


def order_build(*, lines: list[LineSpec], shipping: Decimal | str = "0", number: str | None = None,
                offer_name: str = "Remise de la ville") -> Order:
    """A placed Oscar order as the checkout makes it (lines, discounts, totals)."""
    shipping = Decimal(shipping)
    order = Order.objects.create(
        number=number or str(next(_numbers)), currency="EUR", total_incl_tax=Decimal(0), total_excl_tax=Decimal(0),
        shipping_incl_tax=shipping, shipping_excl_tax=shipping, shipping_method="Retrait", status="Commandée",
        guest_email="client@halle.test", date_placed=timezone.now(),
    )
    total = shipping
    order_discount = None
    for spec in lines:
        unit = Decimal(spec.unit_price)
        before = unit * spec.quantity
        discount = Decimal(spec.discount)
        offer = StockRecordFactory(shop=spec.shop, price=unit)
        line = Line.objects.create(
            order=order, partner=spec.shop.partner, partner_name=spec.shop.name, partner_sku=offer.partner_sku,
            stockrecord=offer, product=offer.product, title=offer.product.title, quantity=spec.quantity,
            line_price_incl_tax=before - discount, line_price_excl_tax=before - discount,
            line_price_before_discounts_incl_tax=before, line_price_before_discounts_excl_tax=before,
            unit_price_incl_tax=unit, unit_price_excl_tax=unit, num_allocated=spec.quantity,
        )
        if discount:
            order_discount = order_discount or OrderDiscount.objects.create(
                order=order, offer_id=1, offer_name=offer_name, amount=Decimal(0)
            )
            order_discount.amount += discount
            order_discount.save()
            OrderLineDiscount.objects.create(line=line, order_discount=order_discount, is_incl_tax=True, amount=discount)
        total += before - discount
    order.total_incl_tax = order.total_excl_tax = total
    order.save()
    return order


def items_remove(order: Order, removals: dict[Line, int]) -> None:
    """Mark ``quantity`` more units of lines unavailable (as the merchant's workflow does)."""
    for line, quantity in removals.items():
        Line.objects.filter(pk=line.pk).update(quantity_unavailable=F("quantity_unavailable") + quantity)


class ShopPaymentAccountFactory(factory.django.DjangoModelFactory):
    """A shop's account as the database knows it (no Stripe object behind it)."""

    class Meta:
        model = ShopPaymentAccount

    shop = factory.SubFactory(ShopFactory)
    stripe_account_id = factory.Sequence(lambda n: f"acct_test{n:08d}")
    details_submitted = True
    transfers_active = True
    payouts_enabled = True


def plan(code: str) -> CommissionPlan:
    """One of the town's standard plans ("collectif" 5.5 %, "solo" 9 %)."""
    from marketplace.payments.selectors import commission_plan_default

    commission_plan_default()  # a transactional test may have flushed the migration's rows
    return CommissionPlan.objects.get(code=code)


def ledger_entries(*, shop, order_number: str, moves: dict[str, int], when=None):
    """Ledger rows of one order for ``shop`` (kind → cents), as a settled payment leaves them."""
    from marketplace.payments.models import LedgerEntry, Payment, PaymentStatus, StripeCall

    captured = moves.get("capture", 0)
    payment, _ = Payment.objects.get_or_create(
        order_number=order_number,
        defaults={"amount_cents": max(captured, 1), "status": PaymentStatus.CAPTURED, "intent_id": f"pi_{order_number}",
                  "amount_authorised_cents": captured, "amount_captured_cents": captured,
                  "amount_refunded_cents": moves.get("refund", 0)},
    )
    call = StripeCall.objects.create(payment=payment, operation=f"test-{shop.pk}",
                                     idempotency_key=f"test-{order_number}-{shop.pk}-{StripeCall.objects.count()}",
                                     status=StripeCall.Status.SUCCEEDED)
    rows = [LedgerEntry.objects.create(payment=payment, order_number=order_number, shop=shop, kind=kind,
                                       amount_cents=cents, call=call, stripe_id=f"x_{kind}")
            for kind, cents in moves.items()]
    if when is not None:
        LedgerEntry.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=when)
    return payment
