"""Only the town's staff manage campaigns; a merchant works on its own shop's invitations and
offers only (another shop's ids: 404), every URL of both spaces."""
from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from marketplace.promotions.models import CampaignShop, ParticipationStatus
from marketplace.promotions.services.vouchers import voucher_batch_generate
from tests.factories import ShopFactory, UserFactory
from tests.factories.backoffice import merchant
from tests.factories.promotions import campaign_made

pytestmark = pytest.mark.django_db


def names(namespace):
    resolver = get_resolver().namespace_dict[namespace][1]
    return [(f"{namespace}:{p.name}", list(p.pattern.converters)) for p in resolver.url_patterns]


@pytest.fixture
def objects():
    campaign = campaign_made(name="Codes", code="CODE1", budget="50.00")
    batch = voucher_batch_generate(campaign=campaign, name="Lot", count=2)
    return {"campaign_pk": campaign.pk, "batch_pk": batch.pk, "year": 2026, "month": 12}


def manager_urls(objects):
    return [reverse(name, kwargs={k: objects[k] for k in kwargs}) for name, kwargs in names("promotions-manager")]


def test_anonymous_visitors_go_to_the_login_page_and_merchants_and_shoppers_get_403(client, objects):
    for url in manager_urls(objects):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    for user in (UserFactory(), merchant(role="owner")[0]):
        client.force_login(user)
        for url in manager_urls(objects):
            assert client.get(url).status_code == 403, url
            assert client.post(url).status_code == 403, url


def test_the_manager_gets_404_for_ids_that_do_not_exist(manager_client, objects):
    missing = {**objects, "campaign_pk": 999999, "batch_pk": 999999}
    for name, kwargs in names("promotions-manager"):
        if not {"campaign_pk", "batch_pk"} & set(kwargs):
            continue
        url = reverse(name, kwargs={k: missing[k] for k in kwargs})
        assert manager_client.get(url).status_code in (404, 405), url


def test_a_merchant_cannot_answer_for_another_shop_nor_stop_its_offers(client):
    mine, theirs = ShopFactory(name="Moi"), ShopFactory(name="Voisin")
    user, _ = merchant(shop=mine, role="owner")
    town_campaign = campaign_made(shops=[theirs], opted_in=False)
    their_offer = campaign_made(name="Offre du voisin", budget=None, funder="shop", town_share_percent=0,
                                owner_shop=theirs)
    client.force_login(user)
    assert client.post(reverse("backoffice-promotions:participation", args=[town_campaign.pk]),
                       {"choice": "in"}).status_code == 404
    assert client.post(reverse("backoffice-promotions:participation", args=[999999]), {"choice": "in"}).status_code == 404
    assert client.post(reverse("backoffice-promotions:offer-stop", args=[their_offer.pk])).status_code == 404
    assert client.post(reverse("backoffice-promotions:offer-stop", args=[town_campaign.pk])).status_code == 404
    assert CampaignShop.objects.get(shop=theirs).status == ParticipationStatus.INVITED
    page = client.get(reverse("backoffice-promotions:promotions")).content.decode()
    assert "Offre du voisin" not in page and town_campaign.offer.name not in page


def test_a_merchant_opts_in_and_sees_what_a_split_campaign_costs_it(client):
    shop = ShopFactory()
    user, _ = merchant(shop=shop, role="staff")
    campaign = campaign_made(shops=[shop], opted_in=False, funder="split", town_share_percent=70)
    client.force_login(user)
    page = client.get(reverse("backoffice-promotions:promotions")).content.decode()
    assert "Vous financez 30 % de chaque euro de remise sur vos articles" in page
    response = client.post(reverse("backoffice-promotions:participation", args=[campaign.pk]), {"choice": "in"})
    assert response.status_code == 302
    assert CampaignShop.objects.get(shop=shop).status == ParticipationStatus.OPTED_IN


def test_a_merchant_offer_can_only_target_its_own_products(client):
    from marketplace.promotions.models import Campaign
    from tests.factories.partner import StockRecordFactory

    mine, theirs = ShopFactory(), ShopFactory()
    user, _ = merchant(shop=mine, role="owner")
    my_product = StockRecordFactory(shop=mine).product
    their_product = StockRecordFactory(shop=theirs).product
    client.force_login(user)
    data = {"name": "2 € sur la tarte", "starts_at": "2026-12-01T08:00", "ends_at": "2026-12-31T20:00",
            "benefit": "amount", "value": "2", "products": [their_product.pk]}
    response = client.post(reverse("backoffice-promotions:offer-create"), data)
    assert response.status_code == 400
    assert "Choisissez seulement des produits que vous vendez." in response.content.decode()
    assert not Campaign.objects.filter(owner_shop=mine).exists()
    response = client.post(reverse("backoffice-promotions:offer-create"), {**data, "products": [my_product.pk]})
    assert response.status_code == 302
    offer = Campaign.objects.get(owner_shop=mine)
    assert offer.funder == "shop" and list(offer.offer.benefit.range.included_products.all()) == [my_product]
