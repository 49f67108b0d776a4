"""Who the marketplace writes to for a shop."""
from __future__ import annotations

import pytest

from shops.models import ShopRole
from shops.staff.selectors import shop_contact_email
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
