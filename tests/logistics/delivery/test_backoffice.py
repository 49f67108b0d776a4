"""The merchant's queue shows delivered orders by window, with the drop time and the parcels; the
picking list prints one label per parcel with a scannable code; another shop's window is a 404."""
from decimal import Decimal

import pytest

from marketplace.checkout.services import order_place
from marketplace.checkout.services.delivery import checkout_delivery_hold
from marketplace.order.models import FulfilmentMode
from shops.staff.services import shop_staff_join
from tests.factories import UserFactory
from tests.factories.delivery import HOME, delivery_ready
from tests.factories.town import basket_of, town_built

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered():
    town = town_built(shops=2, stock=10, price=Decimal("12.00"))
    _zone, window = delivery_ready(town)
    basket = basket_of([(offer, 1) for offer in town.offers])
    checkout_delivery_hold(basket=basket, window_id=window.pk, **HOME)
    order = order_place(basket=basket, user=None, mode=FulfilmentMode.DELIVERY, point=None, guest_email="a@b.test")
    return town, window, order


def signed_in(client, shop):
    user = UserFactory()
    shop_staff_join(shop=shop, user=user, role="staff")
    client.force_login(user)
    return client


def test_the_queue_lists_delivery_orders_by_window_with_drop_time_and_parcels(client, delivered):
    town, window, order = delivered
    html = signed_in(client, town.shops[0]).get("/espace-commercant/commandes/").content.decode()
    assert f'id="window-{window.pk}"' in html and f'data-order="{order.number}"' in html
    assert "1 colis à déposer à « Point retrait de la Halle » avant" in html
    assert f"/espace-commercant/commandes/livraison/{window.pk}/" in html


def test_the_picking_list_prints_a_label_per_parcel_with_its_code_and_qr(client, delivered):
    town, window, order = delivered
    part = order.shop_orders.get(shop=town.shops[0])
    html = signed_in(client, town.shops[0]).get(f"/espace-commercant/commandes/livraison/{window.pk}/").content.decode()
    assert html.count('class="mb-3 delivery-parcel"') == 1
    assert f"L-{order.number}-{part.pk}" in html and "<svg" in html
    assert "12 Rue de la Halle, 45210 Beaumont-sur-Loing" in html


def test_the_order_page_of_a_delivered_part_shows_the_window(client, delivered):
    town, _window, order = delivered
    part = order.shop_orders.get(shop=town.shops[1])
    html = signed_in(client, town.shops[1]).get(f"/espace-commercant/commandes/{part.pk}/").content.decode()
    assert "Livraison" in html and "colis à déposer" in html


def test_a_shop_without_parts_in_the_window_gets_a_404(client, delivered):
    from tests.factories.shops import ShopFactory

    _town, window, _order = delivered
    assert signed_in(client, ShopFactory()).get(f"/espace-commercant/commandes/livraison/{window.pk}/").status_code \
        == 404
