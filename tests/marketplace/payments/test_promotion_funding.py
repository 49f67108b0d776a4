"""Who pays each discount euro, through the ledger: town-funded, shop-funded, split; refunds
give the campaign its budget back; the campaign's statement equals the ledger to the cent.

The payments conftest checks after each test that every order's ledger balances and matches
the local Stripe server.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.payments import selectors, services
from marketplace.payments.models import EntryKind, LedgerEntry, Payment
from marketplace.promotions.models import CampaignBudget, Funder, LineDiscountFunding
from marketplace.promotions.selectors import campaign_statement, month_bounds
from tests.factories.orders import order_placed
from tests.factories.partner import StockRecordFactory
from tests.factories.promotions import campaign_made
from tests.marketplace.payments.helpers import connected_shop

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_local")]


def paid(items):
    order = order_placed(items=items, guest_email="client@halle.test")
    services.payment_authorise(order_number=order.number, amount=order.total_incl_tax,
                               shop_ids={o.partner.shop.pk for o, _ in items}, payment_method="pm_card_visa")
    services.payment_attach_order(order=order)
    return order, Payment.objects.get(order=order)


def of(payment, shop, kind) -> int:
    return selectors.payment_balance(payment=payment).of(shop.pk, kind)


@pytest.fixture
def shops():
    return connected_shop(name="Boulangerie Muller"), connected_shop(name="Fromagerie Dubois")


def test_a_town_funded_campaign_pays_the_shop_on_the_undiscounted_price(shops):
    bakery, _ = shops
    campaign_made(shops=[bakery], value="5.00", minimum="20.00", budget="100.00")
    order, payment = paid([(StockRecordFactory(shop=bakery, price=Decimal("20.00")), 1)])
    assert order.total_incl_tax == Decimal("15.00")
    services.payment_ready_mark(order=order)
    payment = services.payment_settle(payment_id=payment.pk)
    # 5.5 % of 2000 = 110; the shop gets 1890 as if nothing were discounted; the town pays 500.
    assert of(payment, bakery, EntryKind.TRANSFER) == 1890
    assert of(payment, bakery, EntryKind.PROMOTION) == -500
    assert LineDiscountFunding.objects.get().town_cents == 500


def test_a_shop_funded_campaign_lowers_the_shops_share(shops):
    bakery, _ = shops
    campaign_made(shops=[bakery], value="5.00", budget=None, funder=Funder.SHOP, town_share_percent=0)
    order, payment = paid([(StockRecordFactory(shop=bakery, price=Decimal("20.00")), 1)])
    services.payment_ready_mark(order=order)
    payment = services.payment_settle(payment_id=payment.pk)
    assert of(payment, bakery, EntryKind.TRANSFER) == 1500 - 83  # 5.5 % of 1500 = 82.5 → 83
    assert of(payment, bakery, EntryKind.PROMOTION) == 0


def test_a_split_campaign_shares_each_euro_and_the_statement_equals_the_ledger_to_the_cent(shops):
    bakery, cheese = shops
    campaign = campaign_made(shops=[bakery, cheese], value="7.00", budget="50.00", funder=Funder.SPLIT,
                             town_share_percent=60)
    order, payment = paid([(StockRecordFactory(shop=bakery, price=Decimal("3.33")), 3),
                           (StockRecordFactory(shop=cheese, price=Decimal("11.11")), 2)])
    fundings = list(LineDiscountFunding.objects.order_by("pk"))
    assert sum(f.amount_cents for f in fundings) == 700
    assert all(f.town_cents == round(f.amount_cents * 0.6) for f in fundings)
    assert sum(f.town_cents + f.shop_cents for f in fundings) == 700

    services.payment_ready_mark(order=order)
    payment = services.payment_settle(payment_id=payment.pk)
    start, end = month_bounds(order.date_placed.year, order.date_placed.month)
    rows = campaign_statement(campaign=campaign, start=start, end=end)
    town_in_ledger = -sum(LedgerEntry.objects.filter(payment=payment, kind=EntryKind.PROMOTION)
                          .values_list("amount_cents", flat=True))
    assert sum(r.town_now_cents for r in rows) == town_in_ledger == sum(f.town_cents for f in fundings)
    assert CampaignBudget.objects.get(campaign=campaign).spent_cents == 700


def test_a_cancelled_part_gives_the_campaign_its_budget_back_and_the_statement_follows_the_ledger(shops):
    from marketplace.order.services import shop_order_cancel
    from tests.factories.backoffice import merchant

    bakery, cheese = shops
    campaign = campaign_made(shops=[bakery, cheese], value="10.00", budget="50.00")
    order, payment = paid([(StockRecordFactory(shop=bakery, price=Decimal("12.00")), 1),
                           (StockRecordFactory(shop=cheese, price=Decimal("8.00")), 1)])
    budget = CampaignBudget.objects.get(campaign=campaign)
    assert budget.spent_cents == 1000

    part = order.shop_orders.get(shop=cheese)
    shop_order_cancel(shop_order=part, user=merchant(shop=cheese)[0], reason="merchant")
    services.payment_ready_mark(order=order)
    payment = services.payment_settle(payment_id=payment.pk)

    budget.refresh_from_db()
    assert budget.spent_cents == 600  # the bakery's 6.00 of the 10.00 stays spent
    start, end = month_bounds(order.date_placed.year, order.date_placed.month)
    rows = campaign_statement(campaign=campaign, start=start, end=end)
    assert sum(r.refunded_cents for r in rows) == 400
    town_in_ledger = -sum(LedgerEntry.objects.filter(payment=payment, kind=EntryKind.PROMOTION)
                          .values_list("amount_cents", flat=True))
    assert sum(r.town_now_cents for r in rows) == town_in_ledger == 600
