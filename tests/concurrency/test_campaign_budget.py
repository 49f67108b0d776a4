"""Shoppers racing for a campaign's budget on PostgreSQL (real threads): never overspent."""
from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from marketplace.basket.applicator import Applicator
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.services import checkout_hold, order_place
from marketplace.order.models import FulfilmentMode, Order
from marketplace.promotions.models import BudgetReservation, CampaignBudget, ReservationStatus
from marketplace.promotions.services.budget import budget_reservations_expire
from tests.concurrency.threads import run_together, unexpected
from tests.factories.promotions import campaign_made
from tests.factories.town import basket_of, town_built

pytestmark = pytest.mark.django_db(transaction=True)


class BudgetWatch:
    """Reads reserved + spent on its own connection while the threads run; keeps the highest."""

    def __init__(self, budget_id: int):
        self.budget_id, self.highest, self.readings = budget_id, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self):
        try:
            while not self._stop.is_set():
                budget = CampaignBudget.objects.get(pk=self.budget_id)
                self.highest = max(self.highest, budget.reserved_cents + budget.spent_cents)
                self.readings += 1
        finally:
            connections.close_all()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=30)


def _town_with_campaign(shoppers: int):
    town = town_built(shops=1, stock=shoppers, capacity=shoppers * 2, price=Decimal("30.00"))
    campaign = campaign_made(shops=town.shops, value="5.00", budget="200.00")
    baskets = [basket_of([(town.offers[0], 1)]) for _ in range(shoppers)]
    return town, campaign, baskets


def _hold(basket, town, slot):
    Applicator().apply(basket, None)  # as the checkout pages apply the offers
    checkout_hold(basket=basket, mode=FulfilmentMode.AT_POINT, point=town.point, choices={None: slot.pk})
    return basket


def test_a_hundred_shoppers_racing_for_200_euros_of_5_euro_discounts_get_exactly_40():
    assert connection.vendor == "postgresql"
    town, campaign, baskets = _town_with_campaign(100)
    slot = town.slot(town.point)

    def work(i):
        _hold(baskets[i], town, slot)
        return order_place(basket=baskets[i], user=None, mode=FulfilmentMode.AT_POINT, point=town.point,
                           guest_email=f"client{i}@example.test")

    with BudgetWatch(campaign.budget.pk) as watch:
        results = run_together(100, work, at_once=40)

    orders = [r for r in results if isinstance(r, Order)]
    assert len(orders) == 100, unexpected(results, Order)
    discounted = [o for o in orders if o.total_discount_incl_tax > 0]
    assert len(discounted) == 40
    assert {o.total_discount_incl_tax for o in discounted} == {Decimal("5.00")}
    budget = CampaignBudget.objects.get(pk=campaign.budget.pk)
    assert (budget.reserved_cents, budget.spent_cents) == (0, 20000)
    assert watch.readings > 0 and watch.highest <= 20000
    assert BudgetReservation.objects.filter(status=ReservationStatus.CONSUMED).count() == 40
    print(f"\nbudget race: 100 shoppers, {len(discounted)} discounted orders, spent {budget.spent_cents} c, "
          f"highest reserved+spent seen {watch.highest} c over {watch.readings} readings")


def test_holds_racing_reserve_exactly_the_budget_and_all_of_it_comes_back_when_they_expire():
    town, campaign, baskets = _town_with_campaign(100)
    slot = town.slot(town.point)

    with BudgetWatch(campaign.budget.pk) as watch:
        results = run_together(100, lambda i: _hold(baskets[i], town, slot), at_once=40)

    assert not [r for r in results if isinstance(r, Exception)], unexpected(results, type(baskets[0]))
    budget = CampaignBudget.objects.get(pk=campaign.budget.pk)
    assert (budget.reserved_cents, budget.spent_cents) == (20000, 0)
    assert BudgetReservation.objects.filter(status=ReservationStatus.HELD).count() == 40
    assert watch.highest <= 20000

    later = timezone.now() + dt.timedelta(hours=1)
    released = run_together(4, lambda i: budget_reservations_expire(now=later, batch_size=7))
    assert sum(released) == 40  # four expiry runs at once share the work, none twice

    budget.refresh_from_db()
    assert (budget.reserved_cents, budget.spent_cents, budget.budget_cents) == (0, 0, 20000)


def test_a_basket_placed_after_its_budget_went_elsewhere_is_refused_and_changes_nothing():
    town, campaign, baskets = _town_with_campaign(1)
    slot = town.slot(town.point)
    basket = baskets[0]
    _hold(basket, town, slot)
    # Its reservation expires and the budget is spent by others meanwhile.
    BudgetReservation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    budget_reservations_expire()
    CampaignBudget.objects.filter(pk=campaign.budget.pk).update(spent_cents=20000)

    with pytest.raises(CheckoutError):
        order_place(basket=basket, user=None, mode=FulfilmentMode.AT_POINT, point=town.point,
                    guest_email="client@example.test", now=timezone.now() - dt.timedelta(minutes=1))
    assert Order.objects.count() == 0
    budget = CampaignBudget.objects.get(pk=campaign.budget.pk)
    assert (budget.reserved_cents, budget.spent_cents) == (0, 20000)
