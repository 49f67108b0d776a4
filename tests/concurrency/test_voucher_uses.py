"""Shoppers racing for a voucher code's last uses on PostgreSQL (real threads)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from marketplace.basket.applicator import Applicator
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.services import checkout_hold, order_place
from marketplace.order.models import FulfilmentMode, Order
from marketplace.promotions.models import VoucherQuota, VoucherUse
from tests.concurrency.threads import run_together, unexpected
from tests.factories.promotions import campaign_made
from tests.factories.town import basket_of, town_built

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_shoppers_racing_a_code_with_ten_uses_get_exactly_ten():
    town = town_built(shops=1, stock=50, capacity=100, price=Decimal("20.00"))
    campaign = campaign_made(shops=town.shops, name="Code des commerçants", value="3.00", budget=None,
                             code="HALLE10", code_uses=10)
    voucher = campaign.offer.vouchers.get()
    baskets = [basket_of([(town.offers[0], 1)]) for _ in range(50)]
    for basket in baskets:
        basket.vouchers.add(voucher)
    slot = town.slot(town.point)

    def work(i):
        basket = baskets[i]
        Applicator().apply(basket, AnonymousUser())
        checkout_hold(basket=basket, mode=FulfilmentMode.AT_POINT, point=town.point, choices={None: slot.pk})
        return order_place(basket=basket, user=AnonymousUser(), mode=FulfilmentMode.AT_POINT, point=town.point,
                           guest_email=f"client{i}@example.test")

    results = run_together(50, work, at_once=25)

    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, CheckoutError)]
    assert len(orders) == 10, unexpected(results, Order, CheckoutError)
    assert len(refused) == 40
    assert {o.total_incl_tax for o in orders} == {Decimal("17.00")}
    assert {e.message for e in refused} == {
        "Le code « HALLE10 » a déjà servi autant de fois que prévu : retirez-le de votre panier."}
    assert VoucherQuota.objects.get(voucher=voucher).uses == 10
    assert VoucherUse.objects.count() == 10
    assert Order.objects.count() == 10
    print(f"\nvoucher race: 50 shoppers, code of 10 uses: {len(orders)} orders, {len(refused)} refused")
