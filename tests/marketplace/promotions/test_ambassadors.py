"""Ambassadors: a personal code and link; the reward is earned when the order is collected,
never at placement, lost when the order is cancelled; self-referral refused; each ambassador
sees only their own page."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.checkout.exceptions import CheckoutError
from marketplace.order import services as order_services
from marketplace.order.models import Order
from marketplace.promotions.models import Referral, ReferralStatus
from marketplace.promotions.services.ambassadors import AmbassadorInputError, ambassador_invite
from tests.factories import ShopFactory, UserFactory
from tests.factories.orders import order_placed
from tests.factories.partner import StockRecordFactory
from tests.factories.pickup import merchant_of, part_advance
from tests.factories.promotions import campaign_made

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    shop = ShopFactory(name="Librairie")
    campaign = campaign_made(shops=[shop], name="Les amis du centre", value="3.00", budget="100.00", code="AMIS")
    ambassador = ambassador_invite(campaign=campaign, email="ambassadeur@halle.test", display_name="Club de foot",
                                   reward_euros=Decimal("2.00"), code="FOOT")
    offer = StockRecordFactory(shop=shop, price=Decimal("15.00"), num_in_stock=50)
    return shop, campaign, ambassador, offer


def test_the_reward_is_earned_only_when_the_order_is_collected_and_paid_as_a_voucher(setup):
    shop, _campaign, ambassador, offer = setup
    order = order_placed(items=[(offer, 1)], vouchers=[ambassador.voucher], guest_email="lea@example.test")
    assert order.total_incl_tax == Decimal("12.00")
    referral = Referral.objects.get(order=order)
    assert referral.status == ReferralStatus.PENDING and referral.reward_voucher is None

    part = part_advance(order.shop_orders.get(), to="ready")
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PENDING
    order_services.shop_order_collect(shop_order=part, user=merchant_of(shop))

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.EARNED
    reward = referral.reward_voucher
    assert reward.quota.max_uses == 1 and reward.offers.get().benefit.value == Decimal("2.00")


def test_the_reward_is_lost_when_the_order_is_cancelled(setup):
    shop, _campaign, ambassador, offer = setup
    order = order_placed(items=[(offer, 1)], vouchers=[ambassador.voucher], guest_email="lea@example.test")
    order_services.shop_order_cancel(shop_order=order.shop_orders.get(), user=merchant_of(shop), reason="merchant")
    referral = Referral.objects.get(order=order)
    assert referral.status == ReferralStatus.LOST and referral.reward_voucher is None


def test_an_ambassador_cannot_use_their_own_code(setup):
    _shop, _campaign, ambassador, offer = setup
    with pytest.raises(CheckoutError) as refused:
        order_placed(items=[(offer, 1)], vouchers=[ambassador.voucher], guest_email="Ambassadeur@halle.test")
    assert refused.value.message == ("Vous ne pouvez pas utiliser votre propre code d'ambassadeur : "
                                     "retirez-le de votre panier.")
    assert not Order.objects.exists() and not Referral.objects.exists()


def test_an_ambassador_needs_a_campaign_with_codes_and_a_positive_reward():
    campaign = campaign_made(name="Sans code")
    with pytest.raises(AmbassadorInputError) as refused:
        ambassador_invite(campaign=campaign, email="x@example.test", display_name="X", reward_euros=Decimal(0))
    assert refused.value.errors == {
        "reward_euros": "La récompense doit être supérieure à 0 €.",
        "campaign": "Les ambassadeurs partagent un code : choisissez une campagne « avec un code ».",
    }


def test_each_ambassador_sees_only_their_own_page_with_counts_and_amounts(client, setup):
    _shop, _campaign, ambassador, offer = setup
    order_placed(items=[(offer, 1)], vouchers=[ambassador.voucher], guest_email="lea.secret@example.test")
    client.force_login(ambassador.user)
    page = client.get(reverse("promotions-ambassador:page")).content.decode()
    assert "FOOT" in page and "12,00 €" in page
    assert "lea.secret" not in page
    client.force_login(UserFactory())
    assert client.get(reverse("promotions-ambassador:page")).status_code == 403
    client.logout()
    assert client.get(reverse("promotions-ambassador:page")).status_code == 302


def test_the_link_page_offers_the_code_and_changes_nothing_on_a_get(client, setup):
    _shop, _campaign, _ambassador, _offer = setup
    page = client.get(reverse("promotions-ambassador:link", args=["foot"])).content.decode()
    assert 'name="code" value="FOOT"' in page and "Club de foot vous invite" in page
    assert client.get(reverse("promotions-ambassador:link", args=["NOPE"])).status_code == 404
