"""Adding to the basket keeps the shop offer the shopper picked; the basket groups by shop."""
from decimal import Decimal

import pytest
from django.conf import settings
from django.test.utils import CaptureQueriesContext
from django.db import connection

from marketplace.basket.models import Basket
from marketplace.partner.models import StockRecord
from shops.models import ShopStatus
from tests.factories import ProductFactory, ShopFactory, StockRecordFactory
from tests.factories.offer import ConditionalOfferFactory

pytestmark = pytest.mark.django_db


def _basket(client) -> Basket:
    return Basket.objects.get(pk=client.cookies["oscar_open_basket"].value.split(":")[0])


@pytest.fixture
def two_shop_product():
    product = ProductFactory(title="Baguette tradition")
    cheap = StockRecordFactory(product=product, shop=ShopFactory(name="Maison Muller"), price=Decimal("1.10"))
    dear = StockRecordFactory(product=product, shop=ShopFactory(name="La Mie Gourmet"), price=Decimal("1.30"))
    return product, cheap, dear


def test_product_page_lists_every_shop_offer(client, two_shop_product):
    product, cheap, dear = two_shop_product
    html = client.get(product.get_absolute_url()).content.decode()
    assert "Maison Muller" in html and "La Mie Gourmet" in html
    assert html.count('name="stockrecord"') == 2
    assert f'id="offer-{cheap.pk}"\n                   value="{cheap.pk}"\n                   checked' in html


def test_basket_line_keeps_the_second_shop_offer_the_shopper_picked(client, two_shop_product):
    product, cheap, dear = two_shop_product
    response = client.post(f"/basket/add/{product.pk}/", {"quantity": 2, "stockrecord": dear.pk})
    assert response.status_code == 302
    line = _basket(client).all_lines().get()
    assert line.stockrecord == dear
    assert line.quantity == 2
    assert line.price_incl_tax == Decimal("1.30")


def test_the_same_product_from_two_shops_makes_two_lines(client, two_shop_product):
    product, cheap, dear = two_shop_product
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1, "stockrecord": dear.pk})
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1, "stockrecord": cheap.pk})
    assert sorted(line.stockrecord_id for line in _basket(client).all_lines()) == sorted([cheap.pk, dear.pk])


def test_without_a_choice_the_cheapest_selling_offer_is_used(client, two_shop_product):
    product, cheap, _dear = two_shop_product
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    assert _basket(client).all_lines().get().stockrecord == cheap


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("-3", "La quantité doit être au moins 1."),
        ("0", "La quantité doit être au moins 1."),
        ("100000", "La quantité est limitée à 99 par ajout."),
        ("abc", "La quantité doit être un nombre entier."),
    ],
)
def test_bad_quantities_are_refused_with_a_french_message(client, two_shop_product, quantity, message):
    product, cheap, _ = two_shop_product
    response = client.post(f"/basket/add/{product.pk}/", {"quantity": quantity, "stockrecord": cheap.pk}, follow=True)
    assert response.status_code == 200
    assert message in [str(m.message) for m in response.context["messages"]][0]
    assert not Basket.objects.filter(lines__isnull=False).exists()


def test_more_than_the_stock_is_refused(client):
    offer = StockRecordFactory(num_in_stock=3)
    response = client.post(
        f"/basket/add/{offer.product_id}/", {"quantity": 4, "stockrecord": offer.pk}, follow=True
    )
    text = " ".join(str(m.message) for m in response.context["messages"])
    assert "3" in text  # Oscar's French message names the units left
    assert not Basket.objects.filter(lines__isnull=False).exists()


def test_an_offer_of_another_product_or_unknown_is_refused(client, two_shop_product):
    product, _, _ = two_shop_product
    other = StockRecordFactory()
    for value in (other.pk, 999999):
        response = client.post(f"/basket/add/{product.pk}/", {"quantity": 1, "stockrecord": value}, follow=True)
        assert "ce commerce ne vend plus ce produit" in " ".join(str(m.message) for m in response.context["messages"])
    assert not Basket.objects.filter(lines__isnull=False).exists()


def test_a_suspended_shop_offer_cannot_be_added(client, two_shop_product):
    product, cheap, dear = two_shop_product
    dear.partner.shop.status = ShopStatus.SUSPENDED
    dear.partner.shop.save()
    response = client.post(f"/basket/add/{product.pk}/", {"quantity": 1, "stockrecord": dear.pk}, follow=True)
    assert "ce commerce ne vend plus ce produit" in " ".join(str(m.message) for m in response.context["messages"])


def test_a_line_of_a_shop_suspended_after_adding_shows_why(client, two_shop_product):
    product, cheap, _ = two_shop_product
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1, "stockrecord": cheap.pk})
    cheap.partner.shop.status = ShopStatus.SUSPENDED
    cheap.partner.shop.save()
    html = client.get("/basket/").content.decode()
    assert "Ce commerce ne vend pas en ce moment" in html


