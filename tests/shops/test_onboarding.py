"""A shop's onboarding checklist: computed from what the shop has, shown to the merchant
and to the manager, one query for any number of shops."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shops.onboarding import shop_onboarding_get, shops_onboarding_listed
from shops.staff.services import invitation_create
from tests.factories import OpeningPeriodFactory, ShopFactory, StockRecordFactory
from tests.factories.backoffice import merchant, photo_of
from tests.factories.payments import ShopPaymentAccountFactory
from tests.factories.pickup import order_with_parts, part_advance

pytestmark = pytest.mark.django_db


def done(shop) -> list[str]:
    return [step.key for step in shop_onboarding_get(shop=shop).steps if step.done]


def test_a_new_shop_has_done_nothing():
    shop = ShopFactory(description="", phone="", email="")
    checklist = shop_onboarding_get(shop=shop)
    assert checklist.done_count == 0 and checklist.first_missing.key == "profile" and not checklist.is_complete


def test_each_step_is_ticked_by_what_the_shop_does():
    owner, shop = merchant(role="owner")
    shop.description, shop.phone = "Pain au levain", "0238000000"
    shop.save()
    assert "profile" not in done(shop)  # no photo yet
    photo_of(shop)
    assert done(shop) == ["profile"]
    OpeningPeriodFactory(shop=shop, weekday=1, opens=dt.time(8), closes=dt.time(19))
    StockRecordFactory(shop=shop)
    ShopPaymentAccountFactory(shop=shop)
    assert done(shop) == ["profile", "hours", "products", "payments"]
    invitation_create(shop=shop, email="vendeuse@halle.test", invited_by=owner)
    assert "staff" in done(shop)
    order = order_with_parts(shops=[shop], mode="shops")
    part_advance(order.shop_orders.get(), to="ready")
    assert shop_onboarding_get(shop=shop).is_complete


def test_an_incomplete_payment_account_or_an_archived_product_does_not_count():
    shop = ShopFactory()
    ShopPaymentAccountFactory(shop=shop, details_submitted=False)
    offer = StockRecordFactory(shop=shop)
    offer.product.is_public = False
    offer.product.save()
    assert "payments" not in done(shop) and "products" not in done(shop)


def test_every_shops_checklist_costs_one_query():
    for _ in range(3):
        StockRecordFactory(shop=ShopFactory())
    with CaptureQueriesContext(connection) as few:
        assert len(shops_onboarding_listed()) == 3
    for _ in range(10):
        ShopPaymentAccountFactory(shop=ShopFactory())
    with CaptureQueriesContext(connection) as many:
        assert len(shops_onboarding_listed()) == 13
    assert len(few.captured_queries) == len(many.captured_queries) == 1


def test_the_merchants_home_shows_the_checklist_until_it_is_complete(client):
    owner, _ = merchant(role="owner")
    client.force_login(owner)
    html = client.get("/espace-commercant/").content.decode()
    assert "Mise en route : 0 étape sur 6" in html and 'href="/espace-commercant/horaires/"' in html


def test_a_new_shop_saves_its_first_hours_with_the_empty_extra_row_left_out(client):
    owner, shop = merchant(role="owner")
    client.force_login(owner)
    response = client.post("/espace-commercant/horaires/", {
        "h-TOTAL_FORMS": "2", "h-INITIAL_FORMS": "0", "h-MIN_NUM_FORMS": "0", "h-MAX_NUM_FORMS": "28",
        "h-0-weekday": "1", "h-0-opens": "09:00", "h-0-closes": "19:00",
        "h-1-weekday": "0", "h-1-opens": "", "h-1-closes": "",  # the select always sends a day
    })
    assert response.status_code == 302
    assert list(shop.opening_periods.values_list("weekday", "opens", "closes")) == [(1, dt.time(9), dt.time(19))]
    assert "hours" in done(shop)
