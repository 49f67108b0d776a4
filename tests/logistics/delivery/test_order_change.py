"""The shopper changes a delivered order's address or window while no shop has started preparing;
the order page shows the delivery; cancelling gives the window back."""
from decimal import Decimal

import pytest

from logistics.delivery.models import DeliveryBooking
from logistics.delivery.services.changes import delivery_order_change
from logistics.models import HoldStatus
from logistics.pickup.tokens import order_status_path
from marketplace.checkout.services import order_place
from marketplace.checkout.services.delivery import checkout_delivery_hold
from marketplace.order import services as workflow
from marketplace.order.exceptions import OrderError
from marketplace.order.models import FulfilmentMode
from shops.staff.services import shop_staff_join
from tests.factories import UserFactory
from tests.factories.delivery import HOME, delivery_ready, window_with_capacity
from tests.factories.town import basket_of, town_built

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered():
    town = town_built(shops=2, stock=10, price=Decimal("12.00"))
    zone, window = delivery_ready(town, parcels=4)
    later = window_with_capacity(zone=zone, parcels=4, template=window.template,
                                 starts_at=window.ends_at)
    basket = basket_of([(offer, 1) for offer in town.offers])
    checkout_delivery_hold(basket=basket, window_id=window.pk, **HOME)
    order = order_place(basket=basket, user=None, mode=FulfilmentMode.DELIVERY, point=None, guest_email="a@b.test")
    return town, window, later, order


def windows_of(*windows):
    for w in windows:
        w.refresh_from_db()
    return [(w.booked, w.held) for w in windows]


def test_the_order_page_shows_the_address_the_window_and_the_change_link(client, delivered):
    _town, _window, _later, order = delivered
    html = client.get(order_status_path(order_number=order.number)).content.decode()
    assert "Livraison à domicile" in html and "12 Rue de la Halle" in html and "Bât. B" in html
    assert "Changer l&#x27;adresse ou la fenêtre de livraison" in html or "Changer l'adresse" in html


def test_moving_to_another_window_gives_the_first_its_parcels_back(client, delivered):
    _town, window, later, order = delivered
    page = order_status_path(order_number=order.number) + "livraison/"
    form = client.get(page)
    assert form.status_code == 200 and f'value="{later.pk}"' in form.content.decode()
    response = client.post(page, {**HOME, "street": "3 Rue de la Halle", "window": later.pk})
    assert response.status_code == 302
    booking = DeliveryBooking.objects.get(order=order)
    assert (booking.window_id, booking.street) == (later.pk, "3 Rue de la Halle")
    assert windows_of(window, later) == [(0, 0), (2, 0)]


def test_a_change_is_refused_once_a_shop_is_preparing_and_nothing_moves(delivered):
    town, window, later, order = delivered
    staff = UserFactory()
    shop_staff_join(shop=town.shops[0], user=staff, role="staff")
    part = order.shop_orders.get(shop=town.shops[0])
    workflow.shop_order_accept(shop_order=part, user=staff)
    workflow.shop_order_prepare(shop_order=part, user=staff)
    with pytest.raises(OrderError, match="La préparation a commencé chez « Commerce A »"):
        delivery_order_change(order=order, user=None, window_id=later.pk, **HOME)
    assert windows_of(window, later) == [(2, 0), (0, 0)]


def test_a_change_to_a_full_window_or_an_unknown_street_is_refused_precisely(client, delivered):
    _town, window, later, order = delivered
    from logistics.delivery.models import DeliveryWindow

    DeliveryWindow.objects.filter(pk=later.pk).update(booked=3)
    with pytest.raises(OrderError, match="pas possible pour cette commande"):
        delivery_order_change(order=order, user=None, window_id=later.pk, **HOME)
    page = order_status_path(order_number=order.number) + "livraison/"
    response = client.post(page, {**HOME, "street": "1 Impasse Inconnue", "window": window.pk})
    assert response.status_code == 400 and "Nous ne trouvons pas « Impasse Inconnue »" in response.content.decode()
    assert windows_of(window, later) == [(2, 0), (3, 0)]


def test_cancelling_the_delivered_order_releases_its_window(client, delivered):
    _town, window, _later, order = delivered
    response = client.post(order_status_path(order_number=order.number) + "annuler/")
    assert response.status_code == 302
    assert DeliveryBooking.objects.get(order=order).status == HoldStatus.RELEASED
    assert windows_of(window) == [(0, 0)]
