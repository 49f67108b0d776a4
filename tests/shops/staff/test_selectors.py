"""Who the marketplace writes to for a shop."""
from __future__ import annotations

import pytest

from shops.models import ShopRole
from shops.staff.selectors import shop_contact_email, shop_contact_emails
from tests.factories import ShopFactory
from tests.factories.backoffice import merchant

pytestmark = pytest.mark.django_db


def test_the_shops_own_address_comes_first():
    shop = ShopFactory(email="contact@boulangerie.fr")
    merchant(shop=shop, role=ShopRole.OWNER, username="gerant")
    assert shop_contact_email(shop=shop) == "contact@boulangerie.fr"


def test_without_one_the_owner_is_preferred_to_earlier_staff():
    shop = ShopFactory()
    merchant(shop=shop, username="vendeur")
    merchant(shop=shop, role=ShopRole.OWNER, username="gerant")
    assert shop_contact_email(shop=shop) == "gerant@halle.test"


def test_staff_without_an_address_are_skipped_and_nobody_gives_empty():
    shop = ShopFactory()
    assert shop_contact_email(shop=shop) == ""
    merchant(shop=shop, role=ShopRole.OWNER, username="sans-adresse", email="")
    merchant(shop=shop, username="vendeur")
    assert shop_contact_email(shop=shop) == "vendeur@halle.test"


def test_several_shops_at_once_follow_the_same_order_in_one_query(django_assert_num_queries):
    own = ShopFactory(email="contact@boulangerie.fr")
    with_owner = ShopFactory()
    merchant(shop=with_owner, username="vendeur2")
    merchant(shop=with_owner, role=ShopRole.OWNER, username="gerant2")
    staff_only = ShopFactory()
    merchant(shop=staff_only, role=ShopRole.OWNER, username="sans-adresse2", email="")
    merchant(shop=staff_only, username="vendeur3")
    nobody = ShopFactory()

    with django_assert_num_queries(1):
        emails = shop_contact_emails(shops=[own, with_owner, staff_only, nobody])

    assert emails == {own.pk: "contact@boulangerie.fr", with_owner.pk: "gerant2@halle.test",
                      staff_only.pk: "vendeur3@halle.test"}
    assert all(emails.get(shop.pk, "") == shop_contact_email(shop=shop) for shop in (own, with_owner, staff_only, nobody))


def test_shops_that_all_have_an_address_cost_no_query(django_assert_num_queries):
    shops = [ShopFactory(email=f"c{i}@exemple.fr") for i in range(3)]
    with django_assert_num_queries(0):
        assert shop_contact_emails(shops=shops) == {shop.pk: f"c{i}@exemple.fr" for i, shop in enumerate(shops)}
