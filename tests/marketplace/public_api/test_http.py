"""The public API over HTTP: ETags and 304, the rate limit per client (429 in French with
Retry-After), CORS for GET only, partner keys, French errors."""
from __future__ import annotations

import pytest

from marketplace.partner.models import StockRecord

pytestmark = pytest.mark.django_db
API = "/api/v1/public/"


def test_a_current_copy_gets_a_304_and_a_change_a_new_etag(client, town):
    first = client.get(API + "products/")
    etag = first["ETag"]

    again = client.get(API + "products/", HTTP_IF_NONE_MATCH=etag)
    StockRecord.objects.filter(product=town["croissant"], partner=town["bakery"].partner).update(num_allocated=987654)
    changed = client.get(API + "products/", HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert '"out_of_stock"' in changed.content.decode()


def test_if_modified_since_gets_a_304_while_nothing_changed(client, town):
    first = client.get(API + "shops/")

    assert client.get(API + "shops/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_too_many_requests_get_a_429_in_french_with_retry_after(client, town, settings):
    settings.HALLE_PUBLIC_API_RATE_LIMIT = 3
    settings.HALLE_PUBLIC_API_RATE_WINDOW = 3600  # no window ends in the middle of the test
    answers = [client.get(API + "categories/", REMOTE_ADDR="203.0.113.7") for _ in range(4)]
    other = client.get(API + "categories/", REMOTE_ADDR="203.0.113.8")

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.json()["code"] == "throttled"
    assert refused.json()["detail"].startswith("Trop de requêtes pour ce client : réessayez dans ")
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert refused["Access-Control-Allow-Origin"] == "*"  # a browser app can read why
    assert other.status_code == 200  # another client has its own allowance


def test_a_partner_key_has_its_own_larger_allowance(client, town, settings):
    settings.HALLE_PUBLIC_API_RATE_LIMIT = 1
    settings.HALLE_PUBLIC_API_RATE_WINDOW = 3600
    settings.HALLE_PUBLIC_API_KEY_RATE_LIMIT = 5
    settings.HALLE_PUBLIC_API_KEYS = ["cle-du-office-de-tourisme"]

    anonymous = [client.get(API + "categories/", REMOTE_ADDR="203.0.113.9").status_code for _ in range(2)]
    keyed = [client.get(API + "categories/", REMOTE_ADDR="203.0.113.9", HTTP_X_API_KEY="cle-du-office-de-tourisme").status_code
             for _ in range(5)]

    assert anonymous == [200, 429] and keyed == [200] * 5


def test_an_unknown_key_is_refused_in_french(client, town):
    response = client.get(API + "shops/", HTTP_X_API_KEY="inventee")

    assert response.status_code == 401 and response.json()["code"] == "unknown_api_key"
    assert "Clé d'API inconnue" in response.json()["detail"]


def test_cors_allows_get_from_any_origin_and_nothing_else(client, town):
    get = client.get(API + "shops/", HTTP_ORIGIN="https://app.example")
    preflight = client.options(API + "shops/", HTTP_ORIGIN="https://app.example",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    post = client.post(API + "shops/", {}, content_type="application/json", HTTP_ORIGIN="https://app.example")

    assert get["Access-Control-Allow-Origin"] == "*" and "ETag" in get["Access-Control-Expose-Headers"]
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "X-Api-Key" in preflight["Access-Control-Allow-Headers"]
    assert post.status_code == 405 and "Access-Control-Allow-Origin" not in post
    assert post.json()["code"] == "method_not_allowed" and "non autorisée" in post.json()["detail"]


def test_an_unknown_address_answers_french_json(client):
    response = client.get(API + "produits/")

    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_no_cookie_is_set_and_no_session_read(client, town):
    response = client.get(API + "products/")

    assert not response.cookies
