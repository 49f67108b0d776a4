"""Merchant isolation: every back-office and API URL, as shop A's staff, with shop B's identifiers.

The URL patterns are read from the resolver, so a view added later is covered
without touching this file: a pattern whose keyword is unknown here fails the test.
"""
from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from marketplace.catalogue.models import Product, ProductImage
from marketplace.order.models import Line, Order, ShopOrder
from marketplace.partner.models import Partner, StockRecord
from shops.models import (
    ApiToken,
    Closure,
    OpeningPeriod,
    Shop,
    ShopInvitation,
    ShopMember,
    ShopPhoto,
    StockImport,
)
from shops.staff.services import invitation_create
from tests.factories import ClosureFactory, OpeningPeriodFactory, StockRecordFactory
from marketplace.payments.models import LedgerEntry, ShopPaymentAccount
from tests.factories.backoffice import StockImportFactory, api_token, merchant
from tests.factories.delivery import order_delivered
from tests.factories.payments import ShopPaymentAccountFactory, ledger_entries
from tests.factories.orders import order_placed
from tests.factories.shop_pages import ProductImageFactory, ShopPhotoFactory

pytestmark = pytest.mark.django_db


def url_patterns(namespace: str) -> list[tuple[str, list[str]]]:
    """(name, keyword names) of every pattern in ``namespace`` (its nested namespaces excluded)."""
    found = []

    def walk(patterns, current):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or current)
            elif isinstance(p, URLPattern) and current == namespace:
                found.append((p.name, sorted(p.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns, None)
    return found


URL_NAMES = url_patterns("backoffice")
API_URL_NAMES = [(name, kwargs) for name, kwargs in url_patterns("api") if name != "not-found"]
# Read without a token on purpose: the schema and its documentation page.
API_PUBLIC = {"schema", "docs"}


@pytest.fixture
def world(staff_a):
    user_a, shop_a = staff_a
    user_b, shop_b = merchant(username="marchand-b", role="owner")
    staff_b, _ = merchant(username="employe-b", shop=shop_b)
    offer_a = StockRecordFactory(shop=shop_a, partner_sku="A-1")
    offer_b = StockRecordFactory(shop=shop_b, partner_sku="B-1", num_in_stock=10, num_allocated=2)
    OpeningPeriodFactory(shop=shop_b)
    # Shop B's money: its account (the checkout sells only for shops that can be paid) and,
    # below, an order whose number would show up if leaked.
    ShopPaymentAccountFactory(shop=shop_b)
    # An order shared by both shops (the case Oscar's dashboard gets wrong), and one of shop B only.
    shared = order_placed(items=[(offer_a, 1), (offer_b, 1)])
    part_b = shared.shop_orders.get(shop=shop_b)
    order_placed(items=[(offer_b, 1)])
    delivered_b = order_delivered(items=[(offer_b, 1)])
    token_b, _ = api_token(shop=shop_b)
    token_a, secret_a = api_token(shop=shop_a)
    ledger_entries(shop=shop_b, order_number="COMMANDE-B-1", moves={"capture": 4200, "commission": 231,
                                                                  "transfer": 3969})
    return {
        "user_a": user_a,
        "shop_a": shop_a,
        "shop_b": shop_b,
        "secret_a": secret_a,
        "ids": {
            "offer_pk": offer_b.pk,
            "closure_pk": ClosureFactory(shop=shop_b).pk,
            "photo_pk": ShopPhotoFactory(shop=shop_b).pk,
            "import_pk": StockImportFactory(
                shop=shop_b, rows=[{"line": 2, "sku": "B-1", "price": "1.00", "stock": 99}]
            ).pk,
            "staff_user_pk": staff_b.pk,
            "invitation_pk": invitation_create(shop=shop_b, email="futur@b.test").pk,
            "token_pk": token_b.pk,
            "sku": "B-1",
            "image_pk": ProductImageFactory(product=offer_b.product).pk,
            "shop_order_pk": part_b.pk,
            "slot_pk": part_b.slot_id,
            "window_pk": delivered_b.delivery.window_id,
        },
        "offer_b": offer_b,
        "line_b": part_b.lines.get(),
    }


def snapshot() -> dict:
    """Every row a back-office or API view can write, as plain values."""
    return {
        "shops": list(Shop.objects.order_by("pk").values()),
        "offers": list(StockRecord.objects.order_by("pk").values()),
        "products": list(Product.objects.order_by("pk").values()),
        "images": list(ProductImage.objects.order_by("pk").values()),
        "photos": list(ShopPhoto.objects.order_by("pk").values()),
        "closures": list(Closure.objects.order_by("pk").values()),
        "hours": list(OpeningPeriod.objects.order_by("pk").values()),
        "imports": list(StockImport.objects.order_by("pk").values()),
        "orders": list(Order.objects.order_by("pk").values()),
        "shop_orders": list(ShopOrder.objects.order_by("pk").values()),
        "lines": list(Line.objects.order_by("pk").values()),
        "members": list(ShopMember.objects.order_by("pk").values()),
        "invitations": list(ShopInvitation.objects.order_by("pk").values()),
        "tokens": list(ApiToken.objects.order_by("pk").values("id", "shop_id", "name", "revoked_at", "key_hash")),
        "partner_users": sorted(Partner.users.through.objects.values_list("partner_id", "user_id")),
        "payment_accounts": list(ShopPaymentAccount.objects.order_by("pk").values()),
        "ledger": list(LedgerEntry.objects.order_by("pk").values()),
    }


def b_rows(world, table: str, rows: list[dict]) -> list[dict]:
    shop_b = world["shop_b"]
    return [
        r for r in rows
        if r.get("partner_id") == shop_b.partner_id or r.get("shop_id") == shop_b.pk
        or (table == "products" and r.get("id") == world["offer_b"].product_id)
        or (table == "images" and r.get("product_id") == world["offer_b"].product_id)
    ]


def hostile_post(world) -> dict:
    """A POST body naming shop B's objects in every field a view reads."""
    offer_b = world["offer_b"]
    return {
        "shop": world["shop_b"].pk,
        "offer": offer_b.pk,
        "action": "archive",
        "price": "0,01",
        "num_in_stock": "2",
        "email": "intrus@a.test",
        "name": "Jeton pirate",
        "o-TOTAL_FORMS": "1",
        "o-INITIAL_FORMS": "1",
        "o-0-offer": offer_b.pk,
        "o-0-price": "0,01",
        "o-0-num_in_stock": "2",
        f"line-{world['line_b'].pk}": "1",
    }


def test_the_resolver_lists_the_backoffice_and_api_urls(capsys):
    names = {name for name, _ in URL_NAMES}
    assert {"home", "offers", "offer-edit", "import-apply", "photo-delete", "closure-delete",
            "team", "team-member-remove", "invitation-cancel", "api-tokens", "api-token-revoke",
            "orders", "order-detail", "order-step", "order-unavailable", "picking-list"} <= names
    assert {"shop", "offers", "offer", "stock-updates", "schema", "docs"} <= {name for name, _ in API_URL_NAMES}
    with capsys.disabled():
        print(f"\nisolation : {len(URL_NAMES)} URL de l'espace commerçant, {len(API_URL_NAMES)} URL de l'API")


@pytest.mark.parametrize(("name", "kwargs"), URL_NAMES, ids=[n for n, _ in URL_NAMES])
def test_staff_of_shop_a_cannot_read_or_change_shop_b(client, world, name, kwargs):
    client.force_login(world["user_a"])
    _shop_b_out_of_reach(client, world, name, kwargs)


def _shop_b_out_of_reach(client, world, name, kwargs, *, own_page_statuses=(200, 302, 404, 405)):
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
        assert get.status_code in own_page_statuses  # 405: a POST-only action
        assert post.status_code in (200, 302, 403, 404, 405)
        assert "B-1" not in get.content.decode() and "futur@b.test" not in get.content.decode()
        after = snapshot()
        for table in ("offers", "closures", "photos", "hours", "imports", "products", "images", "members", "invitations",
                      "tokens", "payment_accounts", "ledger", "shop_orders", "lines"):
            assert b_rows(world, table, after[table]) == b_rows(world, table, before[table]), table
        assert shop_b_before in after["shops"]
        assert [p for p in after["partner_users"] if p[0] == world["shop_b"].partner_id] == [
            p for p in before["partner_users"] if p[0] == world["shop_b"].partner_id
        ]
        assert client.session.get("backoffice_shop_id") != world["shop_b"].pk


@pytest.mark.parametrize("name", ["product-image-delete", "product-image-move"])
def test_shop_b_picture_under_shop_a_offer_is_a_404(client, world, name):
    client.force_login(world["user_a"])
    own_offer = StockRecord.objects.get(partner_sku="A-1")
    before = snapshot()
    url = reverse(f"backoffice:{name}", kwargs={"offer_pk": own_offer.pk, "image_pk": world["ids"]["image_pk"]})
    assert client.post(url, {"direction": "up"}).status_code == 404
    assert snapshot() == before


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
    staff, _ = merchant(username="employe-a", shop=shop_a)
    return user_a, shop_a, {
        "offer_pk": offer.pk,
        "closure_pk": ClosureFactory(shop=shop_a).pk,
        "photo_pk": ShopPhotoFactory(shop=shop_a).pk,
        "import_pk": StockImportFactory(shop=shop_a, rows=[{"line": 2, "sku": "A-1", "price": "1.00", "stock": 3}]).pk,
        "staff_user_pk": staff.pk,
        "invitation_pk": invitation_create(shop=shop_a, email="futur@a.test").pk,
        "token_pk": api_token(shop=shop_a)[0].pk,
        "image_pk": ProductImageFactory(product=offer.product).pk,
        "shop_order_pk": (part := order_placed(items=[(offer, 1)]).shop_orders.get()).pk,
        "slot_pk": part.slot_id,
        "window_pk": order_delivered(items=[(offer, 1)]).delivery.window_id,
    }


@pytest.mark.parametrize(("name", "kwargs"), URL_NAMES, ids=[n for n, _ in URL_NAMES])
def test_every_post_without_csrf_token_is_refused(own_world, name, kwargs):
    user, shop, ids = own_world
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    url = reverse(f"backoffice:{name}", kwargs={k: ids[k] for k in kwargs})
    before = snapshot()

    response = client.post(url, {"shop": shop.pk, "action": "archive", "description": "changé", "email": "x@a.test", "name": "x"})

    assert response.status_code == 403
    assert snapshot() == before


OWNER_ONLY = {"team", "team-member-remove", "invitation-cancel", "api-tokens", "api-token-revoke"}


@pytest.mark.parametrize("name", sorted(OWNER_ONLY))
def test_plain_staff_cannot_manage_staff_or_tokens(client, own_world, name):
    _, shop, ids = own_world
    staff, _ = merchant(username="employe-simple", shop=shop)
    kwargs = dict(url_patterns("backoffice"))[name]
    url = reverse(f"backoffice:{name}", kwargs={k: ids[k] for k in kwargs})
    client.force_login(staff)
    before = snapshot()

    get, post = client.get(url), client.post(url, {"email": "y@a.test", "name": "Caisse"})

    assert get.status_code == 403 and post.status_code == 403
    assert "réservée au gérant" in get.content.decode()
    assert snapshot() == before


# --- The till/POS API -----------------------------------------------------------------------

HOSTILE_JSON = {"items": [{"sku": "B-1", "stock": 0, "price": "0.01"}], "price": "0.01", "stock": 0}


def _api(client, method: str, url: str, secret: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    return client.generic(method.upper(), url, data=json.dumps(HOSTILE_JSON), content_type="application/json", **headers)


@pytest.mark.parametrize(("name", "kwargs"), API_URL_NAMES, ids=[n for n, _ in API_URL_NAMES])
def test_a_token_of_shop_a_cannot_read_or_change_shop_b_through_the_api(client, world, name, kwargs):
    unknown = set(kwargs) - set(world["ids"])
    assert not unknown, f"add shop B's object for {unknown} to this test"
    url = reverse(f"api:{name}", kwargs={k: world["ids"][k] for k in kwargs})
    before = snapshot()

    responses = [_api(client, method, url, world["secret_a"]) for method in ("get", "post", "put", "patch", "delete")]

    for response in responses:
        assert response.status_code < 500
        assert "B-1" not in response.content.decode() or response.status_code in (400, 404), response.content
        if response.status_code >= 400:
            assert response["Content-Type"].split(";")[0].endswith("json"), (response.status_code, response["Content-Type"])
            assert response.json()["detail"]
    if kwargs:
        assert {r.status_code for r in responses} <= {404, 405}
    after = snapshot()
    for table in ("offers", "products"):
        assert b_rows(world, table, after[table]) == b_rows(world, table, before[table]), table
    assert after == before | {"offers": after["offers"], "products": after["products"]}


@pytest.mark.parametrize(("name", "kwargs"), API_URL_NAMES, ids=[n for n, _ in API_URL_NAMES])
def test_the_api_wants_a_token_and_ignores_a_merchant_session(client, world, name, kwargs):
    client.force_login(world["user_a"])  # a session cookie opens nothing in the API
    url = reverse(f"api:{name}", kwargs={k: world["ids"][k] for k in kwargs})
    before = snapshot()
    for method in ("get", "post", "patch"):
        response = _api(client, method, url, None)
        if name in API_PUBLIC and method == "get":
            assert response.status_code == 200
            continue
        assert response.status_code in (401, 405), (method, response.status_code)
        assert response["Content-Type"].split(";")[0].endswith("json")
        if response.status_code == 401:
            assert response["WWW-Authenticate"].startswith("Bearer")
    assert snapshot() == before


def test_an_unknown_api_url_is_a_json_404(client, world):
    response = client.get("/api/v1/nulle-part/", HTTP_AUTHORIZATION=f"Bearer {world['secret_a']}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- Oscar's dashboard ------------------------------------------------------------------------

DASHBOARD_URL_NAMES = url_patterns("dashboard")


def _dashboard_kwargs(world, kwargs: list[str]) -> dict:
    """Shop B's identifiers for whatever a dashboard URL names."""
    shop_b, offer_b = world["shop_b"], world["offer_b"]
    values = {
        "pk": shop_b.partner_id, "partner_pk": shop_b.partner_id, "user_pk": world["ids"]["staff_user_pk"],
        "product_pk": offer_b.product_id, "parent_pk": offer_b.product_id, "stockrecord_pk": offer_b.pk,
        "number": "100001", "line_id": 1, "note_id": 1, "code": "CODE", "slug": shop_b.slug,
        "product_class_pk": offer_b.product.product_class_id, "category_pk": 1, "id": 1,
    }
    return {k: values.get(k, 1) for k in kwargs}


def test_the_resolver_lists_oscars_dashboard_urls():
    assert len(DASHBOARD_URL_NAMES) > 50


@pytest.mark.parametrize(("name", "kwargs"), DASHBOARD_URL_NAMES, ids=[n for n, _ in DASHBOARD_URL_NAMES])
def test_a_merchant_never_reaches_oscars_dashboard(client, world, name, kwargs):
    from django.contrib.auth.models import Permission

    # Even with the permission Oscar gives partner users, a merchant is no manager.
    world["user_a"].user_permissions.add(Permission.objects.get(codename="dashboard_access"))
    client.force_login(world["user_a"])
    url = reverse(f"dashboard:{name}", kwargs=_dashboard_kwargs(world, kwargs))
    before = snapshot()

    get, post = client.get(url), client.post(url, hostile_post(world))

    if name in ("login", "logout"):  # open pages (logout answers POST only)
        assert get.status_code in (200, 302, 405)
        return
    assert get.status_code == 403, (url, get.status_code)
    assert post.status_code == 403, (url, post.status_code)
    assert snapshot() == before


@pytest.mark.parametrize(("name", "kwargs"), DASHBOARD_URL_NAMES, ids=[n for n, _ in DASHBOARD_URL_NAMES])
def test_anonymous_users_get_the_login_page_on_the_dashboard(client, world, name, kwargs):
    url = reverse(f"dashboard:{name}", kwargs=_dashboard_kwargs(world, kwargs))
    before = snapshot()
    if name in ("login", "logout"):
        return
    for response in (client.get(url), client.post(url, hostile_post(world))):
        assert response.status_code == 302, (url, response.status_code)
        assert "login" in response["Location"]
    assert snapshot() == before
