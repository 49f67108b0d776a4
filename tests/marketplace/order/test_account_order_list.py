"""The shopper's account order list shows what each order costs now (after unavailable items
and cancelled parts), as the order page does, in a constant number of queries."""
from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from marketplace.order import services as order_services
from tests.factories import UserFactory
from tests.factories.pickup import merchant_of, order_with_parts

pytestmark = pytest.mark.django_db


def _page(client) -> str:
    return html.unescape(client.get(reverse("customer:order-list")).content.decode())


def _row(page: str, number: str) -> str:
    return re.search(rf"{number}</a></td>(.*?)</tr>", page, re.S).group(1)


def test_each_order_shows_the_amount_after_unavailable_items_and_cancelled_parts(client):
    user = UserFactory()
    reduced = order_with_parts(count=3, quantity=2, price="4.50", user=user)  # 3 parts of 9,00 €
    first, second, _third = reduced.shop_orders.order_by("pk")
    order_services.shop_order_lines_unavailable(
        shop_order=first, user=merchant_of(first.shop), quantities={first.lines.get().pk: 1}
    )
    order_services.shop_order_cancel(shop_order=second, user=merchant_of(second.shop))
    untouched = order_with_parts(count=1, quantity=1, price="3.20", user=user)
    client.force_login(user)

    page = _page(client)

    row = _row(page, reduced.number)
    assert re.search(r'class="order-amount">13,50\s€', row)  # 4,50 + 9,00
    assert "Commande de 27,00\xa0€" in row
    assert "<td>6</td>" in row  # units ordered
    row = _row(page, untouched.number)
    assert re.search(r'class="order-amount">3,20\s€', row) and "Commande de" not in row


def test_a_wholly_cancelled_order_costs_nothing(client):
    user = UserFactory()
    order = order_with_parts(count=1, quantity=1, price="5.00", user=user)
    part = order.shop_orders.get()
    order_services.shop_order_cancel(shop_order=part, user=merchant_of(part.shop))
    client.force_login(user)

    row = _row(_page(client), order.number)

    assert re.search(r'class="order-amount">0,00\s€', row) and "Commande de 5,00\xa0€" in row


def test_the_list_shows_only_the_shoppers_own_orders(client):
    user = UserFactory()
    mine = order_with_parts(count=1, user=user)
    theirs = order_with_parts(count=1, user=UserFactory())
    client.force_login(user)

    page = _page(client)

    assert mine.number in page and theirs.number not in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("customer:order-list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_list_costs_the_same_queries_for_one_order_or_six(client, django_assert_num_queries):
    user = UserFactory()
    order_with_parts(count=2, user=user)
    client.force_login(user)
    client.get(reverse("customer:order-list"))  # warm the session and site caches

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("customer:order-list")).status_code == 200
    for _ in range(5):
        order_with_parts(count=3, user=user)
    with CaptureQueriesContext(connection) as six:
        page = client.get(reverse("customer:order-list")).content.decode()
    assert page.count('class="order-amount"') == 6
    assert len(six.captured_queries) == len(one.captured_queries)
