"""The search index follows every write: renames, offers, attributes, bulk inserts, imports.

Marked ``sqlite``: PostgreSQL's triggers (search migration 0003) and the SQLite
demo's (``sqlite_index``) must give the same answers.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.catalogue.models import (
    AttributeOption,
    AttributeOptionGroup,
    Category,
    Product,
    ProductAttribute,
    ProductAttributeValue,
    ProductCategory,
)
from marketplace.partner.models import StockRecord
from marketplace.search.selectors import products_search
from marketplace.search.services import search_index_rebuild
from shops.services import catalogue as shop_catalogue
from shops.services import profile as shop_profile
from shops import stock as shop_stock
from shops.services import stock_import as shop_imports
from shops.models import Shop, ShopStatus, Trade
from tests.factories import CategoryFactory, ShopFactory, StockRecordFactory
from tests.factories.search import RangeFactory, StallFactory, product_on_sale

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def found(query: str) -> list[str]:
    return sorted(p.title for p in products_search(query=query))


# --- Categories ---------------------------------------------------------------------------


def test_renaming_a_category_or_its_parent_changes_what_finds_its_products():
    top = CategoryFactory(name="Épicerie")
    sub = CategoryFactory(name="Confitures", parent=top)
    product_on_sale(title="Pot d'abricots", categories=[sub])

    Category.objects.filter(pk=sub.pk).update(name="Tartinables")
    top = Category.objects.get(pk=top.pk)
    top.name = "Garde-manger"
    top.save()

    assert found("tartinables") == found("garde-manger") == ["Pot d'abricots"]
    assert found("confitures") == found("épicerie") == []


def test_moving_a_category_under_another_parent_gives_its_products_the_new_ancestors():
    sweet = CategoryFactory(name="Douceurs")
    salty = CategoryFactory(name="Salaisons")
    jams = CategoryFactory(name="Confitures", parent=sweet)
    product_on_sale(title="Pot d'abricots", categories=[jams])

    Category.objects.move(Category.objects.get(pk=jams.pk), Category.objects.get(pk=salty.pk), pos="last-child")

    assert found("salaisons") == ["Pot d'abricots"]
    assert found("douceurs") == []


def test_hiding_a_category_takes_its_name_out_of_the_index():
    category = CategoryFactory(name="Confitures")
    product_on_sale(title="Pot d'abricots", categories=[category])

    Category.objects.filter(pk=category.pk).update(is_public=False)

    assert found("confitures") == []


def test_adding_and_removing_a_product_from_a_category():
    category = CategoryFactory(name="Confitures")
    product = product_on_sale(title="Pot d'abricots")

    ProductCategory.objects.create(product=product, category=category)
    assert found("confitures") == ["Pot d'abricots"]

    ProductCategory.objects.filter(product=product).delete()
    assert found("confitures") == []


# --- Shops and offers ---------------------------------------------------------------------


def test_renaming_a_shop_or_changing_its_trade_changes_what_finds_its_products():
    shop = ShopFactory(name="Chez Paulette", trade=Trade.EPICERIE)
    product_on_sale(title="Pot d'abricots", shop=shop)
    assert found("paulette") == found("épicerie fine") == ["Pot d'abricots"]

    shop.name, shop.trade = "Comptoir Lucas", Trade.CHOCOLATIER
    shop.save()

    assert found("lucas") == found("chocolatier") == ["Pot d'abricots"]
    assert found("paulette") == found("épicerie") == []


def test_a_suspended_shop_or_one_on_holiday_no_longer_makes_its_products_findable_by_its_name():
    seller = ShopFactory(name="Chez Paulette")
    product = product_on_sale(title="Pot d'abricots", shop=ShopFactory(name="Comptoir Lucas"))
    StockRecordFactory(product=product, shop=seller)

    Shop.objects.filter(pk=seller.pk).update(status=ShopStatus.SUSPENDED)
    assert found("paulette") == []
    assert found("lucas") == ["Pot d'abricots"]

    Shop.objects.filter(pk=seller.pk).update(status=ShopStatus.ACTIVE, vacation_mode=True)
    assert found("paulette") == []

    shop_profile.shop_profile_update(shop=Shop.objects.get(pk=seller.pk), vacation_mode=False)
    assert found("paulette") == ["Pot d'abricots"]


def test_an_offer_added_or_removed_adds_or_removes_its_shop_from_the_product():
    product = product_on_sale(title="Pot d'abricots", shop=ShopFactory(name="Comptoir Lucas"))
    other = ShopFactory(name="Chez Paulette")

    offer = StockRecordFactory(product=product, shop=other)
    assert found("paulette") == ["Pot d'abricots"]

    StockRecord.objects.filter(pk=offer.pk).delete()
    assert found("paulette") == []


def test_an_offer_moved_to_another_product_moves_its_shop():
    shop = ShopFactory(name="Chez Paulette")
    first = product_on_sale(title="Pot d'abricots")
    second = product_on_sale(title="Pot de cerises")
    offer = StockRecordFactory(product=first, shop=shop)

    StockRecord.objects.filter(pk=offer.pk).update(product=second)

    assert found("paulette") == ["Pot de cerises"]


def test_a_product_created_in_the_back_office_is_found_by_its_shop_category_and_class():
    shop = ShopFactory(name="Chez Paulette", trade=Trade.EPICERIE)
    category = CategoryFactory(name="Confitures")

    shop_catalogue.product_create(
        shop=shop, title="Pot de mirabelles", description="<p>Cueillies en Lorraine</p>", category=category,
        product_class=RangeFactory(name="Alimentaire"), price=Decimal("5.20"), num_in_stock=4, sku="MIR-1",
    )

    for query in ("mirabelles", "paulette", "épicerie", "confitures", "alimentaire", "lorraine"):
        assert found(query) == ["Pot de mirabelles"], query


# --- Class and attributes -----------------------------------------------------------------


def test_renaming_the_product_class_or_changing_a_product_class():
    product_class = RangeFactory(name="Alimentaire")
    product = product_on_sale(title="Pot d'abricots", product_class=product_class)

    product_class.name = "Épicerie sucrée"
    product_class.save()
    assert found("sucrée") == ["Pot d'abricots"]

    Product.objects.filter(pk=product.pk).update(product_class=RangeFactory(name="Conserves"))
    assert found("conserves") == ["Pot d'abricots"]
    assert found("sucrée") == []


@pytest.fixture
def attributes():
    product_class = RangeFactory(name="Chaussures")
    group = AttributeOptionGroup.objects.create(name="Matières")
    leather = AttributeOption.objects.create(group=group, option="Cuir")
    canvas = AttributeOption.objects.create(group=group, option="Toile")
    return {
        "class": product_class,
        "colour": ProductAttribute.objects.create(product_class=product_class, name="Couleur", code="couleur", type="text"),
        "size": ProductAttribute.objects.create(product_class=product_class, name="Pointure", code="pointure", type="integer"),
        "vegan": ProductAttribute.objects.create(product_class=product_class, name="Végane", code="vegane", type="boolean"),
        "material": ProductAttribute.objects.create(
            product_class=product_class, name="Matière", code="matiere", type="option", option_group=group),
        "linings": ProductAttribute.objects.create(
            product_class=product_class, name="Doublures", code="doublures", type="multi_option", option_group=group),
        "leather": leather,
        "canvas": canvas,
    }


def test_attribute_values_are_found_and_follow_their_changes(attributes):
    product = product_on_sale(title="Derbies", product_class=attributes["class"])

    colour = ProductAttributeValue.objects.create(product=product, attribute=attributes["colour"], value_text="Bordeaux")
    ProductAttributeValue.objects.create(product=product, attribute=attributes["size"], value_integer=43)
    ProductAttributeValue.objects.create(product=product, attribute=attributes["vegan"], value_boolean=True)
    ProductAttributeValue.objects.create(
        product=product, attribute=attributes["material"], value_option=attributes["leather"])
    linings = ProductAttributeValue.objects.create(product=product, attribute=attributes["linings"])
    linings.value_multi_option.add(attributes["canvas"])

    for query in ("bordeaux", "43", "végane", "cuir", "toile"):
        assert found(query) == ["Derbies"], query

    colour.value_text = "Marine"
    colour.save()
    AttributeOption.objects.filter(pk=attributes["leather"].pk).update(option="Nubuck")
    linings.value_multi_option.remove(attributes["canvas"])

    assert found("marine") == found("nubuck") == ["Derbies"]
    assert found("bordeaux") == found("cuir") == found("toile") == []

    ProductAttributeValue.objects.filter(product=product).delete()
    assert found("marine") == found("43") == []


def test_a_false_boolean_attribute_does_not_make_its_name_a_word_of_the_product(attributes):
    product = product_on_sale(title="Derbies", product_class=attributes["class"])

    ProductAttributeValue.objects.create(product=product, attribute=attributes["vegan"], value_boolean=False)

    assert found("végane") == []


# --- Bulk writes --------------------------------------------------------------------------


def test_bulk_inserts_of_products_categories_and_offers_are_indexed():
    product_class = RangeFactory(name="Alimentaire")
    category = CategoryFactory(name="Gâteaux")
    shop = StallFactory(name="Maison Paulette")
    Product.objects.bulk_create([
        Product(title="Gâteau basque", slug="gateau-basque", product_class=product_class, upc="BULK1"),
        Product(title="Galette des rois", slug="galette", product_class=product_class, upc="BULK2"),
    ])
    products = list(Product.objects.filter(upc__in=["BULK1", "BULK2"]).order_by("upc"))
    ProductCategory.objects.bulk_create([ProductCategory(product=p, category=category) for p in products])
    StockRecord.objects.bulk_create([
        StockRecord(product=p, partner=shop.partner, partner_sku=p.upc, price=Decimal(9), num_in_stock=3)
        for p in products
    ], ignore_conflicts=True)

    assert found("gateaux") == ["Galette des rois", "Gâteau basque"]  # the category names both
    assert found("paulette") == ["Galette des rois", "Gâteau basque"]

    Product.objects.filter(upc="BULK2").update(title="Galette frangipane")
    assert found("frangipane") == ["Galette frangipane"]
    assert found("rois") == []


def test_a_csv_import_and_a_till_batch_change_prices_and_stock_and_nothing_the_search_finds():
    shop = ShopFactory(name="Chez Paulette", trade=Trade.EPICERIE)
    jam = product_on_sale(title="Pot d'abricots", shop=shop)
    honey = product_on_sale(title="Miel de lavande", shop=shop)
    jam_offer, honey_offer = jam.stockrecords.get(), honey.stockrecords.get()
    before = {q: found(q) for q in ("abricots", "miel", "paulette", "épicerie")}

    csv = f"sku;prix;stock\n{jam_offer.partner_sku};4,20;0\n{honey_offer.partner_sku};8,90;12\n".encode()
    stock_import = shop_imports.stock_import_preview(shop=shop, user=None, file_name="stock.csv", data=csv)
    shop_imports.stock_import_apply(stock_import=stock_import)
    shop_stock.offers_bulk_update(shop=shop, changes={jam_offer.pk: (Decimal("4.50"), 7)})

    assert StockRecord.objects.get(pk=jam_offer.pk).num_in_stock == 7
    assert StockRecord.objects.get(pk=honey_offer.pk).price == Decimal("8.90")
    assert {q: found(q) for q in ("abricots", "miel", "paulette", "épicerie")} == before


def test_rebuilding_the_index_by_hand_gives_the_same_answers():
    shop = ShopFactory(name="Chez Paulette", trade=Trade.EPICERIE)
    product_on_sale(title="Pot d'abricots", shop=shop, categories=[CategoryFactory(name="Confitures")])
    before = {q: found(q) for q in ("abricots", "paulette", "confitures", "épicerie")}

    search_index_rebuild()

    assert {q: found(q) for q in ("abricots", "paulette", "confitures", "épicerie")} == before
    assert all(before.values())