def test_basket_groups_lines_by_shop_with_subtotals(client):
    shops = [ShopFactory(name=name) for name in ("Fromagerie Dubois", "Boulangerie Martin", "Librairie Le Marque-Page")]
    prices = {shops[0]: [Decimal("6.90"), Decimal("3.10")], shops[1]: [Decimal("1.30")], shops[2]: [Decimal("21.00")]}
    for shop, shop_prices in prices.items():
        for price in shop_prices:
            offer = StockRecordFactory(shop=shop, price=price)
            client.post(f"/basket/add/{offer.product_id}/", {"quantity": 2, "stockrecord": offer.pk})
    html = client.get("/basket/").content.decode()
    assert html.count('class="basket-shop-group') == 3
    # Groups come in shop-name order, each with its own subtotal (quantity 2 of each line).
    positions = [html.index(f'data-shop="{shop.slug}"') for shop in sorted(shops, key=lambda s: s.name)]
    assert positions == sorted(positions)
    for expected in ("20,00", "2,60", "42,00"):
        assert f"{expected}\xa0€" in html


@pytest.mark.parametrize("session", [False, True], ids=["guest-from-cache", "rendered-with-a-session"])
def test_basket_page_query_count_does_not_grow_with_lines(client, session):
    def queries_with(lines: int) -> int:
        client.cookies.clear()
        for _ in range(lines):
            offer = StockRecordFactory(shop=ShopFactory())
            client.post(f"/basket/add/{offer.product_id}/", {"quantity": 1, "stockrecord": offer.pk})
        client.get("/basket/")  # shows the "ajouté" message
        client.get("/basket/")  # fills the page cache
        if session:  # the page cache serves no one with a session
            client.cookies[settings.SESSION_COOKIE_NAME] = "a-visitor-with-a-session"
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/basket/").status_code == 200
        return len(ctx.captured_queries)

    few, many = queries_with(2), queries_with(6)
    print(f"basket page queries: 2 lines → {few}, 6 lines → {many}")
    assert few == many
    assert (few == 1) is not session


def test_a_first_add_costs_the_same_queries_whatever_the_offers_of_the_product(
    client, cache_clear, django_capture_on_commit_callbacks
):
    def first_add_queries(offers: int) -> tuple[int, int]:
        product = ProductFactory()
        for _ in range(offers):
            StockRecordFactory(product=product, shop=ShopFactory())
        cache_clear()
        counts = []
        for _ in ("rows read, then kept", "from the cache"):
            client.cookies.clear()
            with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
                assert client.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
            counts.append(len(ctx.captured_queries))
        return counts[0], counts[1]

    one, five = first_add_queries(1), first_add_queries(5)
    print(f"first add to basket (cold, warm): 1 offer → {one} queries, 5 offers → {five}")
    assert one == five
    cold, warm = one
    # Warm: the digests, the basket, its line, the analytics counter after commit (and
    # the add's savepoint and its release, as the test runs inside a transaction).
    assert warm == 6 < cold


def test_an_add_after_the_stock_ran_out_or_the_price_changed_sees_it(client):
    offer = StockRecordFactory(num_in_stock=5, price=Decimal("4.20"))
    add = {"quantity": 2, "stockrecord": offer.pk}
    assert client.post(f"/basket/add/{offer.product_id}/", add).status_code == 302  # now cached

    StockRecord.objects.filter(pk=offer.pk).update(num_in_stock=1)
    client.cookies.clear()
    response = client.post(f"/basket/add/{offer.product_id}/", add, follow=True)
    assert "1" in " ".join(str(m.message) for m in response.context["messages"])
    assert Basket.objects.filter(lines__isnull=False).count() == 1

    StockRecord.objects.filter(pk=offer.pk).update(num_in_stock=5, price=Decimal("3.90"))
    client.cookies.clear()
    client.post(f"/basket/add/{offer.product_id}/", add)
    assert _basket(client).lines.get().price_incl_tax == Decimal("3.90")


def test_an_add_that_qualifies_for_a_town_offer_says_so(client):
    offer = StockRecordFactory(num_in_stock=5, price=Decimal("40.00"))
    client.post(f"/basket/add/{offer.product_id}/", {"quantity": 1, "stockrecord": offer.pk})  # cached, no offer yet
    ConditionalOfferFactory(name="Semaine du commerce local")  # 5 € off from 30 €

    client.cookies.clear()
    response = client.post(f"/basket/add/{offer.product_id}/", {"quantity": 1, "stockrecord": offer.pk}, follow=True)
    assert "Semaine du commerce local" in " ".join(str(m.message) for m in response.context["messages"])
    html = client.get("/basket/").content.decode()
    assert "-5,00\xa0€" in html
    assert "35,00\xa0€" in html  # 5 € off what the shopper pays (VAT included), not off the net price


def test_adds_are_counted_for_the_product_and_the_signed_in_customer(client, django_capture_on_commit_callbacks):
    from oscar.apps.analytics.models import ProductRecord, UserRecord

    from tests.factories import UserFactory

    offer = StockRecordFactory(num_in_stock=10)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            client.cookies.clear()
            client.post(f"/basket/add/{offer.product_id}/", {"quantity": 1, "stockrecord": offer.pk})
        customer = UserFactory()
        client.force_login(customer)
        client.post(f"/basket/add/{offer.product_id}/", {"quantity": 1, "stockrecord": offer.pk})

    assert ProductRecord.objects.get(product=offer.product).num_basket_additions == 3
    assert UserRecord.objects.get(user=customer).num_basket_additions == 1
