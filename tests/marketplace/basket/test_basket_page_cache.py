"""A guest's basket page served whole from the cache: one query, never stale (quantities,
prices, stock, shop status, offers), never another visitor's basket, each visitor's own
CSRF token, and never for a signed-in customer."""
from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.apps.offer.models import Benefit, Condition, ConditionalOffer, Range

from marketplace.core import page_cache
from marketplace.partner.models import StockRecord
from shops.models import Shop, ShopStatus
from tests.factories import ProductFactory, ShopFactory, StockRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comte():
    return StockRecordFactory(
        product=ProductFactory(title="Comté 18 mois"), shop=ShopFactory(name="Fromagerie Dubois"),
        price=Decimal("6.90"), num_in_stock=5,
    )


def guest_with(offer, quantity: int = 1, **client_kwargs) -> Client:
    """A guest who put ``quantity`` of ``offer`` in a basket and has seen the message."""
    guest = Client(**client_kwargs)
    if client_kwargs.get("enforce_csrf_checks"):
        page = guest.get(offer.product.get_absolute_url()).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    else:
        token = ""
    guest.post(f"/basket/add/{offer.product_id}/", {"quantity": quantity, "stockrecord": offer.pk, "csrfmiddlewaretoken": token})
    guest.get("/basket/")  # shows (and uses up) the "ajouté à votre panier" message
    return guest


def basket_page(guest: Client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = guest.get("/basket/")
    assert response.status_code == 200
    return html.unescape(response.content.decode()), len(queries)


def test_a_guest_sees_their_basket_from_the_cache_for_one_query(comte):
    guest = guest_with(comte, quantity=2)
    basket_page(guest)  # fills the cache

    page, queries = basket_page(guest)

    assert queries == 1  # the signature
    assert "Comté 18 mois" in page and "Fromagerie Dubois" in page and "13,80" in page


def test_two_guests_never_see_each_others_basket(comte):
    bread = StockRecordFactory(product=ProductFactory(title="Pain de seigle"), price=Decimal("3.20"))
    first, second = guest_with(comte), guest_with(bread)
    for _ in range(2):
        first_page, _ = basket_page(first)
        second_page, _ = basket_page(second)
    assert "Comté 18 mois" in first_page and "Pain de seigle" not in first_page
    assert "Pain de seigle" in second_page and "Comté 18 mois" not in second_page


def test_a_new_price_a_smaller_stock_and_a_suspended_shop_show_at_once(comte):
    guest = guest_with(comte, quantity=2)
    basket_page(guest)
    basket_page(guest)

    StockRecord.objects.filter(pk=comte.pk).update(price=Decimal("7.10"))  # no signal
    assert "14,20" in basket_page(guest)[0]

    StockRecord.objects.filter(pk=comte.pk).update(num_allocated=4)  # one unit left
    before_suspension = basket_page(guest)[0]
    assert "14,20" in before_suspension

    Shop.objects.filter(pk=comte.partner.shop.pk).update(status=ShopStatus.SUSPENDED)
    assert basket_page(guest)[0] != before_suspension


def test_a_quantity_changed_on_the_page_shows_at_once(comte):
    guest = guest_with(comte)
    basket_page(guest)
    assert basket_page(guest)[1] == 1  # from the cache

    page = guest.get("/basket/").content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(form-[^"]+)" value="([^"]*)"', page))
    line_id = re.search(r'name="form-0-id" value="(\d+)"', page).group(1)
    guest.post("/basket/", {**fields, "form-0-id": line_id, "form-0-quantity": 3})
    guest.get("/")  # the "quantité mise à jour" message

    assert "20,70" in basket_page(guest)[0]


def test_a_town_offer_created_suspended_reopened_or_changed_shows_at_once(comte):
    guest = guest_with(comte, quantity=2)
    basket_page(guest)
    assert "Semaine du commerce local" not in basket_page(guest)[0]

    everything = Range.objects.create(name="Tout le centre-ville", includes_all_products=True)
    ConditionalOffer.objects.create(
        name="Semaine du commerce local",
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=10),
    )

    page = basket_page(guest)[0]
    assert "Semaine du commerce local" in page
    assert "12,42" in page  # 13,80 € less 10 %

    ConditionalOffer.objects.filter(name="Semaine du commerce local").update(status=ConditionalOffer.SUSPENDED)
    assert "Semaine du commerce local" not in basket_page(guest)[0]

    ConditionalOffer.objects.filter(name="Semaine du commerce local").update(status=ConditionalOffer.OPEN)
    Benefit.objects.filter(type=Benefit.PERCENTAGE).update(value=20)  # the town doubles it
    assert "11,04" in basket_page(guest)[0]  # 13,80 € less 20 %


def test_the_cached_page_carries_a_working_csrf_token_for_each_guest(comte):
    first = guest_with(comte, enforce_csrf_checks=True)
    second = guest_with(comte, enforce_csrf_checks=True)
    tokens = []
    for guest in (first, second, first):
        page = guest.get("/basket/").content.decode()
        assert page_cache.CSRF_MARKER not in page
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))
    assert tokens[0] != tokens[1]

    page = first.get("/basket/").content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.split('id="basket_formset"')[1]))
    response = first.post("/basket/", {**fields, "form-0-quantity": 2})
    assert response.status_code == 302


def test_a_signed_in_customer_or_a_tampered_cookie_gets_the_page_rendered(comte):
    customer = UserFactory()
    shopper = Client()
    shopper.force_login(customer)
    shopper.post(f"/basket/add/{comte.product_id}/", {"quantity": 1, "stockrecord": comte.pk})
    shopper.get("/basket/")
    assert basket_page(shopper)[1] > 1

    tampered = Client()
    tampered.cookies["oscar_open_basket"] = "999999:forged"
    page, _ = basket_page(tampered)
    assert "Comté 18 mois" not in page and "Votre panier est vide" in page
