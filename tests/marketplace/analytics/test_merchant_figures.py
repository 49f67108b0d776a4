"""The merchant's figures: its own shop's, whatever the parameters; constant cost."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.analytics.models import DailyShopFact, ProductDayFact
from tests.factories.accounts import UserFactory
from tests.marketplace.analytics.conftest import plan_of

pytestmark = pytest.mark.django_db

URL = "/espace-commercant/chiffres/"
WEEK = {"periode": "semaine", "date": "2026-03-04"}


@pytest.fixture
def merchant_of(client):
    def login(shop):
        user = UserFactory()
        shop.partner.users.add(user)
        client.force_login(user)
        return client

    return login


def _content(response) -> str:
    """The page's own content (the layout around it carries a fresh CSRF token each time)."""
    return response.content.decode().split('id="content_inner">')[1].split("</main>")[0]


def _net(shop) -> int:
    rows = DailyShopFact.objects.filter(shop=shop, day__gte="2026-03-02", day__lte="2026-03-08")
    return sum(r.captured_cents - r.refunded_cents for r in rows)


def test_the_merchant_sees_its_own_sales_orders_and_products(merchant_of, history):
    world = history(plan_of(14))
    mine = world.shops[0]
    client = merchant_of(mine)

    response = client.get(URL, WEEK)

    assert response.status_code == 200
    page = response.content.decode()
    orders = sum(r.orders for r in DailyShopFact.objects.filter(shop=mine, day__gte="2026-03-02", day__lte="2026-03-08"))
    assert f'<tr data-figure="orders"><th scope="row">Commandes</th><td class="text-right">{orders}</td>' in page
    euros, cents = divmod(_net(mine), 100)
    assert f"{euros},{cents:02d}\u202f€" in page
    top = ProductDayFact.objects.filter(shop=mine, day__lte="2026-03-08").order_by("-ordered_cents").first()
    assert top.title in page
    assert "Commandes passées avec d’autres commerces" in page


@pytest.mark.parametrize("param", ["shop", "commerce", "shop_id", "backoffice_shop_id"])
def test_another_shops_id_in_the_query_changes_nothing(merchant_of, history, param):
    world = history(plan_of(14))
    mine, theirs = world.shops[0], world.shops[1]
    client = merchant_of(mine)
    own = _content(client.get(URL, WEEK))

    response = client.get(URL, {**WEEK, param: theirs.pk})

    assert _content(response) == own
    their_products = set(ProductDayFact.objects.filter(shop=theirs).values_list("title", flat=True)) - set(
        ProductDayFact.objects.filter(shop=mine).values_list("title", flat=True))
    assert their_products and not any(title in response.content.decode() for title in their_products)


def test_a_shop_in_the_session_the_merchant_is_not_staff_of_is_ignored(merchant_of, history, client):
    world = history(plan_of(14))
    mine, theirs = world.shops[0], world.shops[1]
    merchant_of(mine)
    session = client.session
    session["backoffice_shop_id"] = theirs.pk
    session.save()

    page = client.get(URL, WEEK).content.decode()

    assert mine.name in page and theirs.name not in page


def test_people_who_are_not_staff_of_a_shop_are_refused(client):
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_a_bad_period_gets_a_french_message(merchant_of, history):
    world = history(plan_of(3))
    client = merchant_of(world.shops[0])
    page = client.get(URL, {"periode": "personnalisee", "du": "2026-03-09", "au": "2026-03-01"}).content.decode()
    assert "Le premier jour doit précéder le dernier." in page


def test_the_page_costs_the_same_queries_at_10_and_at_100_orders(merchant_of, history):
    from marketplace.analytics.services.rollups import rollups_rebuild

    world = history(plan_of(10))
    client = merchant_of(world.shops[0])

    def count():
        client.get(URL, WEEK)
        with CaptureQueriesContext(connection) as ctx:
            client.get(URL, WEEK)
        return len(ctx.captured_queries)

    small = count()
    history(plan_of(100), shops=world.shops)
    rollups_rebuild()
    assert count() == small
