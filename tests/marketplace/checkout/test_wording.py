"""What the shopper reads during checkout: the place after « à » in French, slot times as
« 10h00 » like every e-mail and order page (never « 10:00 »)."""
from __future__ import annotations

import html
import re

import pytest

from marketplace.checkout.selectors import slot_days
from tests.marketplace.checkout.conftest import CARD, fill_basket, hold

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page's text, tags removed."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def test_the_summary_names_the_town_point_in_french_and_writes_times_10h00(client, town):
    fill_basket(client, [(town.offers[0], 1)])
    hold(client, point=town.point, slots={"slot": town.slot(town.point, 0).pk})

    page = _text(client.get("/checkout/recapitulatif/"))

    assert "Tout votre panier au point retrait de la Halle" in page and "à Point retrait" not in page
    assert "10h00–11h00" in page
    assert re.search(r"réservés jusqu'à \d\dh\d\d", page)
    assert not re.search(r"\b\d\d:\d\d\b", page)


def test_the_slot_picker_and_the_thank_you_page_write_times_10h00(client, town):
    fill_basket(client, [(town.offers[0], 1)])
    picker = _text(client.get("/checkout/"))
    assert "10h00–11h00" in picker and "10:00" not in picker

    hold(client, point=town.point, slots={"slot": town.slot(town.point, 0).pk})
    client.post("/checkout/recapitulatif/", CARD)
    thanks = _text(client.get("/checkout/merci/"))
    assert "10h00–11h00" in thanks and "10:00" not in thanks


def test_slot_labels_are_french_times(town):
    [day, *_] = slot_days(list(town.slots[town.point.pk]))
    assert [choice.label for choice in day.slots] == ["10h00–11h00", "11h00–12h00", "12h00–13h00"]
