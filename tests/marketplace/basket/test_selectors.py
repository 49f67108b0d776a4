"""The product to add and the site offers, read from the cache against their rows' digest
(PostgreSQL): the cache saves queries, and a change of any of those rows shows at once."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.apps.offer.models import ConditionalOffer

from marketplace.basket import selectors
from marketplace.catalogue.selectors import product_page_signature
from marketplace.partner.models import StockRecord
from tests.factories import ProductFactory, ShopFactory, StockRecordFactory
from tests.factories.offer import ConditionalOfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def galette():
    return StockRecordFactory(
        product=ProductFactory(title="Galette des rois"), shop=ShopFactory(name="Maison Muller"), price=Decimal("18.00")
    )


def _product(pk: int):
    signature, _offers = selectors.basket_add_signatures(product_id=pk)
    return selectors.product_for_basket(pk=pk, signature=signature)


def test_the_product_to_add_is_read_once_then_from_the_cache(galette):
    assert connection.vendor == "postgresql"
    first = _product(galette.product_id)
    with CaptureQueriesContext(connection) as ctx:
        again = _product(galette.product_id)
    assert len(ctx.captured_queries) == 1  # the digests alone
    assert again.title == "Galette des rois"
    assert [(sr.pk, sr.price, sr.partner.shop.name) for sr in again.stockrecords.all()] == [
        (sr.pk, sr.price, sr.partner.shop.name) for sr in first.stockrecords.all()
    ]


def test_a_new_price_stock_or_shop_status_is_read_at_once(galette):
    _product(galette.product_id)
    StockRecord.objects.filter(pk=galette.pk).update(price=Decimal("21.00"), num_in_stock=3)
    (offer,) = _product(galette.product_id).stockrecords.all()
    assert (offer.price, offer.num_in_stock) == (Decimal("21.00"), 3)

    type(galette.partner.shop).objects.filter(pk=galette.partner.shop.pk).update(vacation_mode=True)
    (offer,) = _product(galette.product_id).stockrecords.all()
    assert offer.partner.shop.vacation_mode is True


def test_a_product_whose_rows_change_while_it_is_read_is_not_kept(galette, monkeypatch):
    signature, _offers = selectors.basket_add_signatures(product_id=galette.product_id)
    load = selectors._product_for_basket_loaded

    def load_then_sell_one(pk):
        product = load(pk)
        StockRecord.objects.filter(pk=galette.pk).update(num_in_stock=galette.num_in_stock - 1)
        return product

    monkeypatch.setattr(selectors, "_product_for_basket_loaded", load_then_sell_one)
    selectors.product_for_basket(pk=galette.product_id, signature=signature)
    assert cache.get(f"basket-product:{galette.product_id}:{selectors.SNAPSHOT_FORMAT}:{signature}") is None
    assert product_page_signature(pk=galette.product_id) != signature


def test_an_unknown_product_has_no_digest_and_is_a_404():
    from django.http import Http404

    assert selectors.basket_add_signatures(product_id=999_999)[0] is None
    assert selectors.basket_add_signatures(product_id=2**40) == (None, None)
    with pytest.raises(Http404):
        _product(999_999)


def _site_offers(at=None):
    return selectors.site_offers_open(signature=selectors.site_offers_signature(), at=at)


def test_site_offers_are_read_once_then_from_the_cache():
    offer = ConditionalOfferFactory(name="Semaine du commerce local")
    assert _site_offers() == [offer]
    with CaptureQueriesContext(connection) as ctx:
        (cached,) = _site_offers()
    assert len(ctx.captured_queries) == 1
    # With its condition and benefit, as Oscar's query gives them.
    with CaptureQueriesContext(connection) as ctx:
        assert (cached.condition.value, cached.benefit.value) == (offer.condition.value, offer.benefit.value)
    assert len(ctx.captured_queries) == 0


def test_a_site_offer_created_suspended_changed_or_reopened_shows_at_once():
    assert _site_offers() == []
    offer = ConditionalOfferFactory(name="Semaine du commerce local")
    assert _site_offers() == [offer]
    ConditionalOffer.objects.filter(pk=offer.pk).update(status=ConditionalOffer.SUSPENDED)
    assert _site_offers() == []
    ConditionalOffer.objects.filter(pk=offer.pk).update(status=ConditionalOffer.OPEN)
    type(offer.benefit).objects.filter(pk=offer.benefit_id).update(value=Decimal("8.00"))
    assert [o.benefit.value for o in _site_offers()] == [Decimal("8.00")]


def test_only_site_offers_within_their_dates_are_applied():
    now = timezone.now()
    ConditionalOfferFactory(name="Hier", end_datetime=now - dt.timedelta(days=1))
    ConditionalOfferFactory(name="Demain", start_datetime=now + dt.timedelta(days=1))
    ConditionalOfferFactory(name="Toujours")
    ConditionalOfferFactory(name="Bon d'achat", offer_type=ConditionalOffer.VOUCHER)
    assert [o.name for o in _site_offers(at=now)] == ["Toujours"]
    # The same cached list, read two days later.
    assert sorted(o.name for o in _site_offers(at=now + dt.timedelta(days=2))) == ["Demain", "Toujours"]
    site = ConditionalOffer.active.filter(offer_type=ConditionalOffer.SITE)
    assert sorted(o.name for o in _site_offers(at=now)) == sorted(o.name for o in site)


def test_a_guest_basket_page_digest_changes_with_the_campaigns_it_may_show(galette):
    from marketplace.promotions.models import CampaignBudget, ParticipationStatus
    from tests.factories.promotions import campaign_made
    from tests.factories.town import basket_of

    basket = basket_of([(galette, 1)])
    campaign = campaign_made(shops=[galette.partner.shop], budget="200.00")
    before = selectors.basket_page_signature(basket_id=basket.pk)
    assert before is not None
    CampaignBudget.objects.filter(campaign=campaign).update(reserved_cents=500)  # another shopper's hold
    reserved = selectors.basket_page_signature(basket_id=basket.pk)
    campaign.participations.update(status=ParticipationStatus.OPTED_OUT)
    opted_out = selectors.basket_page_signature(basket_id=basket.pk)
    assert len({before, reserved, opted_out}) == 3
