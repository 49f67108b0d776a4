"""The demo town generator: deterministic, idempotent, realistic enough to browse."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from marketplace.catalogue.models import Category, Product, ProductClass, ProductImage
from marketplace.demo import vocabulary as voc
from marketplace.demo.town import town_seed
from marketplace.partner.models import Partner, StockRecord
from shops.models import Closure, OpeningPeriod, Shop

pytestmark = pytest.mark.django_db

SMALL = {"shops": 5, "products": 60}
TODAY = dt.date(2026, 3, 2)
DEMO_EMAILS = {
    "client@halle.test", "commercant1@halle.test", "commercant2@halle.test", "point-retrait@halle.test",
    "manager@halle.test", "admin@halle.test", "panier-vert@halle.test",
    "coursier1@halle.test", "coursier2@halle.test", "ambassadeur@halle.test",
}


def _town_snapshot() -> dict[str, list]:
    """Everything a shopper sees of the town, as sorted plain values (no primary keys)."""
    return {
        "shops": sorted(Shop.objects.values_list("name", "slug", "trade", "line1", "latitude", "longitude")),
        "products": sorted(Product.objects.values_list("upc", "title", "slug", "product_class__slug")),
        "categories": sorted(Product.objects.values_list("upc", "categories__slug")),
        "offers": sorted(
            StockRecord.objects.values_list("product__upc", "partner__code", "price", "num_in_stock")
        ),
        "hours": sorted(OpeningPeriod.objects.values_list("shop__slug", "weekday", "opens", "closes")),
        "closures": sorted(Closure.objects.values_list("shop__slug", "starts_at", "ends_at", "reason")),
    }


def _fresh_town_snapshot(**kwargs) -> dict[str, list]:
    """Seed a town into an empty catalogue, snapshot it, then roll everything back."""
    assert not Shop.objects.exists() and not Product.objects.exists()
    with transaction.atomic():
        town_seed(today=TODAY, **kwargs)
        snapshot = _town_snapshot()
        transaction.set_rollback(True)
    return snapshot


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Shop, Partner, Product, StockRecord, OpeningPeriod, Closure, Category, ProductClass)
    }


def test_same_seed_gives_an_identical_town_on_two_fresh_runs():
    first = _fresh_town_snapshot(seed=7, images=False, **SMALL)
    second = _fresh_town_snapshot(seed=7, images=False, **SMALL)

    assert len(first["shops"]) == 5
    assert len(first["products"]) == 60
    assert len(first["offers"]) >= 60
    assert first == second


def test_different_seed_gives_different_names_prices_and_stock():
    first = _fresh_town_snapshot(seed=1, images=False, **SMALL)
    second = _fresh_town_snapshot(seed=2, images=False, **SMALL)

    assert {name for name, *_ in first["shops"]} != {name for name, *_ in second["shops"]}
    assert [title for _upc, title, *_ in first["products"]] != [title for _upc, title, *_ in second["products"]]
    first_offers = [(price, stock) for _upc, _code, price, stock in first["offers"]]
    second_offers = [(price, stock) for _upc, _code, price, stock in second["offers"]]
    assert first_offers != second_offers


def test_second_run_with_the_same_seed_creates_nothing():
    first = town_seed(seed=3, images=False, today=TODAY, **SMALL)
    counts = _counts()
    snapshot = _town_snapshot()

    second = town_seed(seed=3, images=False, today=TODAY, **SMALL)

    assert (first.shops_created, first.products_created) == (5, 60)
    assert first.stockrecords_created == StockRecord.objects.count()
    assert (second.shops_created, second.products_created, second.stockrecords_created) == (0, 0, 0)
    assert _counts() == counts
    assert _town_snapshot() == snapshot


def test_growing_a_town_keeps_existing_products_and_adds_only_the_new_ones():
    town_seed(seed=4, images=False, today=TODAY, shops=5, products=30)
    before = _town_snapshot()

    report = town_seed(seed=4, images=False, today=TODAY, shops=5, products=60)

    assert (report.shops_created, report.products_created) == (0, 30)
    after = _town_snapshot()
    assert set(before["products"]) <= set(after["products"])
    assert set(before["offers"]) <= set(after["offers"])
    with transaction.atomic():
        Product.objects.all().delete()
        Shop.objects.all().delete()
        Partner.objects.all().delete()
        town_seed(seed=4, images=False, today=TODAY, shops=5, products=60)
        fresh = _town_snapshot()
        transaction.set_rollback(True)
    assert after["products"] == fresh["products"]
    assert after["offers"] == fresh["offers"]


def test_larger_town_has_products_offered_by_two_different_shops_of_the_same_trade():
    town_seed(seed=1, shops=20, products=400, images=False, today=TODAY)

    shared = Product.objects.annotate(n=Count("stockrecords")).filter(n__gte=2)

    assert shared.count() >= 5
    assert not Product.objects.annotate(n=Count("stockrecords")).filter(n=0).exists()
    for product in shared[:10]:
        offers = list(product.stockrecords.select_related("partner__shop"))
        assert len(offers) == 2
        assert offers[0].partner_id != offers[1].partner_id
        assert offers[0].partner.shop.trade == offers[1].partner.shop.trade


def test_no_description_names_a_shop_since_two_shops_may_sell_the_product():
    town_seed(seed=1, shops=20, products=400, images=False, today=TODAY)
    Product.objects.filter(pk=Product.objects.order_by("pk").first().pk).update(
        description="Pain, proposé par La Mie Gourmet."  # as towns seeded by older versions read
    )
    town_seed(seed=1, shops=20, products=400, images=False, today=TODAY)

    names = list(Shop.objects.values_list("name", flat=True))
    for description in Product.objects.values_list("description", flat=True):
        assert "proposé par" not in description
        assert not any(name in description for name in names), description


def test_every_shop_has_opening_periods_and_is_open_at_most_on_valid_days():
    town_seed(seed=5, images=False, today=TODAY, **SMALL)

    assert Shop.objects.count() == 5
    for shop in Shop.objects.prefetch_related("opening_periods"):
        periods = list(shop.opening_periods.all())
        assert len(periods) >= 5, shop
        assert all(p.opens < p.closes and 0 <= p.weekday <= 6 for p in periods)
        assert shop.partner.name == shop.name
        assert shop.partner.code == shop.slug


def test_product_classes_carry_the_french_vat_rates():
    town_seed(seed=1, images=False, today=TODAY, shops=12, products=120)

    rates = dict(ProductClass.objects.values_list("slug", "vat_rate"))
    assert rates == {slug: Decimal(rate) for slug, (_name, rate) in voc.PRODUCT_CLASSES.items()}
    assert rates["alimentaire"] == Decimal("5.50")
    assert rates["boissons-alcoolisees"] == Decimal("20.00")
    assert rates["fleurs-plantes"] == Decimal("10.00")
    # Bread is food (5.5 %), wine is alcohol (20 %), a notebook sold by a bookshop is not a book.
    assert set(
        Product.objects.filter(categories__slug="pains-viennoiseries").values_list("product_class__vat_rate", flat=True)
    ) == {Decimal("5.50")}
    assert set(
        Product.objects.filter(categories__slug="vins").values_list("product_class__vat_rate", flat=True)
    ) == {Decimal("20.00")}
    assert set(
        Product.objects.filter(categories__slug="papeterie").values_list("product_class__slug", flat=True)
    ) <= {"non-alimentaire"}


def test_every_product_sits_in_a_subcategory_of_the_two_level_tree():
    town_seed(seed=1, images=False, today=TODAY, **SMALL)

    assert Category.objects.filter(depth=1).count() == len(voc.CATEGORIES)
    assert not Product.objects.filter(categories__isnull=True).exists()
    assert set(Product.objects.values_list("categories__depth", flat=True)) == {2}


def test_images_are_generated_once_per_subcategory_and_attached_to_every_product():
    report = town_seed(seed=6, images=True, today=TODAY, shops=3, products=20)

    images = list(ProductImage.objects.all())
    assert report.images_created == 20 == len(images)
    assert {image.product_id for image in images} == set(Product.objects.values_list("pk", flat=True))
    names = {image.original.name for image in images}
    assert all(name.startswith("demo/") and name.endswith(".png") for name in names)
    assert all(default_storage.exists(name) for name in names)
    assert len(names) == len(set(Product.objects.values_list("categories__slug", flat=True)))
    with default_storage.open(next(iter(names)), "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_town_seed_rejects_a_town_without_shops():
    with pytest.raises(ValueError, match="au moins un commerce"):
        town_seed(shops=0, products=10, seed=1, images=False)


# --- The seed_town management command ---------------------------------------------------


def test_seed_town_command_prints_a_french_summary():
    out = StringIO()

    call_command("seed_town", "--shops", "5", "--products", "60", "--seed", "9", "--no-images", stdout=out)

    offers = StockRecord.objects.count()
    assert f"Ville de démonstration (graine 9) : 5 commerces, 60 produits, {offers} offres créés en " in out.getvalue()
    assert Shop.objects.count() == 5
    assert not ProductImage.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shops", "0"], "--shops doit être compris entre 1 et 1000."),
        (["--shops", "1001"], "--shops doit être compris entre 1 et 1000."),
        (["--products", "-1"], "--products doit être compris entre 0 et 1 000 000."),
    ],
)
def test_seed_town_command_rejects_bad_sizes_with_a_french_message(args, message):
    with pytest.raises(CommandError) as excinfo:
        call_command("seed_town", *args, "--no-images", stdout=StringIO())

    assert str(excinfo.value) == message
    assert not Shop.objects.exists()


def test_seed_town_accounts_creates_the_demo_accounts_once_with_a_merchant_for_every_shop():
    args = ["--shops", "3", "--products", "10", "--no-images", "--accounts"]
    out = StringIO()
    call_command("seed_town", *args, stdout=out)
    call_command("seed_town", *args, stdout=StringIO())

    User = get_user_model()
    assert User.objects.count() == len(DEMO_EMAILS) + 1  # once each
    assert set(User.objects.values_list("email", flat=True)) == DEMO_EMAILS | {"commercant3@halle.test"}
    # A basket may mix any shops: each one has someone to accept, prepare and drop its part.
    for number, shop in enumerate(Shop.objects.filter(application__isnull=True).order_by("pk"), start=1):
        merchant = User.objects.get(email=f"commercant{number}@halle.test")
        assert shop.members.get(user=merchant).role == "owner"
        assert merchant.check_password("halle-demo-2026")
        assert f"commercant{number}@halle.test" in out.getvalue() and shop.name in out.getvalue()
    merchant1 = User.objects.get(email="commercant1@halle.test")
    merchant2 = User.objects.get(email="commercant2@halle.test")
    shop1 = Shop.objects.get(partner__users=merchant1)
    shop2 = Shop.objects.get(partner__users=merchant2)
    assert shop1 != shop2
    assert not merchant1.has_perm("partner.dashboard_access")  # merchants use the back-office
    assert not merchant1.is_staff
    assert shop1.members.get(user=merchant1).role == "owner"
    manager = User.objects.get(email="manager@halle.test")
    assert manager.is_staff and not manager.is_superuser  # /gestion/, not the Django admin
    assert User.objects.get(email="admin@halle.test").is_superuser
    assert not Shop.objects.filter(partner__users=manager).exists()
    assert User.objects.get(email="client@halle.test").check_password("halle-demo-2026")
    assert "Comptes de démonstration :" in out.getvalue()
    assert "manager@halle.test" in out.getvalue()
    agent = User.objects.get(email="point-retrait@halle.test")
    assert agent.has_perm("order.handover_at_point") and not agent.is_staff
    assert agent.collection_point_links.get().point.name == "Point retrait de la Halle"
    assert "point-retrait@halle.test" in out.getvalue()
