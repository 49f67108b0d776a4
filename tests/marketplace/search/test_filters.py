"""Listing filters, sorts and facets: the form that reads them and the queries that apply them."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import QueryDict

from marketplace.catalogue.models import Category
from marketplace.search.forms import MAX_QUERY_LENGTH, ProductFilterForm, SearchForm, Sort
from marketplace.search.selectors import (
    CategoryFacet,
    ShopFacet,
    category_facets_count,
    products_filter,
    products_in_category,
    products_listed,
    products_search,
    products_sort,
    shop_facets_count,
)
from shops.models import ShopStatus
from tests.factories import CategoryFactory, ProductClassFactory, ShopFactory, StockRecordFactory
from tests.factories.search import product_on_sale

D = Decimal
MIN_MESSAGE = "Le prix minimum doit être un nombre positif."
MAX_MESSAGE = "Le prix maximum doit être un nombre positif."
ORDER_MESSAGE = "Le prix minimum doit être inférieur ou égal au prix maximum."


def form(search=False, **params):
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data[key] = value
    return ProductFilterForm(data, search=search)


# --- The filter form ---------------------------------------------------------------------


def test_no_input_means_no_filter_and_the_default_sort():
    assert form().filters().sort == Sort.NEWEST
    assert form(search=True).filters().sort == Sort.RELEVANCE
    filters = form().filters()
    assert (filters.shop, filters.category, filters.price_min, filters.price_max, filters.in_stock) == (
        None,
        None,
        None,
        None,
        False,
    )
    assert form().error_messages() == []


@pytest.mark.parametrize("sort", [Sort.PRICE_ASC, Sort.PRICE_DESC, Sort.NEWEST, Sort.NAME])
def test_known_sorts_are_kept(sort):
    assert form(sort=sort).filters().sort == sort


@pytest.mark.parametrize("sort", ["prix", "-date_created", "title; DROP TABLE x", "\x00", "x" * 1000, "😀"])
def test_unknown_sort_gives_the_default_without_any_message(sort):
    f = form(sort=sort)

    assert f.filters().sort == Sort.NEWEST
    assert f.error_messages() == []


def test_relevance_is_only_a_sort_of_search_results():
    assert form(sort=Sort.RELEVANCE).filters().sort == Sort.NEWEST
    assert form(search=True, sort=Sort.RELEVANCE).filters().sort == Sort.RELEVANCE
    assert Sort.RELEVANCE not in dict(Sort.choices(search=False))


@pytest.mark.parametrize(
    ("raw", "value"),
    [("5", D("5")), ("12.50", D("12.50")), ("12,50", D("12.50")), ("0", D("0")), (" 7 ", D("7"))],
)
def test_prices_accept_french_and_english_decimals(raw, value):
    assert form(price_min=raw).filters().price_min == value
    assert form(price_max=raw).filters().price_max == value


@pytest.mark.parametrize(
    "raw", ["-1", "abc", "NaN", "Infinity", "-0.01", "1e400", "12.345", "1 000 000 000 000", "\x00", "😀"]
)
def test_bad_prices_give_a_french_message_and_are_ignored(raw):
    low = form(price_min=raw, price_max="20")
    high = form(price_min="2", price_max=raw)

    assert low.filters().price_min is None
    assert low.filters().price_max == D("20")
    assert low.error_messages() == [MIN_MESSAGE]
    assert high.filters().price_max is None
    assert high.filters().price_min == D("2")
    assert high.error_messages() == [MAX_MESSAGE]


def test_min_above_max_gives_a_french_message_and_both_are_ignored():
    f = form(price_min="30", price_max="10", in_stock="1")

    filters = f.filters()

    assert (filters.price_min, filters.price_max) == (None, None)
    assert filters.in_stock is True  # the other filters still apply
    assert f.error_messages() == [ORDER_MESSAGE]


def test_equal_min_and_max_is_fine():
    filters = form(price_min="10", price_max="10,00").filters()

    assert (filters.price_min, filters.price_max) == (D("10"), D("10"))


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("on", True), ("0", False), ("", False), ("non", False), ("\x00", False)]
)
def test_in_stock(raw, value):
    assert form(in_stock=raw).filters().in_stock is value


@pytest.mark.django_db
def test_category_must_exist_and_be_public():
    public = CategoryFactory()
    hidden = CategoryFactory(is_public=False)

    assert form(category=str(public.pk)).filters().category == public
    for raw in (str(hidden.pk), "999999", "0", "-3", "abc", "99999999999999999999", "\x00"):
        f = form(category=raw)
        assert f.filters().category is None, raw
        assert f.error_messages() == ["Ce rayon n'existe pas."], raw


@pytest.mark.parametrize("raw", ["pas un slug !", "a\x00b", "x" * 141, "<script>"])
def test_a_shop_that_is_not_a_slug_gives_a_french_message_and_is_ignored(raw):
    f = form(shop=raw)

    assert f.filters().shop is None
    assert f.error_messages() == ["Ce commerce n'existe pas."]


def test_search_form_strips_nul_and_control_characters():
    f = SearchForm({"q": "pain\x00 au\x07 chocolat\x00"})

    assert f.is_valid()
    assert f.cleaned_data["q"] == "pain au chocolat"


def test_search_form_refuses_too_long_queries_in_french():
    f = SearchForm({"q": "p" * (MAX_QUERY_LENGTH + 1)})

    assert not f.is_valid()
    assert f.errors["q"] == ["La recherche est limitée à 200 caractères."]
    assert SearchForm({"q": "p" * MAX_QUERY_LENGTH}).is_valid()


# --- Filters applied ---------------------------------------------------------------------


@pytest.fixture
def market():
    """Two shops, two categories, prices from 1 to 30 euros, one product out of stock."""
    bakery = ShopFactory(name="Boulangerie Martin", slug="boulangerie-martin")
    grocer = ShopFactory(name="Épicerie Lucas", slug="epicerie-lucas")
    food = CategoryFactory(name="Alimentation", slug="alimentation")
    bread = CategoryFactory(name="Pains", slug="pains", parent=food)
    sweets = CategoryFactory(name="Confiseries", slug="confiseries", parent=food)
    other = CategoryFactory(name="Papeterie", slug="papeterie")
    products = {
        "baguette": product_on_sale(title="Baguette", shop=bakery, price="1.20", categories=[bread]),
        "campagne": product_on_sale(title="Pain de campagne", shop=bakery, price="3.80", categories=[bread]),
        "nougat": product_on_sale(title="Nougat", shop=grocer, price="12.00", categories=[sweets]),
        "calisson": product_on_sale(title="Calissons", shop=grocer, price="30.00", stock=0, categories=[sweets]),
        "carnet": product_on_sale(title="Carnet", shop=grocer, price="4.00", categories=[other]),
    }
    # The grocer sells bread too, dearer; a suspended shop sells it cheaper.
    StockRecordFactory(product=products["campagne"], shop=grocer, price=D("4.50"))
    StockRecordFactory(
        product=products["campagne"], shop=ShopFactory(status=ShopStatus.SUSPENDED), price=D("0.50")
    )
    return {"bakery": bakery, "grocer": grocer, "food": food, "bread": bread, "sweets": sweets, "other": other, **products}


def listed(**params):
    filters = form(**params).filters()
    return products_sort(products=products_filter(products=products_listed(), filters=filters), filters=filters)


def titles(qs):
    return [p.title for p in qs]


@pytest.mark.django_db
def test_filter_by_shop(market):
    assert set(titles(listed(shop="boulangerie-martin"))) == {"Baguette", "Pain de campagne"}
    assert set(titles(listed(shop="epicerie-lucas"))) == {"Pain de campagne", "Nougat", "Calissons", "Carnet"}
    assert titles(listed(shop="inconnu")) == []


@pytest.mark.django_db
def test_filter_by_category_includes_sub_categories(market):
    assert set(titles(listed(category=str(market["bread"].pk)))) == {"Baguette", "Pain de campagne"}
    assert set(titles(listed(category=str(market["food"].pk)))) == {
        "Baguette",
        "Pain de campagne",
        "Nougat",
        "Calissons",
    }


@pytest.mark.django_db
def test_filter_by_price_range_on_the_offer_price_incl_vat(market):
    assert set(titles(listed(price_min="4", price_max="12"))) == {"Pain de campagne", "Nougat", "Carnet"}
    assert set(titles(listed(price_max="1.20"))) == {"Baguette"}
    assert set(titles(listed(price_min="12,01"))) == {"Calissons"}
    # The suspended shop's 0.50 offer does not count.
    assert titles(listed(price_max="1")) == []


@pytest.mark.django_db
def test_price_range_and_shop_apply_to_the_same_offer(market):
    # Pain de campagne: 3.80 at the bakery, 4.50 at the grocer.
    assert titles(listed(shop="boulangerie-martin", price_min="4")) == []
    assert set(titles(listed(shop="epicerie-lucas", price_min="4", price_max="5"))) == {"Pain de campagne", "Carnet"}
    assert titles(listed(shop="boulangerie-martin", price_min="3", price_max="4")) == ["Pain de campagne"]


@pytest.mark.django_db
def test_filter_in_stock(market):
    assert "Calissons" in titles(listed())
    assert "Calissons" not in titles(listed(in_stock="1"))
    assert len(titles(listed(in_stock="1"))) == 4


@pytest.mark.django_db
def test_in_stock_counts_allocated_units_and_untracked_classes():
    all_allocated = product_on_sale(title="Réservé", stock=3)
    all_allocated.stockrecords.update(num_allocated=3)
    product_on_sale(title="Sur commande", stock=0, product_class=ProductClassFactory(track_stock=False))
    product_on_sale(title="Disponible", stock=1)

    assert set(titles(listed(in_stock="1"))) == {"Sur commande", "Disponible"}


@pytest.mark.django_db
def test_filters_combine(market):
    assert titles(listed(category=str(market["food"].pk), shop="epicerie-lucas", in_stock="1", price_max="10")) == [
        "Pain de campagne"
    ]


# --- Sorting -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_sort_by_price(market):
    assert titles(listed(sort=Sort.PRICE_ASC)) == ["Baguette", "Pain de campagne", "Carnet", "Nougat", "Calissons"]
    assert titles(listed(sort=Sort.PRICE_DESC)) == ["Calissons", "Nougat", "Carnet", "Pain de campagne", "Baguette"]


@pytest.mark.django_db
def test_sort_by_price_uses_the_offer_within_the_filters(market):
    # Bread: 3.80 at the bakery, 4.50 at the grocer; the notebook: 4.00 at the grocer.
    assert titles(listed(shop="epicerie-lucas", sort=Sort.PRICE_ASC)) == [
        "Carnet",
        "Pain de campagne",
        "Nougat",
        "Calissons",
    ]
    assert titles(listed(price_min="4", sort=Sort.PRICE_ASC)) == ["Carnet", "Pain de campagne", "Nougat", "Calissons"]


@pytest.mark.django_db
def test_sort_newest_first_is_the_default(market):
    newest_first = ["Carnet", "Calissons", "Nougat", "Pain de campagne", "Baguette"]

    assert titles(listed()) == newest_first
    assert titles(listed(sort=Sort.NEWEST)) == newest_first
    assert titles(listed(sort="inconnu")) == newest_first


@pytest.mark.django_db
def test_sort_by_name_ignores_accents_and_case():
    for title in ("éclair", "Zeste", "Abricot", "Écharpe", "banane"):
        product_on_sale(title=title)

    assert titles(listed(sort=Sort.NAME)) == ["Abricot", "banane", "Écharpe", "éclair", "Zeste"]


@pytest.mark.django_db
def test_sort_by_relevance_only_with_a_search():
    product_on_sale(title="Sac", description="Pour ranger ses chaussures.")
    product_on_sale(title="Chaussures de sport")
    filters = form(search=True).filters()

    found = products_sort(products=products_search(query="chaussure"), filters=filters)

    assert titles(found) == ["Chaussures de sport", "Sac"]


# --- Facets ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_shop_facets_count_products_per_selling_shop(market, django_assert_num_queries):
    filters = form().filters()

    with django_assert_num_queries(1):
        facets = shop_facets_count(products=products_listed(), filters=filters)

    assert facets == [
        ShopFacet("boulangerie-martin", "Boulangerie Martin", 2),
        ShopFacet("epicerie-lucas", "Épicerie Lucas", 4),
    ]


@pytest.mark.django_db
def test_shop_facets_ignore_the_shop_filter_but_keep_the_others(market):
    filters = form(shop="boulangerie-martin", price_min="4").filters()

    facets = shop_facets_count(products=products_listed(), filters=filters)

    # The bakery has nothing from 4 euros; the grocer: bread 4.50, nougat, calissons, notebook.
    assert facets == [ShopFacet("epicerie-lucas", "Épicerie Lucas", 4)]


@pytest.mark.django_db
def test_category_facets_count_products_per_category(market, django_assert_num_queries):
    filters = form().filters()

    with django_assert_num_queries(1):
        facets = category_facets_count(products=products_listed(), filters=filters)

    assert facets == [
        CategoryFacet(market["sweets"].pk, "Confiseries", 2),
        CategoryFacet(market["bread"].pk, "Pains", 2),
        CategoryFacet(market["other"].pk, "Papeterie", 1),
    ]


@pytest.mark.django_db
def test_category_facets_follow_the_other_filters_and_the_page_category(market):
    filters = form(shop="epicerie-lucas", in_stock="1", category=str(market["bread"].pk)).filters()

    facets = category_facets_count(
        products=products_in_category(category=market["food"]), filters=filters, within=market["food"]
    )

    assert facets == [
        CategoryFacet(market["sweets"].pk, "Confiseries", 1),  # the calissons are out of stock
        CategoryFacet(market["bread"].pk, "Pains", 1),  # the grocer's bread
    ]


@pytest.mark.django_db
def test_facets_leave_out_hidden_categories_and_count_each_product_once(market):
    hidden = CategoryFactory(name="Caché", is_public=False)
    market["nougat"].categories.add(hidden)
    StockRecordFactory(product=market["nougat"], shop=ShopFactory(name="Confiserie"), price=D("11"))

    shops = shop_facets_count(products=products_listed(), filters=form().filters())
    categories = category_facets_count(products=products_listed(), filters=form().filters())

    assert "Caché" not in [facet.name for facet in categories]
    assert sum(facet.count for facet in categories) == 5
    assert ShopFacet("epicerie-lucas", "Épicerie Lucas", 4) in shops
    assert Category.objects.filter(name="Caché").exists()


@pytest.mark.django_db
def test_facets_of_a_search(market):
    found = products_search(query="pain")  # the bread and, through its category « Pains », the baguette

    assert shop_facets_count(products=found, filters=form().filters()) == [
        ShopFacet("boulangerie-martin", "Boulangerie Martin", 2),
        ShopFacet("epicerie-lucas", "Épicerie Lucas", 1),
    ]
    assert category_facets_count(products=found, filters=form().filters()) == [
        CategoryFacet(market["bread"].pk, "Pains", 2)
    ]
