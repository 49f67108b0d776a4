"""A shop's page publishes its ``LocalBusiness``: address, position, hours and closures to come."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from shops.models import Trade
from tests.factories import ClosureFactory, OpeningPeriodFactory, ShopFactory
from tests.support.json_ld import json_ld_of_type

pytestmark = pytest.mark.django_db


def test_the_shop_page_publishes_a_bakery_with_address_geo_and_weekly_hours(client):
    shop = ShopFactory(name="Maison Muller", slug="maison-muller", trade=Trade.BOULANGERIE, phone="+33238000001",
                       latitude=Decimal("48.100000"), longitude=Decimal("2.700000"))
    OpeningPeriodFactory(shop=shop, weekday=1, opens=dt.time(7), closes=dt.time(13))
    OpeningPeriodFactory(shop=shop, weekday=5, opens=dt.time(8), closes=dt.time(12, 30))

    data = json_ld_of_type(client.get("/commerces/maison-muller/"), "Bakery")

    assert data["name"] == "Maison Muller"
    assert data["url"] == "http://testserver/commerces/maison-muller/"
    assert data["address"] == {"@type": "PostalAddress", "streetAddress": "1 place du Marché", "postalCode": "45210",
                               "addressLocality": "Beaumont-sur-Loing", "addressCountry": "FR"}
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 48.1, "longitude": 2.7}
    assert data["telephone"] == "+33238000001"
    assert [(h["dayOfWeek"], h["opens"], h["closes"]) for h in data["openingHoursSpecification"]] == [
        ("https://schema.org/Tuesday", "07:00", "13:00"), ("https://schema.org/Saturday", "08:00", "12:30"),
    ]


def test_an_upcoming_closure_is_published_as_a_closed_day(client):
    shop = ShopFactory(slug="fermee-demain", trade=Trade.LIBRAIRIE)
    OpeningPeriodFactory(shop=shop, weekday=0)
    tomorrow = timezone.localtime().date() + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(0)))
    ClosureFactory(shop=shop, starts_at=start, ends_at=start + dt.timedelta(days=1))
    ClosureFactory(shop=shop, starts_at=start - dt.timedelta(days=30), ends_at=start - dt.timedelta(days=29))

    data = json_ld_of_type(client.get("/commerces/fermee-demain/"), "BookStore")

    special = [h for h in data["openingHoursSpecification"] if "validFrom" in h]
    assert special == [{"@type": "OpeningHoursSpecification", "validFrom": tomorrow.isoformat(),
                        "validThrough": tomorrow.isoformat(), "opens": "00:00", "closes": "00:00"}]


def test_a_shop_of_a_trade_without_a_schema_type_is_a_store(client):
    ShopFactory(slug="chocolats", trade=Trade.CHOCOLATIER)

    assert json_ld_of_type(client.get("/commerces/chocolats/"), "Store")["name"]
