"""The shoppers' shops directory at /commerces/: filters, open-now badges, query count."""
from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shops.models import ShopStatus, Trade
from tests.factories import ClosureFactory, OpeningPeriodFactory, ShopFactory

PARIS = ZoneInfo("Europe/Paris")
# Tuesday 10 March 2026, 10:00 in the town.
TUESDAY_10AM = dt.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS)
TUESDAY = 1
OPEN = "Ouvert maintenant"
CLOSED = "Fermé"

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen_now():
    with mock.patch("django.utils.timezone.now", return_value=TUESDAY_10AM):
        yield TUESDAY_10AM


def open_tuesday_morning(shop):
    OpeningPeriodFactory(shop=shop, weekday=TUESDAY, opens=dt.time(9, 0), closes=dt.time(12, 30))
    OpeningPeriodFactory(shop=shop, weekday=TUESDAY, opens=dt.time(14, 0), closes=dt.time(19, 0))
    return shop


def cards(response) -> dict[str, str]:
    """Each shop card's HTML, by shop name."""
    html = response.content.decode()
    found = {}
    for card in re.findall(r'<article class="halle-shop-card".*?</article>', html, flags=re.S):
        name = re.search(r'<a href="[^"]+">([^<]+)</a>', card).group(1)
        found[html_lib.unescape(name)] = card
    return found


def get(client, **params):
    return client.get(reverse("shops:list"), params)


def test_the_directory_is_at_commerces():
    assert reverse("shops:list") == "/commerces/"


def test_every_active_shop_is_listed_with_trade_address_and_a_link_to_its_page(client, frozen_now):
    bakery = ShopFactory(name="Au Bon Pain", trade=Trade.BOULANGERIE, line1="3 rue Grande")
    cheese = ShopFactory(name="La Cave à Fromages", trade=Trade.FROMAGERIE, line1="8 place du Marché")
    ShopFactory(name="Boutique Suspendue", status=ShopStatus.SUSPENDED)

    response = get(client)

    assert response.status_code == 200
    found = cards(response)
    assert set(found) == {"Au Bon Pain", "La Cave à Fromages"}
    assert "Boulangerie-pâtisserie" in found["Au Bon Pain"]
    assert "3 rue Grande, 45210 Beaumont-sur-Loing" in found["Au Bon Pain"]
    assert f'href="/commerces/{bakery.slug}/"' in found["Au Bon Pain"]
    assert "Fromagerie" in found["La Cave à Fromages"]
    assert f'href="/commerces/{cheese.slug}/"' in found["La Cave à Fromages"]
    assert "2 commerces" in response.content.decode()


def test_open_and_closed_badges_follow_the_opening_hours_at_the_frozen_time(client, frozen_now):
    open_tuesday_morning(ShopFactory(name="Ouverte le mardi"))
    OpeningPeriodFactory(shop=ShopFactory(name="Ouverte le lundi"), weekday=0)
    OpeningPeriodFactory(
        shop=ShopFactory(name="Ouverte mardi après-midi"), weekday=TUESDAY, opens=dt.time(14), closes=dt.time(19)
    )
    ShopFactory(name="Sans horaires")

    found = cards(get(client))

    assert OPEN in found["Ouverte le mardi"] and CLOSED not in found["Ouverte le mardi"]
    for name in ("Ouverte le lundi", "Ouverte mardi après-midi", "Sans horaires"):
        assert CLOSED in found[name] and OPEN not in found[name], name


def test_the_badge_changes_with_the_time(client):
    open_tuesday_morning(ShopFactory(name="Au Bon Pain"))
    lunch = dt.datetime(2026, 3, 10, 13, 0, tzinfo=PARIS)
    with mock.patch("django.utils.timezone.now", return_value=lunch):
        assert CLOSED in cards(get(client))["Au Bon Pain"]
    # 12:29 Paris is 11:29 UTC: the hours are the town's wall-clock hours.
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime(2026, 3, 10, 11, 29, tzinfo=dt.UTC)):
        assert OPEN in cards(get(client))["Au Bon Pain"]


def test_an_exceptional_closure_shows_a_shop_closed_during_its_hours(client, frozen_now):
    shop = open_tuesday_morning(ShopFactory(name="En inventaire"))
    ClosureFactory(shop=shop, starts_at=TUESDAY_10AM - dt.timedelta(hours=1), ends_at=TUESDAY_10AM + dt.timedelta(hours=2))
    past = open_tuesday_morning(ShopFactory(name="Fermée la semaine dernière"))
    ClosureFactory(shop=past, starts_at=TUESDAY_10AM - dt.timedelta(days=8), ends_at=TUESDAY_10AM - dt.timedelta(days=6))
    future = open_tuesday_morning(ShopFactory(name="Fermée demain"))
    ClosureFactory(shop=future, starts_at=TUESDAY_10AM + dt.timedelta(days=1), ends_at=TUESDAY_10AM + dt.timedelta(days=2))

    found = cards(get(client))

    assert CLOSED in found["En inventaire"]
    assert OPEN in found["Fermée la semaine dernière"]
    assert OPEN in found["Fermée demain"]


def test_filter_by_trade(client, frozen_now):
    ShopFactory(name="Au Bon Pain", trade=Trade.BOULANGERIE)
    ShopFactory(name="Pain d'Antan", trade=Trade.BOULANGERIE)
    ShopFactory(name="La Cave à Fromages", trade=Trade.FROMAGERIE)

    response = get(client, metier="boulangerie")

    assert response.status_code == 200
    assert set(cards(response)) == {"Au Bon Pain", "Pain d'Antan"}
    assert "Métier inconnu" not in response.content.decode()
    assert '<option value="boulangerie" selected>' in response.content.decode()


