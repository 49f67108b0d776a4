import pytest

from marketplace.basket.models import Basket
from tests.factories.town import town_built


@pytest.fixture
def town(db):
    return town_built()


def fill_basket(client, items) -> Basket:
    """Add (offer, quantity) pairs through the add-to-basket form; returns the shopper's basket."""
    for offer, quantity in items:
        response = client.post(f"/basket/add/{offer.product_id}/", {"quantity": quantity, "stockrecord": offer.pk})
        assert response.status_code == 302, response
    if "oscar_open_basket" in client.cookies:
        return Basket.objects.get(pk=client.cookies["oscar_open_basket"].value.split(":")[0])
    return Basket.objects.filter(status=Basket.OPEN).exclude(owner=None).latest("pk")


def contact(client, *, mode="point", point=None, email="camille@example.test", phone="06 12 34 56 78"):
    data = {"email": email, "phone": phone, "mode": mode}
    if point is not None:
        data["point"] = point.pk
    return client.post("/checkout/", data)
