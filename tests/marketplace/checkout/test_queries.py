"""SQL queries per checkout page do not grow with the basket (lines, shops)."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shops.models import Shop
from tests.factories.town import town_built
from tests.marketplace.checkout.conftest import CARD, collect_data, fill_basket

pytestmark = pytest.mark.django_db


def queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data or {}) if method == "POST" else client.get(url)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(ctx.captured_queries)


def walk(client, town, offers) -> dict:
    fill_basket(client, [(offer, 1) for offer in offers])
    counts = {"collect": queries(client, "GET", "/checkout/")}
    counts["hold"] = queries(client, "POST", "/checkout/",
                             collect_data(point=town.point, slots={"slot": town.slot(town.point).pk}))
    counts["preview"] = queries(client, "GET", "/checkout/recapitulatif/")
    counts["place_order"] = queries(client, "POST", "/checkout/recapitulatif/", CARD)
    counts["thank_you"] = queries(client, "GET", "/checkout/merci/")
    return counts


#: Queries for one line from one shop, at most (collected at the town point, paid by card).
#: Placing the order includes the merchant's new-order outbox row (one INSERT per shop),
#: for shops without their own address, one read of their staff's addresses, and one read of
#: the commission plan changes due but not yet applied by beat (a change « from a date »
#: counts from that very moment). The confirmation reads its lines' discounts (with their
#: offer or voucher, one query) to show them. Holding a slot also releases the delivery window
#: the basket may hold (one locking read).
CEILINGS = {"collect": 10, "hold": 21, "preview": 5, "place_order": 58, "thank_you": 6}


def test_checkout_pages_cost_the_same_for_a_small_and_a_big_basket(client, stripe_local):
    town = town_built(shops=6, stock=50)
    small = walk(client, town, town.offers[:1])
    client.cookies.clear()
    big = walk(client, town, town.offers)
    # Pages that read the basket or the holds: constant. Writes grow with lines and shops
    # (one row each), reads do not.
    for page in ("collect", "preview", "thank_you"):
        assert big[page] == small[page], (page, small, big)
    for page, ceiling in CEILINGS.items():
        assert small[page] <= ceiling, (page, small)
    print(f"\ncheckout SQL per page (1 line / 6 lines from 6 shops): {small} / {big}")


def test_the_collect_page_reads_every_shops_daily_cap_in_one_query(client, stripe_local):
    town = town_built(shops=6, stock=50)
    fill_basket(client, [(offer, 1) for offer in town.offers])
    queries(client, "GET", "/checkout/")  # the session's first write out of the way
    uncapped = queries(client, "GET", "/checkout/")
    Shop.objects.filter(pk__in=[shop.pk for shop in town.shops]).update(daily_order_cap=5)
    capped = queries(client, "GET", "/checkout/")
    assert capped <= uncapped + 1, (uncapped, capped)
