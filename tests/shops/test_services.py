"""Merchant use cases: creating a shop, setting its weekly opening hours."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from marketplace.partner.models import Partner
from shops.models import Shop, Trade
from shops.services.profile import shop_create, shop_opening_hours_set
from shops.staff.services import shop_staff_join
from tests.factories import ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

T = dt.time


def _hours(shop: Shop) -> list[tuple[int, dt.time, dt.time]]:
    return list(shop.opening_periods.order_by("weekday", "opens").values_list("weekday", "opens", "closes"))


def test_shop_create_makes_a_partner_named_after_the_shop():
    shop = shop_create(
        name="Fromagerie Lefèvre",
        trade=Trade.FROMAGERIE,
        line1="3 rue des Halles",
        postcode="45210",
        city="Beaumont-sur-Loing",
        phone="02 38 00 00 00",
    )

    shop.refresh_from_db()
    assert Partner.objects.count() == 1
    assert shop.partner.name == "Fromagerie Lefèvre"
    assert shop.partner.code == "fromagerie-lefevre"
    assert shop.slug == "fromagerie-lefevre"
    assert shop.phone == "02 38 00 00 00"
    assert shop.is_selling
    assert shop.address == "3 rue des Halles, 45210 Beaumont-sur-Loing"


def test_shop_create_uses_the_given_code_and_slug():
    shop = shop_create(
        name="Cave Roux", trade=Trade.CAVISTE, line1="1 quai du Port", postcode="45210",
        city="Beaumont-sur-Loing", code="cave-roux-45", slug="cave-roux",
    )

    assert (shop.partner.code, shop.slug) == ("cave-roux-45", "cave-roux")


def test_shop_create_with_invalid_data_creates_neither_shop_nor_partner():
    with pytest.raises(ValidationError) as excinfo:
        shop_create(
            name="Boucherie Sans Métier", trade="astronaute", line1="1 rue Pasteur",
            postcode="45210", city="Beaumont-sur-Loing",
        )

    assert "trade" in excinfo.value.message_dict
    assert not Partner.objects.exists()
    assert not Shop.objects.exists()


def test_shop_staff_join_makes_staff_of_that_shop_only_without_oscar_dashboard_access():
    shop, other = ShopFactory(), ShopFactory()
    user = UserFactory()

    shop_staff_join(shop=shop, user=user, role="owner")

    assert list(shop.partner.users.all()) == [user]
    assert not other.partner.users.exists()
    assert shop.members.get().role == "owner"
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    assert not user.has_perm("partner.dashboard_access")


def test_shop_opening_hours_set_replaces_all_previous_hours():
    shop = ShopFactory()
    shop_opening_hours_set(shop=shop, periods=[(0, T(9), T(12)), (1, T(9), T(12))])

    created = shop_opening_hours_set(shop=shop, periods=[(5, T(8), T(13)), (5, T(15), T(19))])

    assert len(created) == 2
    assert _hours(shop) == [(5, T(8), T(13)), (5, T(15), T(19))]


def test_shop_opening_hours_set_with_no_periods_closes_the_shop_every_day():
    shop = ShopFactory()
    shop_opening_hours_set(shop=shop, periods=[(0, T(9), T(12))])

    shop_opening_hours_set(shop=shop, periods=[])

    assert _hours(shop) == []


@pytest.mark.parametrize(
    "bad_period",
    [(2, T(12), T(9)), (2, T(12), T(12)), (7, T(9), T(12))],
    ids=["closes-before-opening", "empty-period", "weekday-out-of-range"],
)
def test_shop_opening_hours_set_rejects_an_invalid_period_and_keeps_the_old_hours(bad_period):
    shop = ShopFactory()
    old = [(0, T(9), T(12)), (0, T(14), T(19))]
    shop_opening_hours_set(shop=shop, periods=old)

    with pytest.raises(ValidationError):
        shop_opening_hours_set(shop=shop, periods=[(1, T(9), T(12)), bad_period])

    assert _hours(shop) == old


def test_shop_opening_hours_set_leaves_other_shops_alone():
    shop, neighbour = ShopFactory(), ShopFactory()
    shop_opening_hours_set(shop=neighbour, periods=[(3, T(10), T(18))])

    shop_opening_hours_set(shop=shop, periods=[(0, T(9), T(12))])

    assert _hours(neighbour) == [(3, T(10), T(18))]
