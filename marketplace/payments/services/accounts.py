"""Shops' Stripe connected accounts: creation, onboarding link, status, commission plan."""
from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shops.models import Shop

from .. import locks, stripe_api
from ..errors import PaymentError
from ..models import CommissionPlan, ShopPaymentAccount
from .calls import call_prepare, call_run

logger = logging.getLogger(__name__)


def shop_payment_account_ensure(*, shop: Shop) -> ShopPaymentAccount:
    account, _created = ShopPaymentAccount.objects.get_or_create(shop=shop)
    return account


#: Where Stripe serves the onboarding pages of its account links.
STRIPE_ONBOARDING_ORIGIN = "https://connect.stripe.com"


def shop_account_onboarding_origin() -> str:
    """The origin of the links ``shop_account_onboarding_link`` returns: Stripe's, or the
    Stripe-compatible server's when ``STRIPE_API_BASE`` names one (demo, tests).

    The page whose form leads there must allow it in its Content-Security-Policy
    (``form-action``): browsers refuse a form's redirect to an origin the page's policy
    does not list, and the merchant would stay on the page with nothing said."""
    if settings.STRIPE_API_BASE:
        parts = urlsplit(settings.STRIPE_API_BASE)
        return f"{parts.scheme}://{parts.netloc}"
    return STRIPE_ONBOARDING_ORIGIN


def shop_account_onboarding_link(*, shop: Shop, refresh_url: str, return_url: str) -> str:
    """The URL where the merchant opens (or completes) the shop's Stripe account.

    The account is created once (its key is stored: a second click, or a retry after an
    outage, gets the same account back); every link is new, as Stripe's are single-use.
    """
    account = shop_payment_account_ensure(shop=shop)
    if not account.stripe_account_id:
        failure = None
        with transaction.atomic():
            account = locks.account_lock(account_id=account.pk)
            if not account.stripe_account_id:
                call = call_prepare(account=account, operation="account-create")
                try:
                    created = call_run(call, stripe_api.account_create, email=shop.email or f"commerce-{shop.pk}@halle.invalid")
                except PaymentError as error:
                    failure = error
                else:
                    _apply(account, created)
                    account.save()
        if failure is not None:
            raise failure
    link = stripe_api.account_link_create(
        account_id=account.stripe_account_id, refresh_url=refresh_url, return_url=return_url
    )
    return link.url


def shop_account_refresh(*, shop: Shop) -> ShopPaymentAccount:
    """Ask Stripe where the shop's account stands (after the merchant comes back)."""
    account = shop_payment_account_ensure(shop=shop)
    if not account.stripe_account_id:
        return account
    remote = stripe_api.account_retrieve(account_id=account.stripe_account_id)
    return _account_update(account_id=account.pk, remote=remote, seen_at=timezone.now())


def shop_account_apply_event(*, remote: stripe_api.Account, created: dt.datetime) -> ShopPaymentAccount | None:
    """An ``account.updated`` event: applied unless a newer state was already applied."""
    account = ShopPaymentAccount.objects.filter(stripe_account_id=remote.id).first()
    if account is None:
        return None
    return _account_update(account_id=account.pk, remote=remote, seen_at=created)


def _account_update(*, account_id: int, remote: stripe_api.Account, seen_at: dt.datetime) -> ShopPaymentAccount:
    from ..tasks import payments_settle_for_shop_task

    with transaction.atomic():
        account = locks.account_lock(account_id=account_id)
        if account.synced_at is not None and seen_at < account.synced_at:
            return account  # an older event delivered late
        was_usable = account.is_usable
        _apply(account, remote)
        account.synced_at = seen_at
        account.save()
        if account.is_usable and not was_usable:
            payments_settle_for_shop_task.delay_on_commit(account.shop_id)
    return account


def _apply(account: ShopPaymentAccount, remote: stripe_api.Account) -> None:
    account.stripe_account_id = remote.id
    account.details_submitted = remote.details_submitted
    account.transfers_active = remote.transfers_active
    account.payouts_enabled = remote.payouts_enabled


def shop_commission_plan_set(*, shop: Shop, plan: CommissionPlan | None) -> ShopPaymentAccount:
    """The plan for the shop's future orders (orders already paid keep their rate)."""
    account = shop_payment_account_ensure(shop=shop)
    account.plan = plan
    account.save(update_fields=["plan", "updated_at"])
    return account


def commission_plan_update(*, plan: CommissionPlan, name: str, rate) -> CommissionPlan:
    if not 0 <= rate <= 100:
        raise ValidationError({"rate": "Le taux doit être compris entre 0 et 100 %."})
    plan.name, plan.rate = name.strip() or plan.name, rate
    plan.full_clean()
    plan.save()
    return plan
