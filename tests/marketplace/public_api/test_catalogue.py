"""The public catalogue API lists what shoppers may see, with offers and availability, and never
unpublished products, suspended shops or stock numbers."""
from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ProductFactory, StockRecordFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/public/"


def _get(client, path, **params):
    response = client.get(API + path, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _everything(client, town) -> str:
    paths = ["shops/", "shops/maison-muller/", "collection-points/", "categories/", "products/",
             f"products/{town['croissant'].pk}/", "search/?q=croissant", "search/?q=boulangerie"]
    return " ".join(client.get(API + path).content.decode() for path in paths)


def test_no_answer_shows_unpublished_products_suspended_shops_or_stock_numbers(client, town):
    text = _everything(client, town)

    assert "Brouillon secret" not in text and "Vendu par un suspendu" not in text
    assert "suspendue" not in text and "0.10" not in text
    assert "987654" not in text and "num_in_stock" not in text and '"stock"' not in text


def test_an_unpublished_product_or_a_suspended_shop_is_not_found(client, town):
    for path in (f"products/{town['hidden'].pk}/", f"products/{town['banned'].pk}/", "shops/suspendue/", "shops/inconnu/"):
        response = client.get(API + path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found" and response.json()["detail"].startswith("Aucun")


def test_shops_come_with_hours_closures_and_services(client, town):
    page = _get(client, "shops/")

    assert [shop["slug"] for shop in page["results"]] == ["librairie-du-pont", "maison-muller"]
    bakery = page["results"][1]
    assert bakery["trade"] == "boulangerie" and bakery["trade_label"] == "Boulangerie-pâtisserie"
    assert bakery["hours"] == [{"weekday": 1, "day": "mardi", "opens": "07:00", "closes": "13:00"}]
    assert bakery["services"] == {"pickup_in_shop": True, "pickup_points": sorted(
        [town["point"].pk, town["locker"].pk], key=lambda pk: 0 if pk == town["locker"].pk else 1), "delivery": False}
    assert page["results"][0]["services"]["pickup_in_shop"] is False
    assert bakery["address"]["postcode"] == "45210" and bakery["url"].endswith("/commerces/maison-muller/")


def test_shops_filter_by_trade(client, town):
    page = _get(client, "shops/", trade="librairie")

    assert [shop["slug"] for shop in page["results"]] == ["librairie-du-pont"]


def test_collection_points_are_the_shared_ones(client, town):
    page = _get(client, "collection-points/")

    assert {p["name"] for p in page["results"]} == {"Point retrait de la Halle", "Consignes de la gare"}
    assert [p["name"] for p in _get(client, "collection-points/", kind="locker_bank")["results"]] == ["Consignes de la gare"]


def test_categories_say_their_parent_and_address(client, town):
    from tests.factories import CategoryFactory

    child = CategoryFactory(name="Croissants", slug="croissants", parent=town["bread"])
    results = _get(client, "categories/")["results"]

    by_id = {c["id"]: c for c in results}
    assert by_id[child.pk]["parent"] == town["bread"].pk and by_id[child.pk]["depth"] == 2
    assert by_id[child.pk]["url"].endswith(child.get_absolute_url())
    assert by_id[town["bread"].pk]["parent"] is None


def test_a_product_has_each_selling_shop_offer_with_availability_only(client, town):
    product = _get(client, f"products/{town['croissant'].pk}/")

    assert product["title"] == "Croissant au beurre" and product["categories"] == [town["bread"].pk]
    assert [(o["shop"], o["price"], o["availability"]) for o in product["offers"]] == [
        ("maison-muller", "1.20", "in_stock"), ("librairie-du-pont", "1.50", "out_of_stock"),
    ]
    assert product["offers"][0]["url"].endswith("?commerce=maison-muller")


def test_products_filter_by_shop_category_price_and_stock(client, town):
    def titles(**params):
        return [p["title"] for p in _get(client, "products/", **params)["results"]]

    assert titles(shop="librairie-du-pont", sort="nom") == ["Croissant au beurre", "Roman policier"]
    assert titles(category=town["bread"].pk) == ["Croissant au beurre"]
    assert titles(price_min="5", price_max="10") == ["Roman policier"]
    assert titles(shop="librairie-du-pont", in_stock="1") == ["Roman policier"]


def test_search_names_the_shop_and_finds_its_products(client, town):
    page = _get(client, "search/", q="boulangerie")

    assert page["query"] == "boulangerie"
    assert [shop["slug"] for shop in page["shops"]] == ["maison-muller"]
    assert "Croissant au beurre" in [p["title"] for p in page["results"]]


def test_pages_link_to_each_other(client, town):
    first = _get(client, "products/", page_size=1)
    second = client.get(first["next"]).json()

    assert first["count"] == 2 and first["pages"] == 2 and first["previous"] is None
    assert second["page"] == 2 and second["next"] is None and second["previous"].endswith("page=1")
    assert {first["results"][0]["id"], second["results"][0]["id"]} == {town["croissant"].pk, town["novel"].pk}


def test_a_page_past_the_last_is_not_found_in_french(client, town):
    response = client.get(API + "products/", {"page": 3})

    assert response.status_code == 404 and response.json()["detail"] == "Page 3 inexistante : il y a 1 page de 20 éléments."


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API + path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["products/", "search/?q=produit", "shops/", "categories/"])
def test_a_page_costs_the_same_queries_for_two_products_or_thirty(client, town, path):
    few = _queries(client, path)
    for n in range(30):
        product = ProductFactory(title=f"Produit {n}", categories=[town["bread"]])
        StockRecordFactory(product=product, shop=town["bakery"])
        StockRecordFactory(product=product, shop=town["books"])
    many = _queries(client, path)

    assert few == many, (few, many)


def test_the_schema_documents_the_public_api(client):
    document = client.get("/api/v1/schema/").json()

    for path in ("shops/", "shops/{slug}/", "collection-points/", "categories/", "products/", "products/{id}/", "search/"):
        assert f"/api/v1/public/{path}" in document["paths"], path
    parameters = {p["name"] for p in document["paths"]["/api/v1/public/products/"]["get"]["parameters"]}
    assert {"q", "category", "shop", "in_stock", "price_min", "price_max", "sort", "page", "page_size"} <= parameters
    assert "clePartenaire" in document["components"]["securitySchemes"]
    assert json.dumps(document).count("PublicProduct") >= 2
