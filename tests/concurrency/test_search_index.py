"""The search index under concurrent writes on PostgreSQL (real threads): nothing is lost.

Each product's vector is recomputed by triggers from the rows other transactions
have committed; two writers touching the same product wait on its row lock, and
the second recomputes with the first's rows (READ COMMITTED, volatile trigger).
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, transaction

from marketplace.partner.models import StockRecord
from marketplace.search.selectors import products_search
from shops.models import Shop, Trade
from tests.concurrency.threads import run_together, unexpected
from tests.factories import ShopFactory
from tests.factories.search import product_on_sale

pytestmark = pytest.mark.django_db(transaction=True)

SHOPS = 8


def test_offers_added_at_once_by_many_shops_all_reach_the_products_document():
    assert connection.vendor == "postgresql"
    product = product_on_sale(title="Galette des rois")
    shops = [ShopFactory(name=f"Fournil Zébulon{n}", trade=Trade.BOULANGERIE) for n in range(SHOPS)]

    def add_offer(i):
        with transaction.atomic():
            StockRecord.objects.create(
                product=product, partner=shops[i].partner, partner_sku=f"GAL-{i}",
                price=Decimal(20), num_in_stock=5,
            )
        return "ok"

    results = run_together(SHOPS, add_offer)

    assert results == ["ok"] * SHOPS, unexpected(results, str)
    for n in range(SHOPS):
        assert [p.title for p in products_search(query=f"zébulon{n}")] == ["Galette des rois"], n


def test_shops_renamed_while_offers_are_added_end_up_with_their_new_names():
    products = [product_on_sale(title=f"Brioche numéro{n}") for n in range(4)]
    shops = [ShopFactory(name=f"Ancien Nom{n}", trade=Trade.BOULANGERIE) for n in range(4)]
    for shop in shops:
        StockRecord.objects.create(
            product=products[0], partner=shop.partner, partner_sku="B0", price=Decimal(5), num_in_stock=1)

    def work(i):
        if i < 4:
            Shop.objects.filter(pk=shops[i].pk).update(name=f"Nouveau Nom{i}")
        else:
            shop = shops[i - 4]
            for product in products[1:]:
                StockRecord.objects.create(
                    product=product, partner=shop.partner, partner_sku=f"B{product.pk}",
                    price=Decimal(5), num_in_stock=1,
                )
        return "ok"

    results = run_together(8, work)

    assert results == ["ok"] * 8, unexpected(results, str)
    for n in range(4):
        assert len(products_search(query=f"nouveau nom{n}")) == 4, n
        assert not products_search(query=f"ancien nom{n}").exists(), n
