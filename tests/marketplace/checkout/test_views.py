"""The checkout pages: contact, mode and slot (holds slot and stock) → summary → order; bad input."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from logistics.models import HoldStatus, Slot, SlotHold
from marketplace.basket.models import Basket
from marketplace.order.models import FulfilmentMode, Order, ShopOrderStatus
from marketplace.partner.models import StockHold, StockHoldStatus, StockRecord
from shops.models import ShopStatus
from tests.factories import UserFactory
from tests.marketplace.checkout.conftest import CARD, collect_data, contact, fill_basket, hold

pytestmark = pytest.mark.django_db


def state():
    """Every counter a checkout may change."""
    return {
        "allocated": dict(StockRecord.objects.values_list("pk", "num_allocated")),
        "slots": {s.pk: (s.held, s.booked) for s in Slot.objects.all()},
        "stock_holds": StockHold.objects.filter(status=StockHoldStatus.HELD).count(),
        "orders": Order.objects.count(),
    }


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_guest_collects_everything_at_the_town_point(client, town, mailoutbox):
    offers = town.offers
    basket = fill_basket(client, [(offers[0], 2), (offers[1], 1), (offers[2], 3)])

    page = client.get("/checkout/")
    assert page.status_code == 200
    slot = town.slot(town.point, 1)
    html = page.content.decode()
    assert f'value="{slot.pk}"' in html and 'name="email"' in html  # the town point's slots, shown at once

    response = hold(client, point=town.point, slots={"slot": slot.pk})
    assert response.status_code == 302 and response["Location"] == "/checkout/recapitulatif/"
    slot.refresh_from_db()
    assert (slot.held, slot.booked) == (1, 0)
    assert StockRecord.objects.get(pk=offers[2].pk).num_allocated == 3  # held already

    preview = client.get("/checkout/recapitulatif/")
    assert preview.status_code == 200
    assert "Commander" in preview.content.decode()
    response = client.post("/checkout/recapitulatif/", CARD)
    assert response.status_code == 302 and response["Location"] == "/checkout/merci/"

    order = Order.objects.get()
    assert order.fulfilment_mode == FulfilmentMode.AT_POINT and order.collection_point == town.point
    assert order.guest_email == "camille@example.test" and order.contact_phone == "06 12 34 56 78"
    assert order.status == "Carte autorisée" and order.payment.status == "authorised"
    parts = list(order.shop_orders.order_by("shop__name"))
    assert [p.shop for p in parts] == town.shops
    assert {p.slot_id for p in parts} == {slot.pk} and len({p.slot_hold_id for p in parts}) == 1
    assert all(p.status == ShopOrderStatus.NEW for p in parts)
    assert [[line.quantity for line in p.lines.all()] for p in parts] == [[2], [1], [3]]
    slot.refresh_from_db()
    assert (slot.held, slot.booked) == (0, 1)
    assert [StockRecord.objects.get(pk=o.pk).num_allocated for o in offers] == [2, 1, 3]
    assert set(StockHold.objects.values_list("status", flat=True)) == {StockHoldStatus.CONVERTED}
    assert Basket.objects.get(pk=basket.pk).status == Basket.SUBMITTED
    assert mailoutbox == []  # no e-mail from the request: the outbox sends it after commit

    thanks = client.get("/checkout/merci/").content.decode()
    assert order.number in thanks and "Commande confirmée." in thanks


def test_logged_in_shopper_collects_at_each_shop_in_its_own_slot(client, town):
    user = UserFactory(username="camille", email="camille@example.test")
    client.force_login(user)
    fill_basket(client, [(town.offers[0], 1), (town.offers[1], 2)])

    page = client.get("/checkout/")
    assert 'name="email"' not in page.content.decode()
    shown = contact(client, mode="shops", email="")
    assert shown.status_code == 200
    slots_page = shown.content.decode()
    shop_a, shop_b = town.shops[:2]
    choice = {
        f"slot-{shop_a.pk}": town.slot(town.counters[shop_a.pk], 0).pk,
        f"slot-{shop_b.pk}": town.slot(town.counters[shop_b.pk], 2).pk,
    }
    assert all(f'value="{v}"' in slots_page for v in choice.values())
    assert hold(client, mode="shops", slots=choice, email="").status_code == 302
    assert client.post("/checkout/recapitulatif/", CARD).status_code == 302

    order = Order.objects.get()
    assert order.user == user and order.guest_email == ""
    assert order.fulfilment_mode == FulfilmentMode.AT_SHOPS and order.collection_point is None
    part_a, part_b = order.shop_orders.get(shop=shop_a), order.shop_orders.get(shop=shop_b)
    assert part_a.collection_point == town.counters[shop_a.pk] and part_a.slot_id == choice[f"slot-{shop_a.pk}"]
    assert part_b.slot_id == choice[f"slot-{shop_b.pk}"]
    assert part_a.slot_hold_id != part_b.slot_hold_id
    assert {h.status for h in SlotHold.objects.all()} == {HoldStatus.CONVERTED}


def test_a_locker_hold_takes_a_compartment(client, town):
    fill_basket(client, [(town.offers[0], 1)])
    hold(client, point=town.lockers, slots={"slot": town.slot(town.lockers).pk})
    held = SlotHold.objects.get()
    assert held.compartment is not None and held.compartment.point == town.lockers


def test_choosing_again_replaces_the_holds(client, town):
    fill_basket(client, [(town.offers[0], 2)])
    first, second = town.slot(town.point, 0), town.slot(town.point, 1)
    hold(client, point=town.point, slots={"slot": first.pk})
    hold(client, point=town.point, slots={"slot": second.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.held, second.held) == (0, 1)
    assert StockRecord.objects.get(pk=town.offers[0].pk).num_allocated == 2
    assert StockHold.objects.filter(status=StockHoldStatus.HELD).count() == 1


# --- bad input: a precise French message, nothing changed ---------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "pas-une-adresse", "mode": "point"}, "Cette adresse e-mail n'est pas valable."),
        ({"email": "", "mode": "shops"}, "Indiquez votre adresse e-mail."),
        ({"email": "a@example.test", "mode": "livraison"}, "Choisissez comment retirer votre commande."),
        ({"email": "a@example.test", "mode": "point"}, "Choisissez le point de retrait ou la consigne."),
        ({"email": "a@example.test", "mode": "point", "point": "counter"}, "Choisissez un des points de retrait proposés."),
        ({"email": "a@example.test", "mode": "shops", "phone": "12"}, "pas un numéro français valable"),
    ],
)
def test_bad_contact_input_is_explained(client, town, data, message):
    fill_basket(client, [(town.offers[0], 1)])
    if data.get("point") == "counter":
        data["point"] = town.counters[town.shops[0].pk].pk
    before = state()
    data = {**data, "action": "hold", "slot": town.slot(town.point).pk,
            "shown": f"{data['mode']}:{data.get('point', '')}"}
    response = client.post("/checkout/", data)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert state() == before


def test_changing_the_mode_shows_its_slots_without_holding_anything(client, town):
    fill_basket(client, [(town.offers[0], 1)])
    before = state()
    data = collect_data(mode="point", point=town.lockers, slots={"slot": town.slot(town.point).pk})
    data["shown"] = f"point:{town.point.pk}"  # the page showed the town point's slots
    response = client.post("/checkout/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{town.slot(town.lockers).pk}"' in html and f'value="{town.slot(town.point).pk}"' not in html
    assert "Choisissez un créneau pour ce mode de retrait." in " ".join(messages_of(response))
    assert state() == before


def _ready_for_slot(client, town, items, mode="point", point=None):
    fill_basket(client, items)


def _choose(client, town, slots, mode="point", point=None):
    point = point if point is not None else (town.point if mode == "point" else None)
    return hold(client, mode=mode, point=point, slots=slots)


@pytest.mark.parametrize(
    ("slot", "message"),
    [
        ("other_point", "Ce créneau n'appartient pas à « Point retrait de la Halle »"),
        ("past", "Ce créneau est déjà passé"),
        ("unknown", "Ce créneau n'existe pas"),
        ("text", "Choisissez un créneau dans la liste."),
        ("missing", "Choisissez un créneau dans la liste."),
        ("too_soon", "ne laisse pas le temps de préparer"),
    ],
)
def test_bad_slot_choices_are_refused_and_hold_nothing(client, town, slot, message):
    _ready_for_slot(client, town, [(town.offers[0], 1)])
    tz = timezone.get_default_timezone()
    now = timezone.now()
    values = {
        "other_point": lambda: town.slot(town.lockers).pk,
        "past": lambda: Slot.objects.create(point=town.point, capacity=5, starts_at=now - dt.timedelta(hours=2),
                                            ends_at=now - dt.timedelta(hours=1)).pk,
        "unknown": lambda: 999999,
        "text": lambda: "1 OR 1=1",
        "missing": lambda: None,
        "too_soon": lambda: Slot.objects.create(point=town.point, capacity=5,
                                                starts_at=(now + dt.timedelta(minutes=20)).astimezone(tz),
                                                ends_at=now + dt.timedelta(minutes=80)).pk,
    }
    value = values[slot]()
    before = state()

    response = _choose(client, town, {"slot": value})

    assert response.status_code == 200
    assert message in " ".join(messages_of(response))
    assert state() == before


def test_a_shop_slot_tampered_to_another_shops_counter_is_refused(client, town):
    shop_a, shop_b = town.shops[:2]
    _ready_for_slot(client, town, [(town.offers[0], 1), (town.offers[1], 1)], mode="shops")
    before = state()
    response = _choose(client, town, {
        f"slot-{shop_a.pk}": town.slot(town.counters[shop_b.pk]).pk,
        f"slot-{shop_b.pk}": town.slot(town.counters[shop_b.pk]).pk,
    }, mode="shops")
    assert response.status_code == 200
    assert f"« {shop_a.name} » : ce créneau n'appartient pas" in " ".join(messages_of(response))
    assert state() == before


def test_quantity_beyond_stock_is_refused_with_what_is_left(client, town):
    offer = town.offers[0]
    StockRecord.objects.filter(pk=offer.pk).update(num_in_stock=3, num_allocated=1)
    _ready_for_slot(client, town, [(town.offers[1], 1)])
    basket = Basket.objects.get()
    basket.lines.create(product=offer.product, stockrecord=offer, quantity=5, price_currency="EUR",
                        price_excl_tax=offer.price, price_incl_tax=offer.price, line_reference=f"x-{offer.pk}")
    before = state()

    response = _choose(client, town, {"slot": town.slot(town.point).pk})

    assert response.status_code == 302 and response["Location"] == "/basket/"
    follow = client.get("/basket/")
    assert "Il ne reste que 2 × «" in " ".join(messages_of(follow))
    assert state() == before


def test_a_suspended_shop_is_named(client, town):
    _ready_for_slot(client, town, [(town.offers[0], 1)])
    town.shops[0].status = ShopStatus.SUSPENDED
    town.shops[0].save()
    before = state()
    response = _choose(client, town, {"slot": town.slot(town.point).pk})
    response = client.get(response["Location"])
    assert f"« {town.shops[0].name} » ne prend pas de commandes en ce moment" in " ".join(messages_of(response))
    assert state() == before


def test_an_empty_basket_goes_back_to_the_basket(client, town):
    for url in ("/checkout/", "/checkout/recapitulatif/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/basket/"
    assert client.post("/checkout/recapitulatif/", CARD).status_code == 302
    assert Order.objects.count() == 0


def test_an_expired_hold_cannot_be_ordered(client, town):
    _ready_for_slot(client, town, [(town.offers[0], 1)])
    _choose(client, town, {"slot": town.slot(town.point).pk})
    past = timezone.now() - dt.timedelta(seconds=1)
    SlotHold.objects.update(expires_at=past)
    StockHold.objects.update(expires_at=past)
    before = state()

    response = client.post("/checkout/recapitulatif/", CARD, follow=True)

    assert "Le créneau retenu a expiré : choisissez-en un autre." in " ".join(messages_of(response))
    assert response.redirect_chain[-1][0] == "/checkout/"
    assert state() == before


def test_a_basket_changed_after_the_hold_must_choose_again(client, town):
    _ready_for_slot(client, town, [(town.offers[0], 1)])
    _choose(client, town, {"slot": town.slot(town.point).pk})
    fill_basket(client, [(town.offers[1], 1)])
    before = state()
    response = client.post("/checkout/recapitulatif/", CARD, follow=True)
    assert "Votre panier a changé depuis le choix du créneau" in " ".join(messages_of(response))
    assert state() == before


def test_daily_order_cap_is_respected(client, town):
    shop = town.shops[0]
    shop.daily_order_cap = 1
    shop.save()
    from tests.factories.orders import order_placed

    order_placed(items=[(town.offers[0], 1)], mode=FulfilmentMode.AT_POINT, point=town.point,
                 slot=town.slot(town.point, 2))
    _ready_for_slot(client, town, [(town.offers[0], 1)])
    page = client.get("/checkout/").content.decode()
    assert f'value="{town.slot(town.point, 0).pk}"' not in page  # tomorrow is full for this shop
    before = state()
    response = _choose(client, town, {"slot": town.slot(town.point, 0).pk})
    assert f"« {shop.name} » ne prend plus de commandes pour le" in " ".join(messages_of(response))
    assert state() == before


def test_the_confirmation_page_shows_only_the_shoppers_own_order(client, town):
    _ready_for_slot(client, town, [(town.offers[0], 1)])
    _choose(client, town, {"slot": town.slot(town.point).pk})
    client.post("/checkout/recapitulatif/", CARD)
    other = client.__class__()
    assert other.get("/checkout/merci/").status_code == 302


@override_settings(HALLE_HOLD_MINUTES=5)
def test_holds_last_the_configured_time(client, town):
    _ready_for_slot(client, town, [(town.offers[0], 1)])
    _choose(client, town, {"slot": town.slot(town.point).pk})
    hold = StockHold.objects.get()
    assert dt.timedelta(minutes=4) < hold.expires_at - timezone.now() <= dt.timedelta(minutes=5)
    assert SlotHold.objects.get().expires_at == hold.expires_at
