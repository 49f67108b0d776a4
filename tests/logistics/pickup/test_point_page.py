"""The collection point's page for its staff: today's expected orders by slot (with each
shop's part), the parcels waiting with their age; a code typed a second time says when
and by whom the order was handed over, not « aucune commande »."""
from __future__ import annotations

import datetime as dt
import html as html_lib

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from logistics.pickup.models import ParcelPlacement, PickupCode
from logistics.pickup.ratelimit import attempt_keys
from tests.factories.logistics import CollectionPointFactory, SlotFactory
from tests.factories.pickup import order_with_parts, part_advance

pytestmark = pytest.mark.django_db


def _url(point):
    return reverse("pickup:point-handover", kwargs={"point_id": point.pk})


def _today(hour: int) -> dt.datetime:
    return dt.datetime.combine(timezone.localdate(), dt.time(hour), tzinfo=timezone.get_default_timezone())


def test_todays_expected_orders_are_listed_by_slot_with_each_shops_part(client, point, staff):
    morning = SlotFactory(point=point, starts_at=_today(10), ends_at=_today(11))
    evening = SlotFactory(point=point, starts_at=_today(18), ends_at=_today(19))
    first = order_with_parts(count=2, point=point, slot=morning)
    part_advance(first.shop_orders.order_by("pk").first(), to="dropped")
    second = order_with_parts(count=1, point=point, slot=evening)
    order_with_parts(count=1, point=CollectionPointFactory(), slot=None)  # another point's: not here
    tomorrow = SlotFactory(point=point)  # tomorrow 10:00
    order_with_parts(count=1, point=point, slot=tomorrow)
    client.force_login(staff)
    response = client.get(_url(point))
    expected = response.context["expected"]
    assert [(s.starts_at, [o.order.number for o in s.orders]) for s in expected] == [
        (morning.starts_at, [first.number]), (evening.starts_at, [second.number])]
    assert expected[0].orders[0].dropped == 1 and not expected[0].orders[0].all_here
    html = html_lib.unescape(response.content.decode())
    assert "Créneau 10:00–11:00 : 1 commande" in html and "1/2 parts déposées" in html


def test_parcels_waiting_are_listed_oldest_first_with_their_age(client, point, staff):
    orders = [order_with_parts(count=1, point=point) for _ in range(2)]
    for order in orders:
        part_advance(order.shop_orders.get(), to="dropped")
    ParcelPlacement.objects.filter(order=orders[1]).update(placed_at=timezone.now() - dt.timedelta(hours=26))
    client.force_login(staff)
    response = client.get(_url(point))
    waiting = response.context["waiting"]
    assert [p.placement.order for p in waiting] == [orders[1], orders[0]]
    assert dt.timedelta(hours=26) <= waiting[0].age < dt.timedelta(hours=27)
    assert "1 j 2 h" in response.content.decode()


def test_a_code_typed_twice_says_when_and_by_whom_it_was_handed_over(client, point, staff):
    order = order_with_parts(count=2, point=point)
    for part in order.shop_orders.all():
        part_advance(part, to="dropped")
    code = PickupCode.objects.get(order=order).code
    client.force_login(staff)
    client.post(_url(point), {"action": "collect", "code": code, "parts": [p.pk for p in order.shop_orders.all()]})
    response = client.post(_url(point), {"action": "find", "code": code})
    text = html_lib.unescape(response.content.decode())
    assert f"Commande n° {order.number} déjà remise le" in text and "par Alex Agent" in text
    assert "Aucune commande à remettre ici" not in text
    keys = attempt_keys(user=staff, ip="127.0.0.1")
    assert all(not cache.get(key) for key in keys)  # not counted as a wrong guess


def test_after_a_partial_handover_the_same_code_finds_the_parts_left(client, point, staff):
    order = order_with_parts(count=2, point=point)
    first, second = order.shop_orders.order_by("pk")
    part_advance(first, to="dropped")
    part_advance(second, to="dropped")
    code = PickupCode.objects.get(order=order).code
    client.force_login(staff)
    client.post(_url(point), {"action": "collect", "code": code, "parts": [first.pk]})
    response = client.post(_url(point), {"action": "find", "code": code})
    assert "Emplacement" in response.content.decode()  # the second part is still to hand over


def test_an_unknown_code_still_says_nothing_matches(client, point, staff):
    client.force_login(staff)
    response = client.post(_url(point), {"action": "find", "code": "ABCDEF"})
    assert "Aucune commande à remettre ici" in html_lib.unescape(response.content.decode())


def test_the_page_costs_the_same_queries_for_few_and_many_orders(client, point, staff):
    slot = SlotFactory(point=point, starts_at=_today(23), ends_at=_today(23) + dt.timedelta(minutes=30))

    def add(n):
        for _ in range(n):
            order = order_with_parts(count=2, point=point, slot=slot)
            part_advance(order.shop_orders.order_by("pk").first(), to="dropped")

    add(1)
    client.force_login(staff)
    client.get(_url(point))
    with CaptureQueriesContext(connection) as few:
        client.get(_url(point))
    add(5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url(point))
    assert len(response.context["waiting"]) == 6
    assert len(many.captured_queries) == len(few.captured_queries)
