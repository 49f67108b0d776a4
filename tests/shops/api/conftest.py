import json

import pytest

from tests.factories import StockRecordFactory
from tests.factories.backoffice import api_token, merchant


class Till:
    """A till of one shop talking JSON to the API with its token."""

    def __init__(self, client, secret: str):
        self.client, self.secret = client, secret

    def call(self, method: str, path: str, body=None, *, raw: bytes | None = None, content_type="application/json", **headers):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {self.secret}"} if self.secret else {}
        for name, value in headers.items():
            extra["HTTP_" + name.upper().replace("-", "_")] = value
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        return self.client.generic(method, f"/api/v1/{path}", data=data, content_type=content_type, **extra)

    def get(self, path, **headers):
        return self.call("GET", path, **headers)

    def patch(self, path, body, **headers):
        return self.call("PATCH", path, body, **headers)

    def post(self, path, body, **headers):
        return self.call("POST", path, body, **headers)


@pytest.fixture
def shop(db):
    return merchant(username="gerant", role="owner")[1]


@pytest.fixture
def offers(shop):
    return {
        "PAIN": StockRecordFactory(shop=shop, partner_sku="PAIN", num_in_stock=10, num_allocated=0),
        "CROISSANT": StockRecordFactory(shop=shop, partner_sku="CROISSANT", num_in_stock=20, num_allocated=4),
    }


@pytest.fixture
def till(client, shop):
    return Till(client, api_token(shop=shop)[1])