def test_filter_open_now(client, frozen_now):
    open_tuesday_morning(ShopFactory(name="Ouverte"))
    ShopFactory(name="Fermée")
    closed_today = open_tuesday_morning(ShopFactory(name="Fermée exceptionnellement"))
    ClosureFactory(shop=closed_today, starts_at=TUESDAY_10AM - dt.timedelta(hours=3), ends_at=TUESDAY_10AM + dt.timedelta(hours=3))

    response = get(client, ouvert="1")

    assert set(cards(response)) == {"Ouverte"}
    assert "1 commerce ouvert maintenant" in response.content.decode()
    assert set(cards(get(client, ouvert="0"))) == {"Ouverte", "Fermée", "Fermée exceptionnellement"}


def test_both_filters_together(client, frozen_now):
    open_tuesday_morning(ShopFactory(name="Boulangerie ouverte", trade=Trade.BOULANGERIE))
    ShopFactory(name="Boulangerie fermée", trade=Trade.BOULANGERIE)
    open_tuesday_morning(ShopFactory(name="Fromagerie ouverte", trade=Trade.FROMAGERIE))

    assert set(cards(get(client, metier="boulangerie", ouvert="1"))) == {"Boulangerie ouverte"}


def test_no_shop_open_says_so(client, frozen_now):
    ShopFactory(name="Fermée")

    response = get(client, ouvert="1")

    assert cards(response) == {}
    assert "Aucun commerce n’est ouvert en ce moment" in response.content.decode()


@pytest.mark.parametrize("value", ["inconnu", "BOULANGERIE", "<script>alert(1)</script>", "boulangerie'--", "x" * 500])
def test_an_unknown_trade_shows_a_message_and_every_shop(client, frozen_now, value):
    ShopFactory(name="Au Bon Pain", trade=Trade.BOULANGERIE)
    ShopFactory(name="La Cave à Fromages", trade=Trade.FROMAGERIE)

    response = get(client, metier=value)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Métier inconnu" in html
    assert "<script>alert(1)</script>" not in html
    assert set(cards(response)) == {"Au Bon Pain", "La Cave à Fromages"}


def test_an_unknown_trade_still_honours_the_open_now_filter(client, frozen_now):
    open_tuesday_morning(ShopFactory(name="Ouverte"))
    ShopFactory(name="Fermée")

    response = get(client, metier="inconnu", ouvert="1")

    assert "Métier inconnu" in response.content.decode()
    assert set(cards(response)) == {"Ouverte"}


def test_the_filter_form_is_labelled_in_french(client):
    html = get(client).content.decode()
    assert '<label for="id_metier">Métier</label>' in html
    assert "Tous les métiers" in html
    assert '<label class="form-check-label" for="id_ouvert">Ouverts maintenant seulement</label>' in html
    assert '<html lang="fr"' in html


def _directory_queries(client) -> list[str]:
    get(client)  # the first visit fills the caches (the category menu)
    with CaptureQueriesContext(connection) as queries:
        response = get(client)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def _shops_with_hours_and_closures(count):
    for _ in range(count):
        shop = open_tuesday_morning(ShopFactory())
        ClosureFactory(shop=shop, starts_at=TUESDAY_10AM + dt.timedelta(days=2), ends_at=TUESDAY_10AM + dt.timedelta(days=3))


def test_the_directory_costs_the_same_queries_for_3_and_12_shops(client, frozen_now):
    _shops_with_hours_and_closures(3)
    few = _directory_queries(client)
    _shops_with_hours_and_closures(9)
    response = get(client)
    assert len(cards(response)) == 12
    many = _directory_queries(client)

    print(f"\ndirectory SQL queries: 3 shops {len(few)}, 12 shops {len(many)}")
    assert len(few) == len(many)
    # Shops, their opening periods, their closures: three queries whatever the number of
    # shops (the layout's category menu adds its own two).
    assert len([sql for sql in many if '"shops_' in sql]) == 3
    assert len(many) <= 5


def test_the_home_page_links_to_the_directory_and_to_each_shop(client, frozen_now):
    shop = ShopFactory(name="Au Bon Pain")

    html = client.get(reverse("home")).content.decode()

    assert '<a href="/commerces/">Tous les commerces</a>' in html
    assert f'<a href="/commerces/{shop.slug}/">Au Bon Pain</a>' in html


@pytest.mark.parametrize("value", ["peut-être", "2", "<b>1</b>"])
def test_an_unknown_open_now_value_shows_a_message_and_is_not_applied(client, frozen_now, value):
    open_tuesday_morning(ShopFactory(name="Ouverte"))
    ShopFactory(name="Fermée")

    response = get(client, ouvert=value)

    assert response.status_code == 200
    assert "Filtre « ouvert maintenant » inconnu" in response.content.decode()
    assert set(cards(response)) == {"Ouverte", "Fermée"}


@pytest.mark.parametrize(("value", "checked"), [("1", True), ("on", True), ("true", True), ("0", False), ("", False)])
def test_the_open_now_checkbox_reflects_the_query(client, frozen_now, value, checked):
    html = get(client, ouvert=value).content.decode()
    box = re.search(r'<input type="checkbox" name="ouvert"[^>]*>', html).group(0)
    assert ("checked" in box) is checked
    assert 'value="1"' in box


def test_the_badge_uses_the_towns_hours_even_when_another_time_zone_is_active(client, frozen_now):
    from django.utils import timezone

    from shops.selectors import shop_is_open, shops_listed

    open_tuesday_morning(ShopFactory(name="Au Bon Pain"))
    # 10:00 in Paris is 05:00 in New York: a request in that zone must still see the shop open.
    with timezone.override(ZoneInfo("America/New_York")):
        [shop] = list(shops_listed(at=TUESDAY_10AM))
        assert shop_is_open(shop=shop, at=TUESDAY_10AM)
