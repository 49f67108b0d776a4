"""The tokenised order status page: code, QR code, slot, place and each shop part; a wrong link is a 404."""
from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.order import services as order_services
from logistics.pickup.models import PickupCode
from logistics.pickup.tokens import order_status_path
from tests.factories import UserFactory
from tests.factories.logistics import CollectionPointFactory
from tests.factories.pickup import merchant_of, order_with_parts, part_advance

pytestmark = pytest.mark.django_db


def test_the_status_page_shows_code_qr_slot_place_and_each_part(client):
    point = CollectionPointFactory(name="Point retrait de la Halle", address="Place de la Halle")
    order = order_with_parts(count=3, point=point)
    parts = list(order.shop_orders.order_by("pk"))
    for part in parts[:2]:
        part_advance(part, to="dropped")
    part_advance(parts[2], to="preparing")

    page = html.unescape(client.get(order_status_path(order_number=order.number)).content.decode())
    assert "vous sera envoyé par e-mail" in page and "<svg" not in page
    assert page.count('class="list-group-item pickup-part"') == 3
    assert page.count("Déposée au point de retrait") == 2 and "En préparation" in page
    assert "Point retrait de la Halle, Place de la Halle" in page

    part_advance(parts[2], to="dropped")
    page = html.unescape(client.get(order_status_path(order_number=order.number)).content.decode())
    code = PickupCode.objects.get(order=order)
    assert code.display in page and "<svg" in page and "étagère 1" in page


def test_collected_at_shops_each_part_shows_its_own_counter_and_slot(client):
    order = order_with_parts(count=2, mode="shops")
    page = html.unescape(client.get(order_status_path(order_number=order.number)).content.decode())
    for part in order.shop_orders.all():
        assert part.collection_point.name in page


@pytest.mark.parametrize("tamper", ["token", "number"])
def test_a_tampered_link_is_a_404(client, tamper):
    order, other = order_with_parts(count=1), order_with_parts(count=1)
    path = order_status_path(order_number=order.number)
    if tamper == "token":
        path = path.replace(path.rstrip("/").rsplit("/", 1)[1], "0" * 32)
    else:
        path = path.replace(f"/{order.number}/", f"/{other.number}/")
    assert client.get(path).status_code == 404


def test_the_status_page_runs_the_same_queries_for_one_or_eight_parts(client):
    small, big = order_with_parts(count=1), order_with_parts(count=8)
    client.get(order_status_path(order_number=small.number))  # warm the per-process caches
    counts = []
    for order in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(order_status_path(order_number=order.number)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_customers_own_order_page_shows_the_pickup_block(client):
    user = UserFactory()
    order = order_with_parts(count=2, user=user)
    for part in order.shop_orders.all():
        part_advance(part, to="dropped")
    client.force_login(user)

    page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()

    assert PickupCode.objects.get(order=order).display in page and "<svg" in page


def test_the_status_page_shows_what_the_order_costs_now_after_an_unavailable_item_and_a_cancelled_part(client):
    order = order_with_parts(count=3, quantity=2, price="4.50")  # 3 parts of 9,00 €
    first, second, _third = order.shop_orders.order_by("pk")
    order_services.shop_order_lines_unavailable(
        shop_order=first, user=merchant_of(first.shop), quantities={first.lines.get().pk: 1}
    )
    order_services.shop_order_cancel(shop_order=second, user=merchant_of(second.shop))

    page = html.unescape(client.get(order_status_path(order_number=order.number)).content.decode())

    assert re.search(r'class="col-sm-9 pickup-amount">13,50\s€ TTC', page)  # 4,50 + 9,00
    assert "Commande de 27,00\xa0€ : les articles indisponibles ou annulés" in page


def test_an_order_still_whole_shows_its_amount_without_a_reduction_note(client):
    order = order_with_parts(count=2, quantity=1, price="3.20")

    page = html.unescape(client.get(order_status_path(order_number=order.number)).content.decode())

    assert re.search(r'class="col-sm-9 pickup-amount">6,40\s€ TTC', page)
    assert "pickup-amount-reduced" not in page


def test_the_customers_own_order_page_speaks_of_a_commande_and_shows_no_stale_status_nor_delivery_address(client):
    user = UserFactory()
    order = order_with_parts(count=2, user=user)
    order.status = "Carte autorisée"  # what checkout sets, and nothing updates afterwards
    order.save(update_fields=["status"])
    part_advance(order.shop_orders.order_by("pk").first(), to="dropped")
    client.force_login(user)

    page = html.unescape(client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode())

    assert f"Commande n° {order.number}" in page and "Ordre #" not in page
    assert "Carte autorisée" not in page  # each shop's state is in the pickup block instead
    assert "Déposée au point de retrait" in page and "pickup-amount" in page
    assert "Adresse de livraison" not in page and "Mode de livraison" not in page
    assert 'name="action" value="reorder"' in page
