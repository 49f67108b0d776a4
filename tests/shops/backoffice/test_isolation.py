"""Merchant isolation: every back-office URL, as shop A's staff, with shop B's identifiers.

The URL patterns are read from the resolver, so a view added later is covered
without touching this file: a pattern whose keyword is unknown here fails the test.
"""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from marketplace.catalogue.models import Product, ProductImage
from marketplace.partner.models import StockRecord
from shops.models import Closure, OpeningPeriod, Shop, ShopPhoto, StockImport
from tests.factories import ClosureFactory, OpeningPeriodFactory, StockRecordFactory
from tests.factories.backoffice import StockImportFactory, merchant
from tests.factories.shop_pages import ShopPhotoFactory

pytestmark = pytest.mark.django_db


def backoffice_url_names() -> list[tuple[str, list[str]]]:
    """(name, keyword names) of every pattern in the "backoffice" namespace."""
    resolver = get_resolver()
    found = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "backoffice":
                found.append((p.name, sorted(p.pattern.converters)))

    walk(resolver.url_patterns, None)
    return found


URL_NAMES = backoffice_url_names()


@pytest.fixture
def world(staff_a):
    user_a, shop_a = staff_a
    user_b, shop_b = merchant(username="marchand-b")
    StockRecordFactory(shop=shop_a, partner_sku="A-1")
    offer_b = StockRecordFactory(shop=shop_b, partner_sku="B-1", num_in_stock=10, num_allocated=2)
    OpeningPeriodFactory(shop=shop_b)
    return {
        "user_a": user_a,
        "shop_a": shop_a,
        "shop_b": shop_b,
        "ids": {
            "offer_pk": offer_b.pk,
            "closure_pk": ClosureFactory(shop=shop_b).pk,
            "photo_pk": ShopPhotoFactory(shop=shop_b).pk,
            "import_pk": StockImportFactory(
                shop=shop_b, rows=[{"line": 2, "sku": "B-1", "price": "1.00", "stock": 99}]
            ).pk,
        },
        "offer_b": offer_b,
    }


def snapshot() -> dict:
    """Every row a back-office view can write, as plain values."""
    return {
        "shops": list(Shop.objects.order_by("pk").values()),
        "offers": list(StockRecord.objects.order_by("pk").values()),
        "products": list(Product.objects.order_by("pk").values()),
        "images": list(ProductImage.objects.order_by("pk").values()),
        "photos": list(ShopPhoto.objects.order_by("pk").values()),
        "closures": list(Closure.objects.order_by("pk").values()),
        "hours": list(OpeningPeriod.objects.order_by("pk").values()),
        "imports": list(StockImport.objects.order_by("pk").values()),
    }


def hostile_post(world) -> dict:
    """A POST body naming shop B's objects in every field a view reads."""
    offer_b = world["offer_b"]
    return {
        "shop": world["shop_b"].pk,
        "offer": offer_b.pk,
        "action": "archive",
        "price": "0,01",
        "num_in_stock": "2",
        "o-TOTAL_FORMS": "1",
        "o-INITIAL_FORMS": "1",
        "o-0-offer": offer_b.pk,
        "o-0-price": "0,01",
        "o-0-num_in_stock": "2",
    }


def test_the_resolver_lists_the_backoffice_urls():
    names = {name for name, _ in URL_NAMES}
    assert {"home", "offers", "offer-edit", "import-apply", "photo-delete", "closure-delete"} <= names
    assert len(URL_NAMES) >= 17


@pytest.mark.parametrize(("name", "kwargs"), URL_NAMES, ids=[n for n, _ in URL_NAMES])
def test_staff_of_shop_a_cannot_read_or_change_shop_b(client, world, name, kwargs):
    client.force_login(world["user_a"])
    unknown = set(kwargs) - set(world["ids"])
    assert not unknown, f"add shop B's object for {unknown} to this test"
    url = reverse(f"backoffice:{name}", kwargs={k: world["ids"][k] for k in kwargs})
    before = snapshot()
    shop_b_before = before["shops"][[s["id"] for s in before["shops"]].index(world["shop_b"].pk)]

    get = client.get(url)
    post = client.post(url, hostile_post(world))

    if kwargs:  # an id of shop B in the URL: never found
        assert get.status_code in (403, 404), get.status_code
        assert post.status_code in (403, 404), post.status_code
        assert snapshot() == before
    else:  # the shop's own pages: never a 500, never shop B's data, never a write to shop B
        assert get.status_code in (200, 302, 404)
        assert post.status_code in (200, 302, 403, 404, 405)
        assert "B-1" not in get.content.decode()
        after = snapshot()
        for table in ("offers", "closures", "photos", "hours", "imports", "products"):
            b_rows = lambda rows: [r for r in rows if r.get("partner_id") == world["shop_b"].partner_id
                                   or r.get("shop_id") == world["shop_b"].pk
                                   or r.get("id") == world["offer_b"].product_id and table == "products"]
            assert b_rows(after[table]) == b_rows(before[table]), table
        assert shop_b_before in after["shops"]
        assert client.session.get("backoffice_shop_id") != world["shop_b"].pk


def test_shop_b_id_in_the_session_is_not_trusted(client, world):
    client.force_login(world["user_a"])
    session = client.session
    session["backoffice_shop_id"] = world["shop_b"].pk
    session.save()

    response = client.get(reverse("backoffice:offers"))

    assert response.status_code == 200
    assert [o.partner_sku for o in response.context["page_obj"]] == ["A-1"]


@pytest.mark.parametrize(("name", "kwargs"), URL_NAMES, ids=[n for n, _ in URL_NAMES])
def test_anonymous_users_are_sent_to_the_login_page(client, world, name, kwargs):
    url = reverse(f"backoffice:{name}", kwargs={k: world["ids"][k] for k in kwargs})
    before = snapshot()
    for response in (client.get(url), client.post(url, hostile_post(world))):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert snapshot() == before


@pytest.mark.parametrize(("name", "kwargs"), URL_NAMES, ids=[n for n, _ in URL_NAMES])
def test_a_customer_who_is_no_shop_staff_gets_403(client, world, name, kwargs):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="client-lambda"))
    url = reverse(f"backoffice:{name}", kwargs={k: world["ids"][k] for k in kwargs})
    assert client.get(url).status_code == 403
    assert client.post(url, hostile_post(world)).status_code == 403


@pytest.fixture
def own_world(staff_a):
    """Shop A's own objects, for the CSRF test (the views would accept them with a token)."""
    user_a, shop_a = staff_a
    offer = StockRecordFactory(shop=shop_a, partner_sku="A-1")
    return user_a, shop_a, {
        "offer_pk": offer.pk,
        "closure_pk": ClosureFactory(shop=shop_a).pk,
        "photo_pk": ShopPhotoFactory(shop=shop_a).pk,
        "import_pk": StockImportFactory(shop=shop_a, rows=[{"line": 2, "sku": "A-1", "price": "1.00", "stock": 3}]).pk,
    }


@pytest.mark.parametrize(("name", "kwargs"), URL_NAMES, ids=[n for n, _ in URL_NAMES])
def test_every_post_without_csrf_token_is_refused(own_world, name, kwargs):
    user, shop, ids = own_world
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    url = reverse(f"backoffice:{name}", kwargs={k: ids[k] for k in kwargs})
    before = snapshot()

    response = client.post(url, {"shop": shop.pk, "action": "archive", "description": "changé"})

    assert response.status_code == 403
    assert snapshot() == before
