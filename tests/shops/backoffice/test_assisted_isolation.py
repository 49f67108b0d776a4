"""Assisted mode reaches no more than the shop's own staff: every back-office URL, as the town
manager acting for shop A (with its owner's consent), with shop B's identifiers.

The walk, shop B's objects and the checks are the merchant isolation test's
(``test_isolation``): a view added later is covered here too.
"""
from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.town.services.assist import assist_consent_grant
from shops.backoffice.assisted import SESSION_KEY as ASSIST_KEY
from tests.factories import UserFactory
from tests.shops.backoffice import test_isolation as isolation

pytestmark = pytest.mark.django_db
URL_NAMES = isolation.URL_NAMES
world = isolation.world  # the same shops A and B, as a fixture of this module


@pytest.mark.parametrize(("name", "kwargs"), URL_NAMES, ids=[n for n, _ in URL_NAMES])
def test_the_manager_assisting_shop_a_cannot_read_or_change_shop_b(client, world, name, kwargs):
    assist_consent_grant(shop=world["shop_a"], by=world["user_a"], hours=24)
    client.force_login(UserFactory(username="manager-isolation", is_staff=True))
    assert client.post(reverse("gestion:assist-start", args=[world["shop_a"].pk])).status_code == 302
    # 403 on shop A's own pages too: money and till tokens stay the merchant's in assisted mode.
    isolation._shop_b_out_of_reach(client, world, name, kwargs, own_page_statuses=(200, 302, 403, 404, 405))
    assert client.session[ASSIST_KEY]["shop"] == world["shop_a"].pk
