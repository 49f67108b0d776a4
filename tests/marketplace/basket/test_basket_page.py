"""The basket page: changing quantities, with French messages for quantities beyond the
stock, negative, huge or not numbers, and for lines of a suspended shop; never a 500."""
from __future__ import annotations

import html
from decimal import Decimal

import pytest

from marketplace.basket.models import Basket
from shops.models import ShopStatus
from tests.factories import ProductClassFactory, ProductFactory, ShopFactory, StockRecordFactory

pytestmark = pytest.mark.django_db


def _basket(client) -> Basket:
    return Basket.objects.get(pk=client.cookies["oscar_open_basket"].value.split(":")[0])


@pytest.fixture
def basket_of_two(client):
    comte = StockRecordFactory(product=ProductFactory(title="Comté 18 mois"), shop=ShopFactory(name="Fromagerie Dubois"),
                               price=Decimal("6.90"), num_in_stock=5)
    bread = StockRecordFactory(product=ProductFactory(title="Pain de seigle"), shop=ShopFactory(name="Maison Muller"),
                               price=Decimal("3.20"), num_in_stock=50)
    for offer in (comte, bread):
        client.post(f"/basket/add/{offer.product_id}/", {"quantity": 1, "stockrecord": offer.pk})
    return comte, bread


def _update(client, quantities: dict[int, object]):
    """POST the basket formset with ``quantities`` per line id, as the page does."""
    lines = list(_basket(client).all_lines())
    data = {"form-TOTAL_FORMS": len(lines), "form-INITIAL_FORMS": len(lines), "form-MIN_NUM_FORMS": 0, "form-MAX_NUM_FORMS": 1000}
    for i, line in enumerate(lines):
        data[f"form-{i}-id"] = line.pk
        data[f"form-{i}-quantity"] = quantities.get(line.pk, line.quantity)
    return client.post("/basket/", data, follow=True)


def _line(client, offer):
    return next(line for line in _basket(client).all_lines() if line.stockrecord_id == offer.pk)


def test_changing_a_quantity_updates_the_line_and_the_shop_subtotal(client, basket_of_two):
    comte, _ = basket_of_two

    response = _update(client, {_line(client, comte).pk: 3})

    assert response.status_code == 200
    assert _line(client, comte).quantity == 3
    assert "20,70\xa0€" in response.content.decode()


def test_zero_removes_the_line(client, basket_of_two):
    comte, bread = basket_of_two

    _update(client, {_line(client, comte).pk: 0})

    assert [line.stockrecord_id for line in _basket(client).all_lines()] == [bread.pk]


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (6, "5"),  # Oscar's French message names the units left
        (-2, "La quantité ne peut pas être négative (0 enlève l’article)."),
        (10**12, "La quantité est limitée à 99 par article."),
        ("beaucoup", "La quantité doit être un nombre entier."),
        ("1e3", "La quantité doit être un nombre entier."),
    ],
)
def test_a_bad_quantity_is_refused_with_a_french_message_and_nothing_changes(client, basket_of_two, quantity, message):
    comte, bread = basket_of_two
    bread_line = _line(client, bread)

    response = _update(client, {_line(client, comte).pk: quantity, bread_line.pk: 4})

    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert _line(client, comte).quantity == 1
    assert _line(client, bread).quantity == 1  # all or nothing: the valid line did not change either


def test_a_huge_quantity_of_an_untracked_product_is_refused_too(client):
    offer = StockRecordFactory(product=ProductFactory(product_class=ProductClassFactory(track_stock=False)), num_in_stock=None)
    client.post(f"/basket/add/{offer.product_id}/", {"quantity": 1, "stockrecord": offer.pk})

    response = _update(client, {_line(client, offer).pk: 2**40})

    assert response.status_code == 200
    assert "La quantité est limitée à 99 par article." in html.unescape(response.content.decode())


def test_a_line_of_a_suspended_shop_says_so_and_cannot_grow(client, basket_of_two):
    comte, _ = basket_of_two
    comte.partner.shop.status = ShopStatus.SUSPENDED
    comte.partner.shop.save()

    page = html.unescape(client.get("/basket/").content.decode())
    assert "Ce commerce ne vend pas en ce moment" in page

    response = _update(client, {_line(client, comte).pk: 2})
    assert "Ce commerce ne vend pas en ce moment" in html.unescape(response.content.decode())
    assert _line(client, comte).quantity == 1


def test_the_quantity_fields_have_a_label_naming_the_product(client, basket_of_two):
    page = html.unescape(client.get("/basket/").content.decode())

    assert "Quantité de « Comté 18 mois »" in page
    assert "Quantité de « Pain de seigle »" in page


def test_adding_to_a_basket_with_a_tampered_cookie_starts_a_new_basket(client, basket_of_two):
    comte, _ = basket_of_two
    client.cookies["oscar_open_basket"] = "not-a-number:forged"

    response = client.post(f"/basket/add/{comte.product_id}/", {"quantity": 1, "stockrecord": comte.pk})

    assert response.status_code == 302
    assert Basket.objects.count() == 2


def test_line_labels_put_a_space_before_the_colon_as_french_does(client, basket_of_two):
    page = client.get("/basket/").content.decode()

    assert "Prix&nbsp;:" in page and "Total&nbsp;:" in page
    assert "Prix:" not in page and "Total:" not in page
