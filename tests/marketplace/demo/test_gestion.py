"""The manager's space in the demo: two pending applications, one shop half-way through its
onboarding (opened from its application, owner signed up), the agenda on the home page,
a consent to assisted mode; seeding twice adds nothing."""
from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from marketplace.town.models import (
    ApplicationStatus,
    AssistConsent,
    NewsletterSubscription,
    ShopApplication,
    TownEvent,
)
from shops.models import Shop, ShopRole
from shops.onboarding import shop_onboarding_get

pytestmark = pytest.mark.django_db
ARGS = ["--shops", "3", "--products", "10", "--no-images", "--accounts"]


def seeded() -> str:
    out = StringIO()
    call_command("seed_town", *ARGS, stdout=out)
    return out.getvalue()


def test_the_demo_has_two_pending_applications_and_a_shop_half_way_through_onboarding(client):
    out = seeded()
    assert ShopApplication.objects.filter(status=ApplicationStatus.SUBMITTED).count() == 2
    shop = Shop.objects.get(name="Épicerie Le Panier Vert")
    assert shop.application.status == ApplicationStatus.APPROVED
    owner = get_user_model().objects.get(email="panier-vert@halle.test")
    assert shop.members.get(user=owner).role == ShopRole.OWNER and owner.check_password("halle-demo-2026")
    checklist = shop_onboarding_get(shop=shop)
    assert [s.key for s in checklist.steps if s.done] == ["profile", "hours"]
    assert checklist.first_missing.key == "products"
    assert "panier-vert@halle.test" in out and "/gestion/" in out
    assert {"Marché des producteurs", "Nocturne des commerçants"} <= set(TownEvent.objects.values_list("title", flat=True))
    assert "Marché des producteurs" in client.get("/").content.decode()
    assert AssistConsent.objects.count() == 1
    assert NewsletterSubscription.objects.get().email == "client@halle.test"


def test_seeding_the_demo_twice_adds_nothing():
    seeded()
    counts = (ShopApplication.objects.count(), Shop.objects.count(), TownEvent.objects.count(),
              AssistConsent.objects.count(), get_user_model().objects.count())
    seeded()
    assert (ShopApplication.objects.count(), Shop.objects.count(), TownEvent.objects.count(),
            AssistConsent.objects.count(), get_user_model().objects.count()) == counts
