"""The marketplace strategy: VAT split, which shop's offer is shown, what can be bought."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from oscar.core.loading import get_class, get_model

from marketplace.partner.strategy import MarketplaceStrategy, ShopNotSelling, split_vat
from shops.models import ShopStatus
from tests.factories import ProductClassFactory, ProductFactory, ShopFactory, StockRecordFactory

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")

D = Decimal
SHOP_NOT_SELLING = "Ce commerce ne vend pas en ce moment"


# --- VAT split -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "rate", "net", "vat"),
    [
        (D("12.00"), D("20.00"), D("10.00"), D("2.00")),
        (D("0.01"), D("20.00"), D("0.01"), D("0.00")),
        (D("29.99"), D("20.00"), D("24.99"), D("5.00")),
        (D("5.50"), D("10.00"), D("5.00"), D("0.50")),
        (D("45.00"), D("10.00"), D("40.91"), D("4.09")),
        (D("1.30"), D("5.50"), D("1.23"), D("0.07")),
        (D("21.00"), D("5.50"), D("19.91"), D("1.09")),
    ],
)
def test_split_vat_gives_rounded_net_and_vat_adding_up_to_the_price(price, rate, net, vat):
    assert split_vat(price, rate) == (net, vat)


@pytest.mark.parametrize("rate", [D("20.00"), D("10.00"), D("5.50"), D("2.10")])
def test_split_vat_net_plus_vat_equals_price_for_every_price_up_to_100_euros(rate):
    for cents in range(1, 10_001):
        price = D(cents) / 100
        net, vat = split_vat(price, rate)
        assert net + vat == price, (price, rate)
        assert net.as_tuple().exponent == -2 and vat.as_tuple().exponent == -2
        exact_net = price * 100 / (100 + rate)
        assert abs(net - exact_net) <= D("0.005"), (price, rate)
        assert vat >= 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rate", "price", "excl_tax", "tax"),
    [
        (D("20.00"), D("12.00"), D("10.00"), D("2.00")),
        (D("10.00"), D("5.50"), D("5.00"), D("0.50")),
        (D("5.50"), D("1.30"), D("1.23"), D("0.07")),
    ],
)
def test_product_price_uses_the_vat_rate_of_its_product_class(rate, price, excl_tax, tax):
    product = ProductFactory(product_class=ProductClassFactory(vat_rate=rate))
    StockRecordFactory(product=product, price=price)

    info = MarketplaceStrategy().fetch_for_product(product)

    assert info.price.is_tax_known
    assert info.price.currency == "EUR"
    assert (info.price.excl_tax, info.price.tax) == (excl_tax, tax)
    assert info.price.incl_tax == price
    assert info.price.excl_tax + info.price.tax == price


# --- Which offer is shown ---------------------------------------------------------------


@pytest.mark.django_db
def test_cheapest_in_stock_offer_is_chosen_among_two_shops():
    product = ProductFactory()
    StockRecordFactory(product=product, price=D("3.20"), num_in_stock=8)
    cheaper = StockRecordFactory(product=product, price=D("2.90"), num_in_stock=3)

    info = MarketplaceStrategy().fetch_for_product(product)

    assert info.stockrecord == cheaper
    assert info.price.incl_tax == D("2.90")
    assert info.availability.is_available_to_buy


@pytest.mark.django_db
def test_an_in_stock_offer_beats_a_cheaper_out_of_stock_offer():
    product = ProductFactory()
    in_stock = StockRecordFactory(product=product, price=D("3.20"), num_in_stock=8)
    StockRecordFactory(product=product, price=D("2.90"), num_in_stock=0)

    info = MarketplaceStrategy().fetch_for_product(product)

    assert info.stockrecord == in_stock
    assert info.availability.is_available_to_buy


@pytest.mark.django_db
@pytest.mark.parametrize(
    "not_selling", [{"status": ShopStatus.SUSPENDED}, {"vacation_mode": True}], ids=["suspended", "vacation"]
)
def test_offer_of_a_shop_not_selling_is_never_chosen_even_when_cheaper(not_selling):
    product = ProductFactory()
    StockRecordFactory(product=product, price=D("1.00"), shop=ShopFactory(**not_selling))
    selling = StockRecordFactory(product=product, price=D("4.00"))

    info = MarketplaceStrategy().fetch_for_product(product)

    assert info.stockrecord == selling
    assert info.price.incl_tax == D("4.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "not_selling", [{"status": ShopStatus.SUSPENDED}, {"vacation_mode": True}], ids=["suspended", "vacation"]
)
def test_product_offered_only_by_a_shop_not_selling_is_unavailable(not_selling):
    product = ProductFactory()
    StockRecordFactory(product=product, price=D("1.00"), shop=ShopFactory(**not_selling))

    info = MarketplaceStrategy().fetch_for_product(product)

    assert info.stockrecord is None
    assert not info.price.exists
    assert not info.availability.is_available_to_buy


@pytest.mark.django_db
@pytest.mark.parametrize(
    "not_selling", [{"status": ShopStatus.SUSPENDED}, {"vacation_mode": True}], ids=["suspended", "vacation"]
)
def test_explicit_offer_of_a_shop_not_selling_is_unavailable_with_a_french_message(not_selling):
    product = ProductFactory()
    offer = StockRecordFactory(product=product, num_in_stock=50, shop=ShopFactory(**not_selling))

    info = MarketplaceStrategy().fetch_for_product(product, offer)

    assert isinstance(info.availability, ShopNotSelling)
    assert not info.availability.is_available_to_buy
    assert str(info.availability.message) == SHOP_NOT_SELLING
    assert not info.availability.is_purchase_permitted(1)[0]


@pytest.mark.django_db
def test_basket_line_keeps_its_own_dearer_stockrecord():
    product = ProductFactory(product_class=ProductClassFactory(vat_rate=D("5.50")))
    StockRecordFactory(product=product, price=D("1.10"))
    dearer = StockRecordFactory(product=product, price=D("1.30"))
    basket = Basket.objects.create()
    line = Line.objects.create(
        basket=basket,
        line_reference=f"{product.pk}_{dearer.pk}",
        product=product,
        stockrecord=dearer,
        quantity=1,
        price_currency="EUR",
        price_excl_tax=D("1.23"),
        price_incl_tax=D("1.30"),
    )

    info = MarketplaceStrategy().fetch_for_line(line)

    assert info.stockrecord == dearer
    assert info.price.incl_tax == D("1.30")
    assert (info.price.excl_tax, info.price.tax) == (D("1.23"), D("0.07"))


@pytest.mark.django_db
def test_basket_line_of_a_shop_gone_on_holiday_becomes_unavailable():
    shop = ShopFactory()
    product = ProductFactory()
    offer = StockRecordFactory(product=product, shop=shop, price=D("2.00"))
    basket = Basket.objects.create()
    line = Line.objects.create(
        basket=basket, line_reference="l1", product=product, stockrecord=offer, quantity=1,
        price_currency="EUR", price_excl_tax=D("1.67"), price_incl_tax=D("2.00"),
    )
    shop.vacation_mode = True
    shop.save()
    line = Line.objects.get(pk=line.pk)

    info = MarketplaceStrategy().fetch_for_line(line)

    assert info.stockrecord == offer
    assert str(info.availability.message) == SHOP_NOT_SELLING
    assert not info.availability.is_available_to_buy


def test_selector_returns_the_marketplace_strategy():
    strategy = get_class("partner.strategy", "Selector")().strategy()

    assert isinstance(strategy, MarketplaceStrategy)


# --- Database constraints on offers -----------------------------------------------------


@pytest.mark.django_db
def test_allocating_more_than_the_stock_is_rejected_by_the_database():
    offer = StockRecordFactory(num_in_stock=5, num_allocated=5)
    offer.num_allocated = 6

    with pytest.raises(IntegrityError, match="stockrecord_allocated_within_stock"), transaction.atomic():
        offer.save()


@pytest.mark.django_db
def test_negative_allocation_is_rejected_by_the_database():
    with pytest.raises(IntegrityError, match="stockrecord_allocated_within_stock"), transaction.atomic():
        StockRecordFactory(num_in_stock=None, num_allocated=-1)


@pytest.mark.django_db
def test_negative_price_is_rejected_by_the_database():
    with pytest.raises(IntegrityError, match="stockrecord_price_not_negative"), transaction.atomic():
        StockRecordFactory(price=D("-0.01"))


@pytest.mark.django_db
def test_negative_price_fails_model_validation_with_a_french_message():
    offer = StockRecordFactory.build(shop=ShopFactory(), product=ProductFactory(), price=D("-1.00"))

    with pytest.raises(ValidationError) as excinfo:
        offer.full_clean()

    assert "Le prix ne peut pas être négatif." in str(excinfo.value)


@pytest.mark.django_db
def test_a_shop_has_at_most_one_offer_per_product():
    offer = StockRecordFactory()

    with pytest.raises(IntegrityError, match="stockrecord_one_per_shop_and_product"), transaction.atomic():
        StockRecordFactory(product=offer.product, partner=offer.partner, shop=offer.partner.shop)
