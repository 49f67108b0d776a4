"""The shopper's side: the discount per shop in the basket, the notice when a budget runs
short, and SQL per page constant in the number of campaigns and voucher codes."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.promotions.models import CampaignBudget, WhenShort
from marketplace.promotions.services.vouchers import voucher_batch_generate
from tests.factories.promotions import campaign_made
from tests.factories.town import town_built
from tests.marketplace.checkout.conftest import CARD, collect_data, fill_basket

pytestmark = pytest.mark.django_db


def count(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data or {}) if method == "POST" else client.get(url)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(ctx.captured_queries)


def walk(client, town) -> dict:
    fill_basket(client, [(offer, 2) for offer in town.offers])
    count(client, "GET", "/basket/")  # the session's first writes out of the way
    counts = {"basket": count(client, "GET", "/basket/")}
    counts["collect"] = count(client, "GET", "/checkout/")
    counts["hold"] = count(client, "POST", "/checkout/", collect_data(point=town.point,
                                                                       slots={"slot": town.slot(town.point).pk}))
    counts["preview"] = count(client, "GET", "/checkout/recapitulatif/")
    counts["place_order"] = count(client, "POST", "/checkout/recapitulatif/", CARD)
    return counts


def test_the_basket_shows_the_discount_of_each_shop(client, stripe_local):
    town = town_built(shops=3, price=Decimal("10.00"))
    campaign_made(shops=town.shops[:2], value="10", benefit="percentage", budget="100.00")
    fill_basket(client, [(offer, 2) for offer in town.offers])
    page = client.get("/basket/").content.decode()
    for shop in town.shops[:2]:
        assert f'data-shop-name="{shop.name}">dont 2,00\xa0€ de remise</span>' in page
    assert f'data-shop-name="{town.shops[2].name}">dont' not in page  # did not opt in


def test_the_shopper_is_told_before_paying_that_the_budget_only_allows_part_of_the_discount(client, stripe_local):
    town = town_built(shops=1, price=Decimal("30.00"))
    campaign = campaign_made(shops=town.shops, value="5.00", budget="10.00")
    CampaignBudget.objects.filter(campaign=campaign).update(spent_cents=800)
    fill_basket(client, [(town.offers[0], 1)])
    page = client.get("/basket/").content.decode()
    assert "votre remise est de 2,00 € au lieu de 5,00 €" in page
    campaign.when_short = WhenShort.NONE
    campaign.save()
    page = client.get("/basket/").content.decode()
    assert "cette promotion ne s'applique plus à votre panier" in page


def test_basket_and_checkout_sql_is_the_same_for_two_or_twenty_campaigns_and_few_or_many_codes(client, stripe_local):
    """The town's campaigns and codes do not cost the basket's pages a query each; what grows is
    Oscar's order writing, one discount row per discount the basket actually gets."""
    town = town_built(shops=3, stock=100, capacity=50, price=Decimal("20.00"))
    basket_shops, elsewhere = town.shops[:2], town.shops[2:]
    first = campaign_made(shops=basket_shops, name="Campagne 1", value="1.00", budget="100.00")
    campaign_made(shops=elsewhere, name="Ailleurs 1", value="2.00", budget="100.00")
    coded = campaign_made(shops=basket_shops, name="Codes", value="1.00", budget=None, code="CODE-A")
    voucher_batch_generate(campaign=coded, name="Lot", count=2)
    town.offers = town.offers[:2]
    walk(client, town)  # the first order's one-off reads (plans, accounts) out of the way
    client.cookies.clear()
    few = walk(client, town)
    client.cookies.clear()
    for n in range(2, 20):
        campaign_made(shops=elsewhere, name=f"Ailleurs {n}", value="2.00", budget="100.00", minimum=str(n))
    voucher_batch_generate(campaign=coded, name="Gros lot", count=40)
    many = walk(client, town)
    assert many == few, (few, many)
    assert CampaignBudget.objects.get(campaign=first).spent_cents > 0
    print(f"\npromotions SQL per page (2 campaigns / 20 campaigns, 3 / 43 codes): {few} / {many}")
