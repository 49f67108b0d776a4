"""A 10,000-row import on PostgreSQL: previewed, handed to the Celery task, applied in one go."""
from __future__ import annotations

import time
from decimal import Decimal

import pytest

from marketplace.catalogue.models import Product
from marketplace.partner.models import StockRecord
from shops.services import stock_import
from shops.models import StockImportStatus
from tests.factories import ProductClassFactory, ShopFactory

ROWS = 10_000


@pytest.mark.django_db
def test_ten_thousand_rows_apply_through_the_task(django_capture_on_commit_callbacks, capsys):
    shop = ShopFactory()
    product_class = ProductClassFactory()
    products = Product.objects.bulk_create(
        Product(title=f"Produit {i}", slug=f"produit-{i}", product_class=product_class, structure="standalone")
        for i in range(ROWS)
    )
    StockRecord.objects.bulk_create(
        StockRecord(product=p, partner=shop.partner, partner_sku=f"SKU{i:05d}", price=Decimal("1.00"),
                    price_currency="EUR", num_in_stock=1, num_allocated=0)
        for i, p in enumerate(products)
    )
    data = ("sku;prix;stock\n" + "".join(f"SKU{i:05d};{i % 100},50;{i % 50}\n" for i in range(ROWS))).encode()

    started = time.perf_counter()
    imp = stock_import.stock_import_preview(shop=shop, user=None, file_name="gros.csv", data=data)
    previewed = time.perf_counter()
    assert imp.status == StockImportStatus.PREVIEWED and imp.row_count == ROWS
    with django_capture_on_commit_callbacks(execute=True):
        assert stock_import.stock_import_apply_start(stock_import=imp).status == StockImportStatus.RUNNING
    applied = time.perf_counter()

    imp.refresh_from_db()
    assert imp.status == StockImportStatus.APPLIED
    assert StockRecord.objects.get(partner_sku="SKU09999").price == Decimal("99.50")
    assert StockRecord.objects.get(partner_sku="SKU09999").num_in_stock == 49
    with capsys.disabled():
        print(f"\nimport {ROWS} lignes : aperçu {previewed - started:.2f} s, application {applied - previewed:.2f} s")
    assert applied - started < 60
