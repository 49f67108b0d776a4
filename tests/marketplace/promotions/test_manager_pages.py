"""The manager's promotions pages: creating with precise French refusals that write nothing,
inviting shops, the campaign page's figures, codes."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.apps.offer.models import ConditionalOffer

from marketplace.promotions.models import Campaign, CampaignBudget, CampaignShop, VoucherQuota
from tests.factories import ShopFactory
from tests.factories.promotions import campaign_made

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%dT%H:%M"


def form_data(**overrides):
    now = timezone.localtime()
    data = {
        "name": "Semaine du commerce local", "starts_at": now.strftime(FORMAT),
        "ends_at": (now + dt.timedelta(days=7)).strftime(FORMAT), "benefit": "amount", "value": "5",
        "minimum": "30", "budget_euros": "200", "funder": "town", "town_share_percent": "", "when_short": "partial",
        "max_uses_per_customer": "", "max_uses": "", "code": "", "code_uses": "100",
    }
    data.update(overrides)
    return data


def test_the_manager_creates_a_campaign_on_oscar_offer_rows(manager_client):
    response = manager_client.post(reverse("promotions-manager:campaign-create"), form_data())
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.offer.offer_type == ConditionalOffer.SITE
    assert (campaign.offer.condition.value, campaign.offer.benefit.value) == (30, 5)
    assert CampaignBudget.objects.get(campaign=campaign).budget_cents == 20000


@pytest.mark.parametrize(("overrides", "message"), [
    ({"ends_at": (timezone.localtime() - dt.timedelta(days=1)).strftime(FORMAT)},
     "La fin de la campagne doit être après son début."),
    ({"budget_euros": "0"}, "Le budget doit être supérieur à 0 €."),
    ({"budget_euros": "-5"}, "Le budget doit être supérieur à 0 €."),
    ({"benefit": "percentage", "value": "120"}, "Un pourcentage de remise ne peut pas dépasser 100 %."),
    ({"funder": "split", "town_share_percent": "100"}, "Pour un financement partagé, la part de la ville est entre 1 et 99 %."),
    ({"value": "abc"}, "Indiquez un nombre (par exemple 5 ou 10,5)."),
])
def test_bad_input_is_refused_in_french_and_writes_nothing(manager_client, overrides, message):
    response = manager_client.post(reverse("promotions-manager:campaign-create"), form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Campaign.objects.exists() and not ConditionalOffer.objects.exists()


def test_a_code_already_used_is_refused_and_nothing_is_written(manager_client):
    campaign_made(name="Bienvenue", code="BIENVENUE", budget=None)
    offers = ConditionalOffer.objects.count()
    response = manager_client.post(reverse("promotions-manager:campaign-create"),
                                   form_data(name="Autre", code="bienvenue"))
    assert response.status_code == 400
    assert "Le code « BIENVENUE » est déjà utilisé." in response.content.decode()
    assert ConditionalOffer.objects.count() == offers and Campaign.objects.count() == 1


def test_the_manager_invites_shops_and_sees_the_budget_on_the_campaign_page(manager_client):
    shops = [ShopFactory(name="Boulangerie"), ShopFactory(name="Fromagerie")]
    campaign = campaign_made(shops=[], budget="200.00")
    response = manager_client.post(reverse("promotions-manager:campaign-invite", args=[campaign.pk]),
                                   {"inv-shops": [s.pk for s in shops]})
    assert response.status_code == 302
    assert set(CampaignShop.objects.values_list("shop__name", "status")) == {("Boulangerie", "invited"),
                                                                             ("Fromagerie", "invited")}
    CampaignBudget.objects.filter(campaign=campaign).update(reserved_cents=500, spent_cents=1500)
    page = manager_client.get(reverse("promotions-manager:campaign", args=[campaign.pk])).content.decode()
    assert '<td class="text-right text-nowrap" id="budget-reserved">5,00 €</td>' in page
    assert '<td class="text-right text-nowrap" id="budget-spent">15,00 €</td>' in page
    assert '<td class="text-right text-nowrap" id="budget-left">180,00 €</td>' in page
    listing = manager_client.get(reverse("promotions-manager:campaigns")).content.decode()
    assert "15,00 € / 200,00 €" in listing


def test_a_budget_cannot_drop_below_what_is_reserved_and_spent(manager_client):
    campaign = campaign_made(budget="200.00")
    CampaignBudget.objects.filter(campaign=campaign).update(spent_cents=15000)
    response = manager_client.post(reverse("promotions-manager:campaign-edit", args=[campaign.pk]),
                                   form_data(budget_euros="100"))
    assert response.status_code == 400
    assert "Le budget ne peut pas être inférieur à ce qui est déjà réservé ou dépensé (150,00 €)." in response.content.decode()
    assert CampaignBudget.objects.get(campaign=campaign).budget_cents == 20000


def test_a_batch_of_codes_is_generated_and_exported_for_printing(manager_client):
    campaign = campaign_made(name="Flyers", code="FLYER-0", budget=None)
    response = manager_client.post(reverse("promotions-manager:voucher-batch-create", args=[campaign.pk]),
                                   {"lot-name": "Marché de Noël", "lot-count": "25", "lot-prefix": "NOEL", "lot-max_uses": "1"})
    assert response.status_code == 302
    batch = campaign.voucher_batches.get()
    csv_text = manager_client.get(reverse("promotions-manager:voucher-batch-export", args=[batch.pk])).content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("code;utilisations par code")
    codes = [line.split(";")[0] for line in lines[1:]]
    assert len(set(codes)) == 25 and all(code.startswith("NOEL") and len(code) == 12 for code in codes)
    assert VoucherQuota.objects.filter(batch=batch, max_uses=1).count() == 25


def test_an_import_with_duplicates_is_refused_with_line_numbers_and_writes_nothing(manager_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    campaign = campaign_made(name="Associations", code="CLUB", budget=None)
    upload = SimpleUploadedFile("codes.csv", b"code\nFOOT1\nBASKET2\nfoot1\nCLUB\n", content_type="text/csv")
    response = manager_client.post(reverse("promotions-manager:voucher-import", args=[campaign.pk]),
                                   {"import-name": "Clubs", "import-file": upload, "import-max_uses": "1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ligne 4 : le code « FOOT1 » figure déjà ligne 2." in page
    assert "Ligne 5 : le code « CLUB » est déjà utilisé." in page
    assert not campaign.voucher_batches.exists() and VoucherQuota.objects.count() == 1


def test_a_statement_for_a_month_that_does_not_exist_is_a_404(manager_client):
    campaign = campaign_made()
    assert manager_client.get(reverse("promotions-manager:statement", args=[campaign.pk, 2026, 13])).status_code == 404
