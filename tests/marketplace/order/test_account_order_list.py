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
    return re.search(rf'data-order="{number}"(.*?)</li>', page, re.DOTALL).group(1)


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
    assert "3 articles fournis" in row  # 6 ordered: 1 unavailable, 2 in the cancelled part
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


def _step(order, action: str):
    for part in order.shop_orders.all():
        getattr(order_services, f"shop_order_{action}")(shop_order=part, user=merchant_of(part.shop))


def test_each_order_shows_its_state_in_french(client):
    user = UserFactory()
    new = order_with_parts(count=2, mode="shops", user=user)
    preparing = order_with_parts(count=1, mode="shops", user=user)
    _step(preparing, "accept")
    ready = order_with_parts(count=1, mode="shops", user=user)
    for action in ("accept", "prepare", "ready"):
        _step(ready, action)
    collected = order_with_parts(count=1, mode="shops", user=user)
    for action in ("accept", "prepare", "ready", "collect"):
        _step(collected, action)
    cancelled = order_with_parts(count=1, mode="shops", user=user)
    _step(cancelled, "cancel")
    client.force_login(user)

    page = _page(client)

    def status(order):
        return re.search(r'class="badge badge-info order-status">([^<]+)<', _row(page, order.number)).group(1)

    assert status(new) == "En attente de confirmation des commerces"
    assert status(preparing) == "En préparation"
    assert status(ready) == "Prête à retirer"
    assert status(collected) == "Retirée"
    assert status(cancelled) == "Annulée"


def test_the_amount_is_what_the_card_was_charged_less_refunds_once_captured(client):
    from marketplace.payments.models import Payment, PaymentStatus

    user = UserFactory()
    captured = order_with_parts(count=1, quantity=2, price="5.00", user=user)
    Payment.objects.create(order=captured, order_number=captured.number, amount_cents=1000, status=PaymentStatus.CAPTURED,
                           amount_authorised_cents=1000, amount_captured_cents=1000, amount_refunded_cents=250)
    authorised = order_with_parts(count=1, quantity=1, price="7.00", user=user)
    Payment.objects.create(order=authorised, order_number=authorised.number, amount_cents=700,
                           status=PaymentStatus.AUTHORISED, amount_authorised_cents=700)
    released = order_with_parts(count=1, quantity=1, price="3.00", user=user)
    Payment.objects.create(order=released, order_number=released.number, amount_cents=300, status=PaymentStatus.RELEASED,
                           amount_authorised_cents=300)
    client.force_login(user)

    page = _page(client)

    assert re.search(r'Débité : <strong class="order-amount">7,50\s€', _row(page, captured.number))
    assert re.search(r'À débiter : <strong class="order-amount">7,00\s€', _row(page, authorised.number))
    assert re.search(r'Débité : <strong class="order-amount">0,00\s€', _row(page, released.number))


def test_one_article_supplied_is_singular(client):
    user = UserFactory()
    order = order_with_parts(count=1, quantity=1, user=user)
    client.force_login(user)

    assert "1 article fourni<" in _row(_page(client), order.number).replace("</span>", "<")
