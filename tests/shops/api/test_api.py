"""The till/POS API: reading and changing a shop's offers by SKU, JSON errors, tokens."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.partner.models import StockRecord
from shops.api.tokens import api_token_revoke
from shops.models import ApiToken, ShopStatus
from tests.factories import StockRecordFactory
from tests.factories.backoffice import api_token
from tests.shops.api.conftest import Till

pytestmark = pytest.mark.django_db


def stock(sku: str) -> tuple[Decimal, int]:
    offer = StockRecord.objects.get(partner_sku=sku)
    return offer.price, offer.num_in_stock


def test_the_token_tells_its_shop(till, shop):
    response = till.get("shop/")
    assert response.status_code == 200
    assert response.json() == {"name": shop.name, "slug": shop.slug, "status": "active", "selling": True, "token_name": "Caisse"}


def test_read_one_offer_by_sku(till, offers):
    response = till.get("offers/CROISSANT/")
    assert response.status_code == 200
    body = response.json()
    assert (body["sku"], body["price"], body["stock"], body["reserved"], body["available"]) == ("CROISSANT", "9.90", 20, 4, 16)


def test_a_sku_with_a_slash_is_reachable(till, shop):
    StockRecordFactory(shop=shop, partner_sku="12/A")
    assert till.get("offers/12/A/").json()["sku"] == "12/A"


def test_the_list_holds_only_this_shops_offers_in_constant_queries(till, shop, offers):
    StockRecordFactory(partner_sku="AILLEURS")
    till.get("shop/")  # the first call of the minute records the token's last use
    with CaptureQueriesContext(connection) as few:
        response = till.get("offers/")
    assert [o["sku"] for o in response.json()["results"]] == ["CROISSANT", "PAIN"]
    StockRecordFactory.create_batch(15, shop=shop)
    with CaptureQueriesContext(connection) as many:
        assert till.get("offers/").json()["count"] == 17
    assert len(many) == len(few)
    assert [o["sku"] for o in till.get("offers/?sku=pai").json()["results"]] == ["PAIN"]


def test_patch_changes_price_and_stock(till, offers):
    response = till.patch("offers/PAIN/", {"price": "3.50", "stock": 12})
    assert response.status_code == 200
    assert (response.json()["price"], response.json()["stock"]) == ("3.50", 12)
    assert stock("PAIN") == (Decimal("3.50"), 12)
    till.patch("offers/PAIN/", {"price": 4.2})
    till.patch("offers/PAIN/", {"price": "4,30"})
    assert stock("PAIN") == (Decimal("4.30"), 12)


def test_stock_below_what_is_reserved_is_refused_by_the_shared_service(till, offers):
    response = till.patch("offers/CROISSANT/", {"stock": 3})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "stock", "message": "Le stock ne peut pas être inférieur aux quantités déjà réservées (4)."}
    ]
    assert stock("CROISSANT")[1] == 20


BAD_CHANGES = {
    "stock négatif": ({"stock": -1}, "stock", "Le stock ne peut pas être négatif."),
    "stock en texte": ({"stock": "12"}, "stock", "Le stock doit être un nombre entier (exemple : 12)."),
    "stock décimal": ({"stock": 1.5}, "stock", "Le stock doit être un nombre entier (exemple : 12)."),
    "stock booléen": ({"stock": True}, "stock", "Le stock doit être un nombre entier (exemple : 12)."),
    "stock énorme": ({"stock": 10**9}, "stock", "Stock trop grand (1000000 au maximum)."),
    "prix illisible": ({"price": "abc"}, "price", 'Format de prix invalide : « abc » (exemple : "3.50").'),
    "prix à trois décimales": ({"price": "1.234"}, "price", 'Format de prix invalide : « 1.234 » (exemple : "3.50").'),
    "prix négatif": ({"price": -1}, "price", "Le prix ne peut pas être négatif."),
    "prix booléen": ({"price": True}, "price", 'Format de prix invalide (exemple : "3.50").'),
    "prix objet": ({"price": {"amount": 3}}, "price", 'Format de prix invalide (exemple : "3.50").'),
    "champ inconnu": ({"prix": "3.50"}, "prix", "Champ inconnu : « prix » (champs acceptés : price, stock)."),
    "rien à changer": ({}, "", "Ni prix ni stock : rien à changer."),
    "pas un objet": ([1, 2], "", 'Chaque changement doit être un objet JSON, par exemple {"stock": 12}.'),
}


@pytest.mark.parametrize("case", BAD_CHANGES, ids=list(BAD_CHANGES))
def test_bad_input_gets_a_precise_french_message_and_changes_nothing(till, offers, case):
    body, field, message = BAD_CHANGES[case]
    response = till.patch("offers/PAIN/", body)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert {"field": field, "message": message} in response.json()["errors"]
    assert stock("PAIN") == (Decimal("9.90"), 10)


def test_malformed_json_and_form_data_are_json_errors(till, offers):
    response = till.call("PATCH", "offers/PAIN/", raw=b'{"stock": 1,')
    assert (response.status_code, response.json()["code"]) == (400, "malformed_json")
    response = till.call("PATCH", "offers/PAIN/", raw=b"stock=1", content_type="application/x-www-form-urlencoded")
    assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type")
    assert stock("PAIN")[1] == 10


def test_unknown_sku_and_another_shops_sku_are_the_same_404(till, offers):
    other = StockRecordFactory(partner_sku="VOISIN", num_in_stock=7)
    unknown = till.patch("offers/NULLE-PART/", {"stock": 1})
    foreign = till.patch("offers/VOISIN/", {"stock": 1})
    assert (unknown.status_code, foreign.status_code) == (404, 404)
    assert foreign.json() == {"detail": "SKU inconnu pour ce commerce : « VOISIN ».", "code": "unknown_sku"}
    assert till.get("offers/VOISIN/").status_code == 404
    other.refresh_from_db()
    assert other.num_in_stock == 7


def test_batch_applies_every_change(till, offers):
    response = till.post("stock-updates/", {"items": [{"sku": "PAIN", "stock": 30}, {"sku": "CROISSANT", "price": "1.20"}]})
    assert response.status_code == 200
    assert response.json()["updated"] == 2
    assert stock("PAIN")[1] == 30 and stock("CROISSANT")[0] == Decimal("1.20")


def test_batch_is_all_or_nothing_with_one_message_per_refused_item(till, offers):
    StockRecordFactory(partner_sku="VOISIN")
    response = till.post("stock-updates/", {"items": [
        {"sku": "PAIN", "stock": 30},
        {"sku": "INCONNU", "stock": 1},
        {"sku": "VOISIN", "stock": 1},
        {"sku": "PAIN", "price": "2"},
        {"sku": "CROISSANT", "stock": -2},
        {"stock": 1},
    ]})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Rien n'a été modifié : 5 changements refusés."
    assert body["errors"] == [
        {"index": 1, "sku": "INCONNU", "field": "sku", "message": "SKU inconnu pour ce commerce : « INCONNU »."},
        {"index": 2, "sku": "VOISIN", "field": "sku", "message": "SKU inconnu pour ce commerce : « VOISIN »."},
        {"index": 3, "sku": "PAIN", "field": "sku", "message": "SKU en double : déjà à l'élément 0."},
        {"index": 4, "sku": "CROISSANT", "field": "stock", "message": "Le stock ne peut pas être négatif."},
        {"index": 5, "sku": "", "field": "sku", "message": "Ce champ est obligatoire."},
    ]
    assert stock("PAIN")[1] == 10


def test_batch_refused_under_the_lock_reports_the_item(till, offers):
    response = till.post("stock-updates/", {"items": [{"sku": "PAIN", "stock": 1}, {"sku": "CROISSANT", "stock": 2}]})
    assert response.status_code == 400
    assert response.json()["errors"] == [{
        "index": 1, "sku": "CROISSANT", "field": "stock",
        "message": "Le stock ne peut pas être inférieur aux quantités déjà réservées (4).",
    }]
    assert stock("PAIN")[1] == 10


def test_a_huge_batch_is_refused_whole(till, offers, settings):
    items = [{"sku": "PAIN", "stock": 1}] * (settings.HALLE_API_BATCH_MAX + 1)
    response = till.post("stock-updates/", {"items": items})
    assert (response.status_code, response.json()["code"]) == (400, "batch_too_large")
    assert "501 reçus, 500 au maximum" in response.json()["detail"]
    settings.HALLE_API_MAX_BODY_BYTES = 1000
    response = till.post("stock-updates/", {"items": [{"sku": f"S{i}", "stock": 1} for i in range(100)]})
    assert (response.status_code, response.json()["code"]) == (413, "body_too_large")
    assert stock("PAIN")[1] == 10


@pytest.mark.parametrize("body", [{}, {"items": "PAIN"}, {"items": []}, [], "x"])
def test_a_batch_without_items_is_a_400(till, offers, body):
    response = till.post("stock-updates/", body)
    assert response.status_code == 400 and response.json()["detail"]


def test_missing_unknown_and_revoked_tokens_are_401(client, shop, offers):
    token, secret = api_token(shop=shop)
    assert Till(client, None).get("offers/").status_code == 401
    unknown = Till(client, "halle_pas-un-vrai-jeton").get("offers/")
    assert (unknown.status_code, unknown.json()["code"]) == (401, "unknown_token")
    bad = client.get("/api/v1/offers/", HTTP_AUTHORIZATION="Basic xyz")
    assert (bad.status_code, bad.json()["code"]) == (401, "bad_authorization_header")
    assert Till(client, secret).get("offers/").status_code == 200
    api_token_revoke(token=token)
    revoked = Till(client, secret).get("offers/")
    assert (revoked.status_code, revoked.json()["code"]) == (401, "revoked_token")
    assert revoked["WWW-Authenticate"] == 'Bearer realm="halle"'


def test_a_suspended_shop_can_read_but_not_write(till, shop, offers):
    shop.status = ShopStatus.SUSPENDED
    shop.save()
    assert till.get("offers/PAIN/").status_code == 200
    response = till.patch("offers/PAIN/", {"stock": 1})
    assert (response.status_code, response.json()["code"]) == (403, "shop_suspended")
    assert stock("PAIN")[1] == 10


def test_tokens_are_stored_hashed_and_shown_by_their_prefix_only(shop):
    token, secret = api_token(shop=shop)
    assert secret.startswith("halle_") and len(secret) > 40
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in str(row)
    assert secret.startswith(token.prefix) and len(token.prefix) == 12


def test_last_use_is_recorded(till, shop):
    assert till.get("shop/").status_code == 200
    assert ApiToken.objects.get(shop=shop).last_used_at is not None


def test_the_openapi_schema_and_docs_are_served_without_outside_scripts(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    document = schema.json()
    assert {"/api/v1/offers/{sku}/", "/api/v1/stock-updates/", "/api/v1/offers/", "/api/v1/shop/"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["jetonCommerce"] == {
        "type": "http", "scheme": "bearer", "description": document["components"]["securitySchemes"]["jetonCommerce"]["description"],
    }
    patch = document["paths"]["/api/v1/offers/{sku}/"]["patch"]
    assert "Idempotency-Key" in [p["name"] for p in patch["parameters"]]
    docs = client.get("/api/v1/docs/").content.decode()
    assert "Changer le prix et/ou le stock d&#x27;une offre" in docs or "Changer le prix et/ou le stock d'une offre" in docs
    assert "<script src=\"http" not in docs and "cdn" not in docs.lower()
