"""The delivery step's pages: address → answer, fee, windows → held → summary → paid order; bad input;
the autocomplete's JSON; queries constant in the number of shops and windows."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from logistics.delivery.models import DeliveryBooking, DeliveryWindow
from logistics.models import HoldStatus
from marketplace.order.models import FulfilmentMode, Order
from marketplace.partner.models import StockRecord
from tests.factories.delivery import HOME, DeliveryWindowFactory, delivery_ready, window_with_capacity
from tests.factories.town import town_built
from tests.marketplace.checkout.conftest import CARD, fill_basket

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db, stripe_local):
    return town_built(shops=3, stock=10, price=Decimal("10.00"))


def delivery_data(window=None, action="check", **changes):
    data = {"email": "camille@example.test", "phone": "06 12 34 56 78", **HOME, "action": action, **changes}
    if window is not None:
        data["window"] = window.pk
    return data


def state(window):
    window.refresh_from_db()
    return (dict(StockRecord.objects.values_list("pk", "num_allocated")), window.held, window.booked,
            DeliveryBooking.objects.count(), Order.objects.count())


def test_guest_gets_delivered_from_three_shops(client, town, mailoutbox, django_capture_on_commit_callbacks):
    _zone, window = delivery_ready(town)
    fill_basket(client, [(offer, 1) for offer in town.offers])
    collect = client.get("/checkout/")
    assert "Livraison à domicile" in collect.content.decode()
    chosen = client.post("/checkout/", {"email": "camille@example.test", "mode": FulfilmentMode.DELIVERY,
                                        "action": "refresh", "shown": ""})
    assert chosen.status_code == 302 and chosen["Location"] == "/checkout/livraison/"

    page = client.post("/checkout/livraison/", delivery_data())
    html = page.content.decode()
    assert page.status_code == 200 and "Votre adresse est livrée" in html
    assert "4,90" in html and "Plus que 30,00" in html and f'value="{window.pk}"' in html

    held = client.post("/checkout/livraison/", delivery_data(window, action="hold"))
    assert held.status_code == 302 and held["Location"] == "/checkout/recapitulatif/"
    assert state(window)[1:] == (3, 0, 1, 0)

    preview = client.get("/checkout/recapitulatif/").content.decode()
    assert "12 Rue de la Halle" in preview and "Sonner deux fois" in preview and "34,90" in preview
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/checkout/recapitulatif/", CARD)
    assert done.status_code == 302 and done["Location"] == "/checkout/merci/"
    order = Order.objects.get()
    assert order.fulfilment_mode == FulfilmentMode.DELIVERY and order.total_incl_tax == Decimal("34.90")
    assert order.payment.amount_authorised_cents == 3490
    thanks = client.get("/checkout/merci/").content.decode()
    assert "Livraison à domicile" in thanks and "Bât. B, 2e étage, code 1234A" in thanks
    placed = next(m for m in mailoutbox if m.to == ["camille@example.test"])
    assert "Livraison à domicile" in placed.body and "12 Rue de la Halle" in placed.body
    assert "total avec la livraison : 34,90" in placed.body


@pytest.mark.parametrize(("changes", "message"), [
    ({"street": "4 Rue des Lilas"}, "Nous ne trouvons pas « Rue des Lilas »"),
    ({"town": "Nemours"}, "ne correspond pas à « Nemours »"),
    ({"postcode": "452"}, "Le code postal a 5 chiffres"),
    ({"phone": ""}, "le coursier doit pouvoir vous joindre"),
    ({"chosen": "abc"}, "Choisissez une fenêtre de livraison dans la liste."),
    ({"chosen": "999999"}, "Cette fenêtre de livraison n&#x27;existe pas"),
])
def test_bad_addresses_get_a_precise_french_message_and_change_nothing(client, town, changes, message):
    _zone, window = delivery_ready(town)
    fill_basket(client, [(offer, 1) for offer in town.offers])
    before = state(window)
    data = delivery_data(window, action="hold", **changes)
    if "chosen" in data:  # a window id the page never offered
        data["window"] = data.pop("chosen")
    response = client.post("/checkout/livraison/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state(window) == before


def test_a_window_filled_meanwhile_is_refused_and_nothing_is_held(client, town):
    _zone, window = delivery_ready(town, parcels=3)
    fill_basket(client, [(offer, 1) for offer in town.offers])
    client.post("/checkout/livraison/", delivery_data())
    DeliveryWindow.objects.filter(pk=window.pk).update(booked=1)
    before = state(window)
    response = client.post("/checkout/livraison/", delivery_data(window, action="hold"))
    assert response.status_code == 400 and "est complète" in response.content.decode()
    assert state(window) == before


def test_the_summary_without_a_held_window_sends_back_to_the_delivery_step(client, town):
    _zone, window = delivery_ready(town)
    fill_basket(client, [(offer, 1) for offer in town.offers])
    client.post("/checkout/livraison/", delivery_data(window, action="hold"))
    DeliveryBooking.objects.update(expires_at=window.starts_at - dt.timedelta(days=2))
    response = client.get("/checkout/recapitulatif/")
    assert response.status_code == 302 and response["Location"] == "/checkout/livraison/"


def test_the_autocomplete_answers_json_from_the_local_address_base(client, town):
    delivery_ready(town)
    data = client.get("/checkout/livraison/adresses/", {"q": "12 rue de la hal"}).json()
    assert data["results"][0] == {"label": "12 Rue de la Halle, 45210 Beaumont-sur-Loing",
                                  "street": "12 Rue de la Halle", "postcode": "45210", "town": "Beaumont-sur-Loing"}
    assert client.get("/checkout/livraison/adresses/", {"q": "zz"}).json() == {"results": []}


def count(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data or {}) if method == "POST" else client.get(url)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(ctx.captured_queries)


def walk(client, town, offers, window) -> dict:
    fill_basket(client, [(offer, 1) for offer in offers])
    client.get("/checkout/livraison/")  # the session's first write out of the way
    counts = {"check": count(client, "POST", "/checkout/livraison/", delivery_data())}
    counts["hold"] = count(client, "POST", "/checkout/livraison/", delivery_data(window, action="hold"))
    counts["shown_again"] = count(client, "GET", "/checkout/livraison/")
    counts["preview"] = count(client, "GET", "/checkout/recapitulatif/")
    return counts


def test_delivery_steps_cost_the_same_queries_for_one_shop_and_one_window_or_six_shops_and_many_windows(
        client, stripe_local):
    town = town_built(shops=6, stock=50, price=Decimal("20.00"))
    zone, window = delivery_ready(town, parcels=50)
    small = walk(client, town, town.offers[:1], window)
    client.cookies.clear()
    for day in range(2, 7):  # 15 more windows on the following days
        for hour in (10, 14, 17):
            start = window.starts_at + dt.timedelta(days=day - 1, hours=hour - 14)
            window_with_capacity(zone=zone, parcels=10, template=window.template, starts_at=start)
    DeliveryWindowFactory(template=window.template, starts_at=window.starts_at + dt.timedelta(days=8))
    big = walk(client, town, town.offers, window)
    for step in ("check", "shown_again", "preview"):
        assert big[step] == small[step], (step, small, big)
    # Holding takes each offer's units with its own conditional UPDATE (shops.stock: the check is the
    # write): one query more per extra offer, none per shop or window.
    assert big["hold"] == small["hold"] + len(town.offers) - 1, (small, big)
    print(f"\ndelivery checkout SQL per step (1 shop, 1 window / 6 shops, 16 windows): {small} / {big}")
    assert DeliveryBooking.objects.filter(status=HoldStatus.HELD).count() == 2
