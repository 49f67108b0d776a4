"""Property: any generated CSV either applies fully or changes nothing."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st

from marketplace.partner.models import StockRecord
from shops.services import stock_import
from shops.models import StockImportStatus
from tests.factories import ShopFactory, StockRecordFactory

SKUS = ["A", "B", "C", "AUTRE", "INCONNU"]
cell_price = st.one_of(st.just(""), st.decimals(0, 999, places=2).map(lambda d: str(d).replace(".", ",")),
                       st.sampled_from(["abc", "-1", "1,234", "3.5"]))
cell_stock = st.one_of(st.just(""), st.integers(-3, 40).map(str), st.sampled_from(["x", "1,5"]))
row = st.tuples(st.sampled_from(SKUS), cell_price, cell_stock)


@pytest.mark.django_db
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, min_size=1, max_size=6), delimiter=st.sampled_from([";", ","]), allocated=st.integers(0, 5))
def test_a_csv_applies_fully_or_not_at_all(rows, delimiter, allocated):
    shop = ShopFactory()
    for sku in "ABC":
        StockRecordFactory(shop=shop, partner_sku=sku, num_in_stock=10, num_allocated=allocated, price=Decimal("5.00"))
    StockRecordFactory(partner_sku="AUTRE")
    quote = (lambda c: f'"{c}"') if delimiter == "," else (lambda c: c)
    text = "sku;prix;stock\n".replace(";", delimiter) + "".join(
        delimiter.join([sku, quote(price), stock]) + "\n" for sku, price, stock in rows
    )
    before = {sr.partner_sku: (sr.price, sr.num_in_stock) for sr in StockRecord.objects.filter(partner=shop.partner)}

    imp = stock_import.stock_import_preview(shop=shop, user=None, file_name="p.csv", data=text.encode())
    if imp.status == StockImportStatus.PREVIEWED:
        imp = stock_import.stock_import_apply(stock_import=imp)
    after = {sr.partner_sku: (sr.price, sr.num_in_stock) for sr in StockRecord.objects.filter(partner=shop.partner)}

    if imp.status == StockImportStatus.APPLIED:
        expected = dict(before)
        for r in imp.rows:
            price, stock = expected[r["sku"]]
            expected[r["sku"]] = (Decimal(r["price"]) if r["price"] is not None else price,
                                  r["stock"] if r["stock"] is not None else stock)
        assert after == expected
        assert all(stock >= allocated for _, stock in after.values())
    else:
        assert imp.status == StockImportStatus.REFUSED and imp.errors
        assert after == before


def _offers(shop) -> dict:
    return {sr.partner_sku: (sr.price, sr.num_in_stock) for sr in StockRecord.objects.filter(partner=shop.partner)}


def _expected_after(before: dict, rows: list[dict]) -> dict:
    expected = dict(before)
    for r in rows:
        price, stock = expected[r["sku"]]
        expected[r["sku"]] = (Decimal(r["price"]) if r["price"] is not None else price,
                              r["stock"] if r["stock"] is not None else stock)
    return expected


header = st.sampled_from([
    "sku;prix;stock", "SKU,Prix,Stock", "référence;prix ttc;quantité", "stock;sku;prix;note",
    "sku;prix", "sku\tprix\tstock", "", "prix;prix;stock",
])
free_cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8)
any_cell = st.one_of(free_cell, cell_price, cell_stock, st.sampled_from(SKUS), st.sampled_from(['"', ";", ",", "\n", "=1+1"]))


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    head=header,
    lines=st.lists(st.lists(any_cell, min_size=0, max_size=5), max_size=6),
    delimiter=st.sampled_from([";", ",", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]),
    reserved_after_preview=st.integers(0, 12),
)
def test_any_file_even_garbage_applies_fully_or_changes_nothing(head, lines, delimiter, encoding, reserved_after_preview):
    """Arbitrary headers, cells, delimiters and encodings; units may be reserved between preview and apply."""
    shop = ShopFactory()
    for sku in "ABC":
        StockRecordFactory(shop=shop, partner_sku=sku, num_in_stock=10, num_allocated=0, price=Decimal("5.00"))
    StockRecordFactory(partner_sku="AUTRE")
    text = head + "\n" + "".join(delimiter.join(cells) + "\n" for cells in lines)
    data = text.encode(encoding, errors="replace")
    before = _offers(shop)

    imp = stock_import.stock_import_preview(shop=shop, user=None, file_name="n.csv", data=data)
    assert _offers(shop) == before  # a preview writes nothing
    if imp.status == StockImportStatus.PREVIEWED:
        StockRecord.objects.filter(partner=shop.partner, partner_sku="A").update(num_allocated=min(reserved_after_preview, 10))
        imp = stock_import.stock_import_apply(stock_import=imp)
    after = _offers(shop)
    event(f"import {imp.status}")

    if imp.status == StockImportStatus.APPLIED:
        assert after == _expected_after(before, imp.rows)
    else:
        assert imp.status == StockImportStatus.REFUSED and imp.errors
        assert all(e["message"] for e in imp.errors)
        assert after == before
