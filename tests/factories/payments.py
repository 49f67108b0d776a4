"""Builders for payment tests: Oscar orders with lines from several shops, shops' accounts."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.db.models import F
from oscar.apps.offer.models import Benefit, Condition, ConditionalOffer

from marketplace.order.models import Line, Order
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


def order_build(*, lines: list[LineSpec], shipping: Decimal | str = "0",
                offer_name: str = "Remise de la ville", funder: str = "town") -> Order:
    """A placed order with these lines, through the checkout's services (``order_placed``).

    A line's ``discount`` is a real town offer (``offer_name``) on that line's product only,
    applied to the basket as every page applies site offers. ``shipping``: a fee the town
    keeps on top of the lines — click-and-collect charges none yet (home delivery will), so
    it is added to the placed order's totals afterwards. ``funder``: "town" (an offer
    without a campaign, the town's) or "shop" (the shop's own offer, a shop-funded campaign).
    """
    from tests.factories.offer import BenefitFactory, ConditionalOfferFactory, ConditionFactory, RangeFactory
    from tests.factories.orders import order_placed

    items = []
    for spec in lines:
        offer = StockRecordFactory(shop=spec.shop, price=Decimal(spec.unit_price), num_in_stock=max(10, spec.quantity))
        if Decimal(spec.discount):
            only_this = RangeFactory(products=[offer.product])
            town_offer = ConditionalOfferFactory(
                name=offer_name if not ConditionalOffer.objects.filter(name=offer_name).exists()
                else f"{offer_name} ({next(_numbers)})",
                max_basket_applications=1,
                condition=ConditionFactory(type=Condition.COUNT, value=1, range=only_this),
                benefit=BenefitFactory(type=Benefit.FIXED, value=Decimal(spec.discount), range=only_this),
            )
            if funder == "shop":
                from marketplace.promotions.models import Campaign, Funder

                Campaign.objects.create(offer=town_offer, funder=Funder.SHOP, town_share_percent=0,
                                        owner_shop=spec.shop)
        items.append((offer, spec.quantity))
    order = order_placed(items=items, guest_email="client@halle.test")
    assert order.total_incl_tax == sum(
        (Decimal(spec.unit_price) * spec.quantity - Decimal(spec.discount) for spec in lines), Decimal(0)
    ), "the town's offers did not give the discounts asked for"
    shipping = Decimal(shipping)
    if shipping:
        Order.objects.filter(pk=order.pk).update(
            shipping_incl_tax=shipping, shipping_excl_tax=shipping,
            total_incl_tax=F("total_incl_tax") + shipping, total_excl_tax=F("total_excl_tax") + shipping,
        )
    return Order.objects.get(pk=order.pk)


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
