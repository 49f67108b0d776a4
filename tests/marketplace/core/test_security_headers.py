"""Security headers on the pages of every role: a Content-Security-Policy that runs no inline
script but the one carrying the response's nonce (and no inline handler, ``javascript:`` URL
or inline style), a Permissions-Policy, and ``Cache-Control: no-store`` on every page that
shows a pickup code, a QR code or someone's data."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from logistics.models import CollectionPoint, PointKind
from logistics.pickup.models import PickupCode
from logistics.pickup.services.staff import point_staff_add
from logistics.pickup.tokens import order_status_path
from marketplace.demo.accounts import demo_accounts_ensure
from marketplace.demo.town import town_seed
from marketplace.partner.models import StockRecord
from shops.backoffice.access import SESSION_KEY
from shops.models import Shop
from tests.factories.backoffice import merchant as merchant_owner
from tests.factories.pickup import order_with_parts, part_advance

pytestmark = pytest.mark.django_db


class _Audit(HTMLParser):
    """What a strict CSP would refuse in a page: inline scripts without ``nonce``, inline event
    handlers, ``javascript:`` URLs, ``style`` attributes and ``<style>`` elements."""

    def __init__(self, nonce: str):
        super().__init__()
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        inline_script = tag == "script" and "src" not in values and values.get("type") not in (
            "application/json", "application/ld+json")
        if inline_script and (not self.nonce or values.get("nonce") != self.nonce):
            self.problems.append(f"<script> inline sans le nonce de la réponse (ligne {self.getpos()[0]})")
        if tag == "style":
            self.problems.append(f"élément <style> (ligne {self.getpos()[0]})")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> (ligne {self.getpos()[0]})")
            if name == "style":
                self.problems.append(f"<{tag} style=…> (ligne {self.getpos()[0]})")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…> (ligne {self.getpos()[0]})")


def _nonce(policy: str) -> str:
    match = re.search(r"'nonce-([^']+)'", policy)
    return match.group(1) if match else ""


def _csp_problems(response) -> list[str]:
    policy = response.get("Content-Security-Policy", "")
    if not policy:
        return ["pas d'en-tête Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    problems = [f"script-src permet {bad}" for bad in ("'unsafe-inline'", "'unsafe-eval'", "*") if bad in script_src.split()]
    if "style-src 'self'" not in policy:
        problems.append("style-src n'est pas 'self' seulement")
    audit = _Audit(_nonce(policy))
    audit.feed(response.content.decode())
    return problems + audit.problems


@pytest.fixture
def town():
    town_seed(shops=2, products=6, seed=4, images=False)
    demo_accounts_ensure()
    User = get_user_model()
    shopper = User.objects.get(email="client@halle.test")
    point = CollectionPoint.objects.filter(kind=PointKind.TOWN_POINT).first()
    order = order_with_parts(count=1, point=point, user=shopper)
    part = order.shop_orders.get()
    part_advance(part, to="dropped")
    merchant, _ = merchant_owner(shop=part.shop, role="owner", username="gerant-audit")
    agent = User.objects.get(email="point-retrait@halle.test")
    bank = CollectionPoint.objects.filter(kind=PointKind.LOCKER_BANK).first()
    point_staff_add(point=point, user=agent)
    return {
        "shopper": shopper, "order": order, "part": part, "merchant": merchant, "agent": agent, "point": point,
        "bank": bank, "manager": User.objects.get(email="manager@halle.test"),
        "offer": StockRecord.objects.filter(partner__shop__isnull=False).select_related("product").first(),
        "shop": Shop.objects.order_by("pk").first(),
    }


def _client(user=None, shop=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if shop is not None:
        session = client.session
        session[SESSION_KEY] = shop.pk
        session.save()
    return client


def _anonymous_pages(town) -> list[str]:
    return [
        "/", reverse("shops:list"), town["shop"].get_absolute_url(), town["offer"].product.get_absolute_url(),
        reverse("catalogue:index"), "/search/?q=pain", reverse("basket:summary"), reverse("customer:login"),
        reverse("customer:register"), reverse("password-reset"),
        reverse("pickup:locker-keypad", kwargs={"point_id": town["bank"].pk}),
    ]


def _private_pages(town) -> list[tuple[str, Client, list[str]]]:
    order, part = town["order"], town["part"]
    return [
        ("client", _client(town["shopper"]), [
            "/", reverse("customer:profile-view"), reverse("account-order-list"),
            reverse("customer:order", kwargs={"order_number": order.number}), reverse("customer:address-list"),
            reverse("customer:logout"),
        ]),
        ("commerçant", _client(town["merchant"], part.shop), [
            reverse(f"backoffice:{name}") for name in (
                "home", "orders", "offers", "low-stock", "product-create", "imports", "profile", "hours", "closures",
                "photos", "team", "api-tokens", "money", "payments")
        ] + [
            reverse("backoffice:order-detail", args=[part.pk]), reverse("backoffice:picking-list", args=[part.slot_id]),
            reverse("pickup:counter-handover"), reverse("pickup:counter-drops"), reverse("pickup:counter-returns"),
        ]),
        ("point de retrait", _client(town["agent"]), [
            reverse("pickup:point-handover", kwargs={"point_id": town["point"].pk}),
        ]),
        ("manager", _client(town["manager"]), [reverse("payments-manager:money"), reverse("pickup-manager:late")]),
    ]


def _guest_with_a_basket(town) -> Client:
    from tests.factories.payments import ShopPaymentAccountFactory

    client = Client()
    offer = town["offer"]
    ShopPaymentAccountFactory(shop=offer.partner.shop)
    response = client.post(f"/basket/add/{offer.product_id}/", {"quantity": 1, "stockrecord": offer.pk})
    assert response.status_code == 302
    point = town["point"]
    client.post(reverse("checkout:index"), {"email": "invite@halle.test", "phone": "06 12 34 56 78", "mode": "point",
                                            "point": point.pk, "action": "refresh", "shown": f"point:{point.pk}"})
    return client


def test_every_page_has_a_strict_csp_and_runs_only_the_inline_script_with_its_nonce(town):
    problems = []
    guest = _guest_with_a_basket(town)
    pages = [("anonyme", Client(), _anonymous_pages(town)), *_private_pages(town),
             ("invité avec un panier", guest, [reverse("basket:summary"), reverse("checkout:index")])]
    pages.append(("anonyme", Client(), [order_status_path(order_number=town["order"].number), "/page-inconnue/"]))
    for role, client, urls in pages:
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 404), (role, url, response.status_code)
            problems += [f"{role} {url} : {problem}" for problem in _csp_problems(response)]
    assert problems == []


def test_the_nonce_is_new_for_every_response_even_for_a_page_served_from_the_cache(town):
    url = town["offer"].product.get_absolute_url()
    nonces = []
    for _ in range(3):
        response = Client().get(url)
        nonce = _nonce(response["Content-Security-Policy"])
        assert f'<script nonce="{nonce}">' in response.content.decode()
        nonces.append(nonce)
    assert len(set(nonces)) == 3


def test_every_response_says_which_browser_features_pages_may_use(town):
    for url in ("/", "/page-inconnue/", reverse("customer:login")):
        policy = Client().get(url)["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
        assert 'payment=(self "https://js.stripe.com")' in policy


def test_pages_with_a_code_a_qr_code_or_someones_data_are_never_stored(town):
    not_stored = []
    guest_links = [order_status_path(order_number=town["order"].number),
                   reverse("pickup:locker-keypad", kwargs={"point_id": town["bank"].pk})]
    for role, client, urls in [("anonyme", Client(), guest_links), *_private_pages(town)]:
        for url in urls:
            response = client.get(url)
            if "no-store" not in response.get("Cache-Control", ""):
                not_stored.append(f"{role} {url} : {response.get('Cache-Control')!r}")
    assert not_stored == []
    assert PickupCode.objects.get(order=town["order"]).display in Client().get(guest_links[0]).content.decode()


def test_a_guests_checkout_pages_are_never_stored_but_the_public_pages_may_be(town, client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    session = client.session
    session["checkout_data"] = {"guest": {"email": "invite@halle.test"}}  # a guest mid-checkout
    session.save()
    assert "no-store" in client.get("/").get("Cache-Control", "")
