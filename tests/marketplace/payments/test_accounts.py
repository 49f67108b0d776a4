"""Shops' connected accounts: creation once, onboarding, who can be paid."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from marketplace.demo.payments import shop_accounts_local_onboard
from marketplace.payments import selectors, services, stripe_api
from marketplace.payments.errors import PaymentError
from marketplace.payments.models import ShopPaymentAccount, StripeCall
from tests.factories.shops import ShopFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_local")]


def test_onboarding_creates_the_account_once_and_a_new_link_each_time():
    shop = ShopFactory(email="fleurs@example.fr")
    first = services.shop_account_onboarding_link(shop=shop, refresh_url="http://h/r", return_url="http://h/ok")
    second = services.shop_account_onboarding_link(shop=shop, refresh_url="http://h/r", return_url="http://h/ok")
    account = ShopPaymentAccount.objects.get(shop=shop)
    assert account.stripe_account_id.startswith("acct_") and first.startswith("http")
    assert first.split("?")[0] == second.split("?")[0]
    assert StripeCall.objects.filter(account=account).count() == 1
    assert stripe_api.account_retrieve(account_id=account.stripe_account_id).email == "fleurs@example.fr"
    assert not selectors.shop_can_receive_payments(shop=shop)


@pytest.mark.local_stripe
def test_a_shop_can_sell_once_stripe_says_its_account_is_complete():
    shop = ShopFactory()
    [account] = shop_accounts_local_onboard(shops=[shop])
    assert account.is_usable and selectors.shop_can_receive_payments(shop=shop)
    assert selectors.shops_unable_to_receive_payments(shop_ids=[shop.pk]) == []


@pytest.mark.local_stripe
def test_the_demo_command_gives_every_shop_a_usable_account_and_is_idempotent():
    shops = [ShopFactory() for _ in range(3)]
    out = io.StringIO()
    call_command("payments_local_accounts", stdout=out)
    call_command("payments_local_accounts", stdout=out)
    assert "3/3 commerces" in out.getvalue()
    assert selectors.shops_unable_to_receive_payments(shop_ids=[s.pk for s in shops]) == []
    assert StripeCall.objects.filter(operation="account-create").count() == 3


@pytest.mark.local_stripe
def test_the_demo_command_reopens_accounts_the_local_server_forgot(stripe_local):
    from tests.marketplace.payments.conftest import _reset

    shop = ShopFactory()
    shop_accounts_local_onboard(shops=[shop])
    _reset(stripe_local)
    [account] = shop_accounts_local_onboard(shops=[shop])
    assert account.is_usable
    stripe_api.account_retrieve(account_id=account.stripe_account_id)


def test_local_onboarding_is_refused_against_stripe_itself():
    with override_settings(STRIPE_API_BASE=""), pytest.raises(PaymentError):
        shop_accounts_local_onboard(shops=[ShopFactory()])


@pytest.mark.local_stripe
def test_unable_shops_are_found_in_one_query(django_assert_num_queries):
    shops = [ShopFactory() for _ in range(5)]
    shop_accounts_local_onboard(shops=shops[:2])
    with django_assert_num_queries(1):
        unable = selectors.shops_unable_to_receive_payments(shop_ids=[s.pk for s in shops])
    assert {s.pk for s in unable} == {s.pk for s in shops[2:]}
