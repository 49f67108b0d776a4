"""The demo's promotions: a town-funded campaign with a budget and participating shops, one
merchant offer, one voucher batch, the ambassador listed with the demo accounts; twice adds nothing."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from marketplace.promotions.models import (
    Ambassador,
    Campaign,
    CampaignBudget,
    ParticipationStatus,
    VoucherBatch,
)

pytestmark = pytest.mark.django_db
ARGS = ["--shops", "5", "--products", "20", "--no-images", "--accounts"]


def test_the_demo_town_runs_promotions_and_lists_the_ambassador():
    out = StringIO()
    call_command("seed_town", *ARGS, stdout=out)
    assert "ambassadeur@halle.test" in out.getvalue() and "CLUBFOOT" in out.getvalue()
    town = Campaign.objects.get(offer__name="Semaine du commerce local")
    assert town.funder == "town" and CampaignBudget.objects.get(campaign=town).budget_cents == 50000
    assert town.participations.filter(status=ParticipationStatus.OPTED_IN).count() == 4
    assert Campaign.objects.filter(owner_shop__isnull=False, funder="shop").count() == 1
    assert VoucherBatch.objects.get().quotas.count() == 20
    ambassador = Ambassador.objects.get()
    assert ambassador.user.check_password("halle-demo-2026")

    call_command("seed_town", *ARGS, stdout=StringIO())
    assert Campaign.objects.count() == 3 and VoucherBatch.objects.count() == 1 and Ambassador.objects.count() == 1
