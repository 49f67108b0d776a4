"""Oscar's account views that wrote on a GET (default address, wish lists, stock alerts) are
POST only: a GET (a link planted elsewhere, a mail client's link checker) shows the button
and changes nothing; the CSRF-checked POST does the change."""
from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from oscar.apps.customer.models import ProductAlert
from oscar.apps.wishlists.models import Line as WishListLine
from oscar.test.factories import ProductAlertFactory, UserAddressFactory, WishListFactory

from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper(client):
    user = UserFactory(username="acheteur")
    client.force_login(user)
    return user


def _offers_the_button(response) -> bool:
    return response.status_code == 200 and bool(re.search(r'<form method="post" action="[^"]+">', response.content.decode()))


def test_making_an_address_the_default_needs_a_post(client, shopper):
    address = UserAddressFactory(user=shopper, is_default_for_billing=False)
    url = reverse("customer:address-change-status", kwargs={"pk": address.pk, "action": "default_for_billing"})

    assert _offers_the_button(client.get(url))
    address.refresh_from_db()
    assert address.is_default_for_billing is False

    assert client.post(url).status_code == 302
    address.refresh_from_db()
    assert address.is_default_for_billing is True


def test_the_address_list_makes_the_default_with_a_form_not_a_link(client, shopper):
    UserAddressFactory(user=shopper)
    page = client.get(reverse("customer:address-list")).content.decode()
    assert "default_for_billing" in page
    assert not re.search(r'<a [^>]*href="[^"]*default_for_(billing|shipping)', page)


def test_adding_to_and_moving_between_wish_lists_need_a_post(client, shopper):
    product = ProductFactory()
    first, second = WishListFactory(owner=shopper), WishListFactory(owner=shopper)
    add = reverse("customer:wishlists-add-product", kwargs={"key": first.key, "product_pk": product.pk})

    assert _offers_the_button(client.get(add))
    assert not WishListLine.objects.exists()
    client.post(add)
    line = WishListLine.objects.get(wishlist=first)

    move = reverse("customer:wishlists-move-product-to-another",
                   kwargs={"key": first.key, "line_pk": line.pk, "to_key": second.key})
    assert _offers_the_button(client.get(move))
    assert WishListLine.objects.get().wishlist == first
    client.post(move)
    assert WishListLine.objects.get().wishlist == second


def test_confirming_or_cancelling_a_stock_alert_needs_a_post(client, shopper):
    alert = ProductAlertFactory(user=shopper, product=ProductFactory(), status=ProductAlert.ACTIVE)
    cancel = reverse("customer:alerts-cancel-by-pk", kwargs={"pk": alert.pk})

    assert _offers_the_button(client.get(cancel))
    alert.refresh_from_db()
    assert alert.status == ProductAlert.ACTIVE
    client.post(cancel)
    alert.refresh_from_db()
    assert alert.status == ProductAlert.CANCELLED

    unconfirmed = ProductAlertFactory(user=None, email="passante@halle.test", product=ProductFactory(),
                                      status=ProductAlert.UNCONFIRMED)
    confirm = reverse("customer:alerts-confirm", kwargs={"key": unconfirmed.key})
    assert _offers_the_button(Client().get(confirm))  # what a mail client's link checker opens
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == ProductAlert.UNCONFIRMED
    Client().post(confirm)
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == ProductAlert.ACTIVE


def test_a_cross_site_post_without_the_token_changes_nothing(shopper):
    address = UserAddressFactory(user=shopper, is_default_for_billing=False)
    client = Client(enforce_csrf_checks=True)
    client.force_login(shopper)

    response = client.post(reverse("customer:address-change-status",
                                   kwargs={"pk": address.pk, "action": "default_for_billing"}))

    assert response.status_code == 403
    address.refresh_from_db()
    assert address.is_default_for_billing is False


def test_the_alert_and_wish_list_pages_offer_buttons_not_links(client, shopper):
    ProductAlertFactory(user=shopper, product=ProductFactory(), status=ProductAlert.ACTIVE)
    first = WishListFactory(owner=shopper)
    WishListFactory(owner=shopper)  # another list to move the line to
    WishListLine.objects.create(wishlist=first, product=ProductFactory(), title="Tarte")

    alerts = client.get(reverse("customer:alerts-list")).content.decode()
    wishlist = client.get(reverse("customer:wishlists-detail", kwargs={"key": first.key})).content.decode()

    assert 'formaction="/accounts/alerts/cancel/' in alerts and not re.search(r'<a [^>]*href="/accounts/alerts/cancel/', alerts)
    assert "/move-to/" in wishlist and not re.search(r'<a [^>]*href="[^"]*/move-to/', wishlist)
