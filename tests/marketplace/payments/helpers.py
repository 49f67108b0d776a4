"""Shops with a Stripe account on the local server, orders paid by card."""
from __future__ import annotations

import itertools

from marketplace.demo.payments import shop_accounts_local_onboard
from marketplace.payments import services
from marketplace.payments.models import Payment, ShopPaymentAccount
from tests.factories.payments import LineSpec, order_build
from tests.factories.shops import ShopFactory
from tests.support.stripe_server import LIVE_ACCOUNTS, stripe_is_live

_live_accounts = itertools.cycle(LIVE_ACCOUNTS or [""])


def connected_shop(**fields):
    """A shop whose Stripe account exists and is onboarded: opened on the local server, or
    (Stripe's test mode) one of the accounts of HALLE_TEST_STRIPE_ACCOUNTS."""
    shop = ShopFactory(**fields)
    if stripe_is_live():
        ShopPaymentAccount.objects.create(shop=shop, stripe_account_id=next(_live_accounts))
        services.shop_account_refresh(shop=shop)
    else:
        shop_accounts_local_onboard(shops=[shop])
    shop.refresh_from_db()  # forgets the account as it was before onboarding
    return shop


def order_paid(*lines: LineSpec, shipping="0", payment_method: str = "pm_card_visa",
               offer_name: str = "Remise de la ville", funder: str = "town"):
    """An order whose total is authorised on the card, as the checkout leaves it (its
    discounts under one offer named ``offer_name``)."""
    order = order_build(lines=list(lines), shipping=shipping, offer_name=offer_name, funder=funder)
    services.payment_authorise(
        order_number=order.number, amount=order.total_incl_tax,
        shop_ids={spec.shop.pk for spec in lines}, payment_method=payment_method,
    )
    services.payment_attach_order(order=order)
    return order, Payment.objects.get(order=order)
