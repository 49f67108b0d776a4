"""The demo's shops can sell: their Stripe accounts opened and completed on the local Stripe server.

Demo and tests only (``make run``, ``manage.py payments_local_accounts``, the test
suite's ``connected_shop``): production code never opens an onboarding link itself,
the merchant does, on Stripe's own pages.
"""
from __future__ import annotations

import urllib.error
import urllib.request

from django.conf import settings

from marketplace.payments import services, stripe_api
from marketplace.payments.errors import PaymentError
from marketplace.payments.models import ShopPaymentAccount


def shop_accounts_local_onboard(*, shops) -> list[ShopPaymentAccount]:
    """Open and complete each shop's account on the local Stripe server (its onboarding link
    completes the account when opened), so that every shop of the demo can sell."""
    if not settings.STRIPE_API_BASE:
        raise PaymentError(
            "Comptes de démonstration : réservé au serveur Stripe local (STRIPE_API_BASE).", code="not_local"
        )
    done = []
    for shop in shops:
        account = services.shop_payment_account_ensure(shop=shop)
        if account.stripe_account_id:
            try:
                stripe_api.account_retrieve(account_id=account.stripe_account_id)
            except PaymentError:  # the local server was wiped: open a new account
                ShopPaymentAccount.objects.filter(pk=account.pk).update(
                    stripe_account_id="", details_submitted=False, transfers_active=False, synced_at=None,
                )
                account.refresh_from_db()
        if account.is_usable and account.stripe_account_id:
            done.append(account)
            continue
        url = services.shop_account_onboarding_link(shop=shop, refresh_url="http://127.0.0.1/", return_url="http://127.0.0.1/")
        _open_without_redirect(url)
        done.append(services.shop_account_refresh(shop=shop))
    return done


def _open_without_redirect(url: str) -> None:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(url, timeout=10).close()
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise PaymentError("Le serveur Stripe local a refusé l’ouverture du compte.", code="onboard") from answer
    except OSError as error:
        raise PaymentError("Le serveur Stripe local ne répond pas.", code="unavailable") from error
