"""Checkout services without the pages: holds expire by themselves, placing twice, unknown points."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from logistics.models import HoldStatus, SlotHold
from logistics.tasks import holds_expire_task
from marketplace.checkout import services
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.tasks import stock_holds_expire_task
from marketplace.order.models import FulfilmentMode, Order
from marketplace.partner.models import StockHold, StockHoldStatus, StockRecord
from shops import stock
from tests.factories.town import basket_of, town_built

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return town_built(shops=2, stock=4)


def hold(town, basket, now=None):
    return services.checkout_hold(
        basket=basket, mode=FulfilmentMode.AT_POINT, point=town.point, choices={None: town.slot(town.point).pk}, now=now
    )


def test_expired_holds_give_back_stock_and_capacity_through_the_beat_tasks(town):
    basket = basket_of([(town.offers[0], 3), (town.offers[1], 1)])
    hold(town, basket, now=timezone.now() - dt.timedelta(minutes=16))
    slot = town.slot(town.point)
    slot.refresh_from_db()
    assert slot.held == 1 and StockRecord.objects.get(pk=town.offers[0].pk).num_allocated == 3

    assert stock_holds_expire_task.apply().get() == 2
    assert holds_expire_task.apply().get() == 1

    slot.refresh_from_db()
    assert slot.held == 0
    assert [StockRecord.objects.get(pk=o.pk).num_allocated for o in town.offers] == [0, 0]
    assert set(StockHold.objects.values_list("status", flat=True)) == {StockHoldStatus.RELEASED}
    assert stock_holds_expire_task.apply().get() == 0  # idempotent


def test_holds_not_yet_expired_are_kept(town):
    hold(town, basket_of([(town.offers[0], 1)]))
    assert stock.stock_holds_expire() == 0
    assert StockRecord.objects.get(pk=town.offers[0].pk).num_allocated == 1


def test_released_units_can_be_held_by_the_next_shopper(town):
    hold(town, basket_of([(town.offers[0], 4)]), now=timezone.now() - dt.timedelta(minutes=20))
    with pytest.raises(CheckoutError, match="n'est plus disponible"):
        hold(town, basket_of([(town.offers[0], 1)]))
    stock.stock_holds_expire()
    hold(town, basket_of([(town.offers[0], 4)]))


def test_placing_the_same_basket_twice_makes_one_order(town):
    basket = basket_of([(town.offers[0], 1)])
    hold(town, basket)
    kwargs = dict(basket=basket, user=None, mode=FulfilmentMode.AT_POINT, point=town.point, guest_email="a@b.test")
    services.order_place(**kwargs)
    with pytest.raises(CheckoutError, match="déjà enregistrée"):
        services.order_place(**kwargs)
    assert Order.objects.count() == 1
    assert StockRecord.objects.get(pk=town.offers[0].pk).num_allocated == 1


def test_a_basket_without_holds_cannot_be_placed(town):
    basket = basket_of([(town.offers[0], 1)])
    with pytest.raises(CheckoutError, match="Votre panier a changé"):
        services.order_place(basket=basket, user=None, mode=FulfilmentMode.AT_POINT, point=town.point)
    assert Order.objects.count() == 0


def test_a_shop_counter_is_not_a_point_for_the_whole_basket(town):
    with pytest.raises(CheckoutError, match="Choisissez un des points de retrait proposés"):
        services.collection_point_get(point_id=town.counters[town.shops[0].pk].pk)
    with pytest.raises(CheckoutError):
        services.collection_point_get(point_id="abc")


def test_holding_after_expiry_without_the_beat_job_counts_units_once(town):
    basket = basket_of([(town.offers[0], 2)])
    hold(town, basket, now=timezone.now() - dt.timedelta(minutes=30))
    hold(town, basket)  # the shopper comes back: the old hold is replaced, not added
    assert StockRecord.objects.get(pk=town.offers[0].pk).num_allocated == 2
    assert SlotHold.objects.filter(status=HoldStatus.HELD).count() == 1


def test_oscar_purchase_counters_are_updated_after_commit_not_inside_the_placement(
    town, django_capture_on_commit_callbacks
):
    from oscar.apps.analytics.models import ProductRecord

    basket = basket_of([(town.offers[0], 2)])
    hold(town, basket)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_place(basket=basket, user=None, mode=FulfilmentMode.AT_POINT, point=town.point,
                             guest_email="a@b.test")
        assert not ProductRecord.objects.exists()
    assert ProductRecord.objects.get(product=town.offers[0].product).num_purchases == 2
