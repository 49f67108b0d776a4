"""Reads for the merchant queue and for pickup: grouped by slot, only one shop's lines, fixed query counts."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.order import selectors, services
from marketplace.order.models import CancelReason, FulfilmentMode, ShopOrderStatus
from tests.factories import StockRecordFactory
from tests.factories.backoffice import merchant
from tests.factories.logistics import CollectionPointFactory, SlotFactory, paris
from tests.factories.orders import order_placed, shop_counter

pytestmark = pytest.mark.django_db
S = ShopOrderStatus


@pytest.fixture
def shops():
    user_a, shop_a = merchant(username="marchand-a")
    user_b, shop_b = merchant(username="marchand-b")
    return (user_a, shop_a, StockRecordFactory(shop=shop_a)), (user_b, shop_b, StockRecordFactory(shop=shop_b))


def advance(part, user, *steps):
    for step in steps:
        part = step(shop_order=part, user=user)
    return part


def test_all_parts_ready_at_a_point_means_every_open_part_dropped(shops):
    (user_a, shop_a, offer_a), (user_b, shop_b, offer_b) = shops
    order = order_placed(items=[(offer_a, 1), (offer_b, 1)], mode=FulfilmentMode.AT_POINT)
    ready = (services.shop_order_accept, services.shop_order_prepare, services.shop_order_ready)
    part_a = advance(order.shop_orders.get(shop=shop_a), user_a, *ready, services.shop_order_drop)
    assert not selectors.order_all_parts_ready(order=order)
    part_b = advance(order.shop_orders.get(shop=shop_b), user_b, *ready)
    assert not selectors.order_all_parts_ready(order=order)  # ready is not enough: not dropped yet
    services.shop_order_drop(shop_order=part_b, user=user_b)
    assert selectors.order_all_parts_ready(order=order)
    assert part_a.status == S.DROPPED


def test_all_parts_ready_ignores_cancelled_parts_but_not_an_all_cancelled_order(shops):
    (user_a, shop_a, offer_a), (user_b, shop_b, offer_b) = shops
    order = order_placed(items=[(offer_a, 1), (offer_b, 1)])
    services.shop_order_cancel(shop_order=order.shop_orders.get(shop=shop_b), user=user_b)
    assert not selectors.order_all_parts_ready(order=order)
    advance(order.shop_orders.get(shop=shop_a), user_a,
            services.shop_order_accept, services.shop_order_prepare, services.shop_order_ready)
    assert selectors.order_all_parts_ready(order=order)
    services.shop_order_cancel(shop_order=order.shop_orders.get(shop=shop_a), user=None, reason="no_show")
    assert not selectors.order_all_parts_ready(order=order)


def test_amount_due_follows_unavailable_items_and_cancelled_parts(shops):
    (user_a, shop_a, offer_a), (user_b, shop_b, offer_b) = shops
    order = order_placed(items=[(offer_a, 2), (offer_b, 1)])
    assert selectors.order_amount_due(order=order) == Decimal("29.70")
    part_a = order.shop_orders.get(shop=shop_a)
    services.shop_order_lines_unavailable(shop_order=part_a, user=user_a, quantities={part_a.lines.get().pk: 1})
    services.shop_order_cancel(shop_order=order.shop_orders.get(shop=shop_b), user=user_b)
    assert selectors.order_amount_due(order=order) == Decimal("9.90")


def test_queue_groups_this_shops_parts_by_slot_with_only_its_lines(shops):
    (user_a, shop_a, offer_a), (_, shop_b, offer_b) = shops
    counter = shop_counter(shop_a)
    first = order_placed(items=[(offer_a, 1), (offer_b, 2)])
    later_slot = SlotFactory(point=counter, starts_at=first.shop_orders.get(shop=shop_a).slot.starts_at + dt.timedelta(hours=2))
    second = order_placed(items=[(offer_a, 3)])
    part = second.shop_orders.get()
    part.slot = later_slot
    part.save()
    third = order_placed(items=[(offer_a, 1)])

    groups = selectors.shop_orders_queue(shop=shop_a)

    assert [g.slot.pk for g in groups] == [first.shop_orders.get(shop=shop_a).slot_id, later_slot.pk]
    assert [so.order.number for so in groups[0].shop_orders] == [first.number, third.number]
    assert {line.partner_id for g in groups for so in g.shop_orders for line in so.lines.all()} == {shop_a.partner_id}


def test_queue_query_count_does_not_grow_with_orders(shops):
    (_, shop_a, offer_a), (_, _, offer_b) = shops

    def count():
        with CaptureQueriesContext(connection) as ctx:
            groups = selectors.shop_orders_queue(shop=shop_a)
            [line.title for g in groups for so in g.shop_orders for line in so.lines.all()]
            [so.order.number for g in groups for so in g.shop_orders]
        return len(ctx.captured_queries)

    order_placed(items=[(offer_a, 1), (offer_b, 1)])
    few = count()
    for _ in range(6):
        order_placed(items=[(offer_a, 1), (offer_b, 1)])
    assert count() == few == 2


def test_another_shops_part_is_not_found(shops):
    (_, shop_a, offer_a), (_, shop_b, offer_b) = shops
    order = order_placed(items=[(offer_a, 1), (offer_b, 1)])
    part_b = order.shop_orders.get(shop=shop_b)
    with pytest.raises(type(part_b).DoesNotExist):
        selectors.shop_order_of_shop_get(shop=shop_a, shop_order_id=part_b.pk)
    assert selectors.shop_order_of_shop_get(shop=shop_b, shop_order_id=part_b.pk) == part_b


def test_parts_by_day_counts_each_shop_on_its_town_days_without_cancelled_parts(shops):
    (_user_a, shop_a, offer_a), (_user_b, shop_b, offer_b) = shops
    point = CollectionPointFactory()
    day = timezone.localdate() + dt.timedelta(days=2)
    late = SlotFactory(point=point, starts_at=paris(day.year, day.month, day.day, 23, 0))
    after_midnight = late.starts_at + dt.timedelta(hours=1, minutes=30)  # the next day in town, same UTC date
    early = SlotFactory(point=point, starts_at=after_midnight, ends_at=after_midnight + dt.timedelta(hours=1))
    order_placed(items=[(offer_a, 1), (offer_b, 1)], mode=FulfilmentMode.AT_POINT, point=point, slot=late)
    order_placed(items=[(offer_a, 1)], mode=FulfilmentMode.AT_POINT, point=point, slot=late)
    order_placed(items=[(offer_a, 1)], mode=FulfilmentMode.AT_POINT, point=point, slot=early)
    cancelled = order_placed(items=[(offer_b, 1)], mode=FulfilmentMode.AT_POINT, point=point, slot=late)
    cancelled.shop_orders.update(status=S.CANCELLED, cancel_reason=CancelReason.SHOPPER)
    next_day = day + dt.timedelta(days=1)

    with CaptureQueriesContext(connection) as ctx:
        counts = selectors.shop_orders_by_day_count(shop_ids=[shop_a.pk, shop_b.pk], days={day, next_day})
    assert counts == {(shop_a.pk, day): 2, (shop_b.pk, day): 1, (shop_a.pk, next_day): 1}
    assert len(ctx.captured_queries) == 1
    assert selectors.shop_orders_by_day_count(shop_ids=[shop_a.pk], days={next_day}) == {(shop_a.pk, next_day): 1}
