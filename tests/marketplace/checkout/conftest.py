import pytest

from marketplace.basket.models import Basket
from tests.factories.town import town_built


#: The test card the summary page preselects (the local Stripe server authorises it).
CARD = {"payment_method": "pm_card_visa"}


@pytest.fixture
def town(db, stripe_local):
    return town_built()


def fill_basket(client, items) -> Basket:
    """Add (offer, quantity) pairs through the add-to-basket form; returns the shopper's basket."""
    for offer, quantity in items:
        response = client.post(f"/basket/add/{offer.product_id}/", {"quantity": quantity, "stockrecord": offer.pk})
        assert response.status_code == 302, response
    if "oscar_open_basket" in client.cookies:
        return Basket.objects.get(pk=client.cookies["oscar_open_basket"].value.split(":")[0])
    return Basket.objects.filter(status=Basket.OPEN).exclude(owner=None).latest("pk")


def collect_data(*, mode="point", point=None, email="camille@example.test", phone="06 12 34 56 78", slots=None):
    """The first checkout page's POST: contact, mode, point, the slot(s), and which slots were shown."""
    data = {"email": email, "phone": phone, "mode": mode, "action": "hold",
            "shown": f"{mode}:{point.pk if point is not None else ''}"}
    if point is not None:
        data["point"] = point.pk
    data.update({k: v for k, v in (slots or {}).items() if v is not None})
    return data


def contact(client, *, mode="point", point=None, email="camille@example.test", phone="06 12 34 56 78"):
    """Fill in the contact and mode and show their slots (no slot chosen yet)."""
    data = collect_data(mode=mode, point=point, email=email, phone=phone)
    data["action"] = "refresh"
    return client.post("/checkout/", data)


def hold(client, *, mode="point", point=None, slots=None, **contact_fields):
    """Choose the slot(s): holds them and the basket's stock."""
    return client.post("/checkout/", collect_data(mode=mode, point=point, slots=slots, **contact_fields))
