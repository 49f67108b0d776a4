"""The merchant's order history: orders stay once dropped, collected or cancelled; search by
number, customer, dates and status; paged; queries constant in the number of orders; never
another shop's orders (whatever the search asks); bad filter values get French messages."""
from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.order.models import Order, ShopOrder, ShopOrderStatus
from shops.backoffice.orders import HISTORY_PER_PAGE
from tests.factories import StockRecordFactory, UserFactory
from tests.factories.backoffice import merchant
from tests.factories.orders import order_placed
from tests.factories.pickup import part_advance

pytestmark = pytest.mark.django_db
S = ShopOrderStatus
URL = reverse("backoffice:orders-history")


def _order(shop, *, user=None, days_ago: int = 0, email: str = "invite@example.test", status: str | None = None,
           other_shop=None):
    items = [(StockRecordFactory(shop=shop, num_in_stock=50), 2)]
    if other_shop is not None:
        items.append((StockRecordFactory(shop=other_shop, num_in_stock=50), 1))
    order = order_placed(items=items, mode="point", user=user, guest_email=email)
    placed = timezone.now() - dt.timedelta(days=days_ago)
    Order.objects.filter(pk=order.pk).update(date_placed=placed)
    part = order.shop_orders.get(shop=shop)
    if status == S.DROPPED:
        part_advance(part, to="dropped")
    elif status == S.CANCELLED:
        ShopOrder.objects.filter(pk=part.pk).update(status=S.CANCELLED, cancel_reason="merchant")
    elif status == S.COLLECTED:
        part_advance(part, to="dropped")
        ShopOrder.objects.filter(pk=part.pk).update(status=S.COLLECTED)
    return order


def _numbers(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return re.findall(r'bo-history-row" data-order="([^"]+)"', response.content.decode())


def _text(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_dropped_collected_and_cancelled_orders_stay_in_the_history(logged_a, staff_a):
    shop = staff_a[1]
    dropped = _order(shop, status=S.DROPPED, days_ago=2)
    collected = _order(shop, status=S.COLLECTED, days_ago=1)
    cancelled = _order(shop, status=S.CANCELLED)

    queue = logged_a.get(reverse("backoffice:orders")).content.decode()
    assert collected.number not in queue and cancelled.number not in queue

    assert _numbers(logged_a) == [cancelled.number, collected.number, dropped.number]  # newest first
    page = _text(logged_a)
    assert "Déposée au point de retrait" in page and "Retirée" in page and "Annulée" in page
    assert "3 commandes" in page


def test_search_by_order_number_and_customer_name_or_email(logged_a, staff_a):
    shop = staff_a[1]
    claire = _order(shop, user=UserFactory(username="claire", first_name="Claire", last_name="Lefèvre"))
    guest = _order(shop, email="paul.martin@example.test")
    _order(shop, user=UserFactory(username="marc", first_name="Marc", last_name="Dupont"))

    assert _numbers(logged_a, q=claire.number) == [claire.number]
    assert _numbers(logged_a, q="lefèvre") == [claire.number]
    assert _numbers(logged_a, q="Claire Lefèvre") == [claire.number]
    assert _numbers(logged_a, q="paul.martin") == [guest.number]
    assert "Claire Lefèvre" in _text(logged_a, q=claire.number)


def test_filters_by_dates_placed_and_status(logged_a, staff_a):
    shop = staff_a[1]
    old = _order(shop, days_ago=10, status=S.COLLECTED)
    recent = _order(shop, days_ago=3, status=S.COLLECTED)
    today = _order(shop, status=S.DROPPED)

    def day(n):
        return (timezone.localdate() - dt.timedelta(days=n)).isoformat()


    assert _numbers(logged_a, du=day(4)) == [today.number, recent.number]
    assert _numbers(logged_a, au=day(4)) == [old.number]
    assert _numbers(logged_a, du=day(3), au=day(3)) == [recent.number]
    french = (timezone.localdate() - dt.timedelta(days=10)).strftime("%d/%m/%Y")
    assert _numbers(logged_a, du=french, au=french) == [old.number]
    assert _numbers(logged_a, statut=S.COLLECTED) == [recent.number, old.number]
    assert _numbers(logged_a, statut=S.DROPPED, du=day(4)) == [today.number]


def test_the_history_is_paged(logged_a, staff_a):
    shop = staff_a[1]
    orders = [_order(shop, days_ago=n) for n in range(HISTORY_PER_PAGE + 2)]

    first = _numbers(logged_a)
    second = _numbers(logged_a, page="2")

    assert first == [o.number for o in orders[:HISTORY_PER_PAGE]]
    assert second == [o.number for o in orders[HISTORY_PER_PAGE:]]
    assert _numbers(logged_a, page="9999") == second and _numbers(logged_a, page="abc") == first
    assert "Page 2 sur 2" in _text(logged_a, page="2")


def _queries(client) -> int:
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"q": "e"}).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_number_of_orders(logged_a, staff_a):
    shop = staff_a[1]
    for n in range(2):
        _order(shop, days_ago=n, user=UserFactory(), email="e@example.test")
    few = _queries(logged_a)
    for n in range(20):
        _order(shop, days_ago=n, user=UserFactory(), status=S.COLLECTED if n % 2 else S.DROPPED)
    many = _queries(logged_a)

    print(f"\norder history SQL queries: 2 orders {few}, 22 orders {many}")
    assert few == many


def test_another_shops_orders_never_show_whatever_the_search(logged_a, staff_a):
    shop = staff_a[1]
    _other_user, other_shop = merchant(username="marchand-b")
    mine = _order(shop, user=UserFactory(username="ines", first_name="Inès", last_name="Roux"))
    theirs = _order(other_shop, user=UserFactory(username="jules", first_name="Jules", last_name="Blanc"),
                    status=S.COLLECTED)
    shared = _order(shop, other_shop=other_shop)

    assert _numbers(logged_a) == [shared.number, mine.number]
    for params in ({"q": theirs.number}, {"q": "Blanc"}, {"q": "jules"}, {"statut": S.COLLECTED},
                   {"q": theirs.number, "statut": S.COLLECTED}, {"shop": str(other_shop.pk)},
                   {"shop_id": str(other_shop.pk), "q": theirs.number}):
        assert theirs.number not in _numbers(logged_a, **params), params
        assert "Jules Blanc" not in _text(logged_a, **params), params
    page = _text(logged_a, q=shared.number)
    assert page.count('bo-history-row" data-order=') == 1  # only this shop's part of the shared order
    assert "2 articles" in page and "3 articles" not in page  # the other shop's unit is not counted here


@pytest.mark.parametrize("params, message", [
    ({"du": "31/02/2026"}, "Date de début invalide : utilisez le format jj/mm/aaaa."),
    ({"au": "demain"}, "Date de fin invalide : utilisez le format jj/mm/aaaa."),
    ({"du": "2026-05-10", "au": "2026-05-01"}, "La date de fin précède la date de début."),
    ({"du": "0001-01-01"}, "Date hors de la période possible (2000 à 2100)."),
    ({"statut": "livree"}, "Statut inconnu : choisissez-en un dans la liste."),
    ({"q": "x" * 101}, "Recherche trop longue (100 caractères au plus)."),
])
def test_bad_filter_values_get_a_french_message_and_the_history_still_shows(logged_a, staff_a, params, message):
    order = _order(staff_a[1])

    page = _text(logged_a, **params)

    assert message in page
    assert order.number in page  # the refused filter is not applied


def test_anonymous_visitors_and_non_staff_cannot_open_the_history(client):
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
