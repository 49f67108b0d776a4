"""The manager's late pickups page: staff only, every late part with its order, shop, state,
slot and point, in a number of queries that does not grow with the rows."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.logistics import CollectionPointFactory, SlotFactory
from tests.factories.pickup import merchant_of, order_with_parts, part_advance

pytestmark = pytest.mark.django_db
URL = "/gestion/retards/"


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(username="manager", is_staff=True))
    return client


def _started_slot(point, *, minutes_ago: int = 30):
    start = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return SlotFactory(point=point, starts_at=start, ends_at=start + dt.timedelta(hours=1))


def _late_orders(count: int, *, point=None):
    """``count`` orders collected at ``point`` whose slot started half an hour ago, each with
    one part accepted (late) and one dropped (on time)."""
    point = point or CollectionPointFactory(name="Point retrait de la Halle")
    slot = _started_slot(point)
    slot.capacity = 1000
    slot.save(update_fields=["capacity"])
    orders = []
    for _ in range(count):
        order = order_with_parts(count=2, point=point, slot=slot)
        first, second = order.shop_orders.order_by("pk")
        part_advance(first, to="accepted")
        part_advance(second, to="dropped", now=slot.starts_at - dt.timedelta(hours=1))
        orders.append(order)
    return orders


def test_anonymous_go_to_login_and_merchants_or_shoppers_get_403(client):
    order = _late_orders(1)[0]
    assert client.get(URL)["Location"].startswith("/accounts/login/")
    for user in (merchant_of(order.shop_orders.first().shop), UserFactory(username="client")):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_the_manager_sees_each_late_part_with_order_shop_state_slot_and_point(manager):
    order = _late_orders(1)[0]
    late, dropped = order.shop_orders.select_related("shop", "slot").order_by("pk")
    future_point = CollectionPointFactory()
    future = order_with_parts(count=1, point=future_point, slot=SlotFactory(
        point=future_point, starts_at=timezone.now() + dt.timedelta(hours=2),
        ends_at=timezone.now() + dt.timedelta(hours=3)))

    response = manager.get(URL)

    assert response.status_code == 200
    assert [part.pk for part in response.context["parts"]] == [late.pk]  # not the dropped one, not the future one
    page = response.content.decode()
    assert order.number in page and f"/dashboard/orders/{order.number}/" in page
    assert late.shop.name in page and dropped.shop.name not in page and future.number not in page
    assert "Acceptée" in page and "Point retrait de la Halle" in page
    start = timezone.localtime(late.slot.starts_at)
    assert f"{start:%H}h{start:%M}" in page
    assert "1 part en retard." in page


def test_a_shop_counter_part_not_ready_is_listed_as_at_the_shops_counter(manager):
    order = order_with_parts(count=1, mode="shops")
    part = order.shop_orders.select_related("slot").get()
    part.slot.starts_at = timezone.now() - dt.timedelta(minutes=10)
    part.slot.ends_at = timezone.now() + dt.timedelta(minutes=50)
    part.slot.save(update_fields=["starts_at", "ends_at"])

    page = manager.get(URL).content.decode()
    assert order.number in page and "(comptoir du commerce)" in page and "Nouvelle" in page


def test_nothing_late_says_so(manager):
    assert "Aucune commande en retard" in manager.get(URL).content.decode()


def test_a_bad_page_number_is_not_an_error(manager):
    _late_orders(1)
    assert manager.get(URL, {"page": "abc"}).status_code == 200
    assert manager.get(URL, {"page": "999"}).status_code == 200


def test_query_count_does_not_grow_with_the_late_parts(manager, django_assert_num_queries):
    point = CollectionPointFactory()
    _late_orders(2, point=point)
    manager.get(URL)  # warm caches (site, session) like any later request
    with CaptureQueriesContext(connection) as few:
        assert len(manager.get(URL).context["parts"]) == 2

    _late_orders(10, point=point)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(manager.get(URL).context["parts"]) == 12


def test_the_dashboard_menu_leads_to_the_late_page(manager):
    page = manager.get("/dashboard/").content.decode()
    assert "Commandes en retard" in page and URL in page
