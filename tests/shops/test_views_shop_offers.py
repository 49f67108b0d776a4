"""On a shop's page, product cards show and add that shop's offer, not a cheaper one elsewhere."""
from decimal import Decimal

import pytest

from marketplace.basket.models import Basket
from tests.factories import ProductFactory, ShopFactory, StockRecordFactory

pytestmark = pytest.mark.django_db


def test_shop_page_card_shows_and_adds_this_shops_offer(client):
    cheap_shop, dear_shop = ShopFactory(name="Maison Muller"), ShopFactory(name="La Mie Gourmet")
    product = ProductFactory(title="Baguette tradition")
    StockRecordFactory(product=product, shop=cheap_shop, price=Decimal("1.10"))
    dear = StockRecordFactory(product=product, shop=dear_shop, price=Decimal("1.45"))

    html = client.get(dear_shop.get_absolute_url()).content.decode()
    assert "1,45\xa0€" in html and "1,10\xa0€" not in html
    assert f'name="stockrecord" value="{dear.pk}"' in html

    client.post(f"/basket/add/{product.pk}/", {"quantity": 1, "stockrecord": dear.pk})
    basket = Basket.objects.get(pk=client.cookies["oscar_open_basket"].value.split(":")[0])
    assert basket.all_lines().get().stockrecord == dear
