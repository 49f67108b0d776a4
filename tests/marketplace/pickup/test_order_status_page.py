"""The tokenised order status page: code, QR code and shop parts; a wrong link is a 404."""
from __future__ import annotations

import pytest

from marketplace.pickup.models import PickupCode
from marketplace.pickup.tokens import order_status_path
from tests.factories.pickup import order_place

pytestmark = pytest.mark.django_db


def test_the_status_page_shows_the_open_code_and_its_qr_code(client):
    order = order_place(quantities=(1, 2))
    PickupCode.objects.create(order=order, code="K7M4PQ")

    response = client.get(order_status_path(order_number=order.number))

    assert response.status_code == 200
    html = response.content.decode()
    assert "K7M-4PQ" in html and "<svg" in html
    assert html.count('class="list-group-item"') == 2  # one per shop part


def test_before_the_code_the_page_says_it_will_come_by_email(client):
    order = order_place()
    response = client.get(order_status_path(order_number=order.number))
    assert "vous sera envoyé par e-mail" in response.content.decode()


@pytest.mark.parametrize("tamper", ["token", "number"])
def test_a_tampered_link_is_a_404(client, tamper):
    order = order_place()
    other = order_place()
    path = order_status_path(order_number=order.number)
    if tamper == "token":
        path = path.replace(path.rstrip("/").rsplit("/", 1)[1], "0" * 32)
    else:
        path = path.replace(f"/{order.number}/", f"/{other.number}/")
    assert client.get(path).status_code == 404
