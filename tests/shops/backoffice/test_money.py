"""The merchant's money pages: Stripe account onboarding, sales and transfers per period, CSV."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from marketplace.payments.models import ShopPaymentAccount
from tests.factories.backoffice import merchant
from tests.factories.payments import ShopPaymentAccountFactory, ledger_entries

pytestmark = pytest.mark.django_db

SETTLED = {"capture": 1200, "commission": 66, "transfer": 1134}


def test_a_shop_without_account_is_told_it_cannot_sell_and_how_to_fix_it(logged_a):
    home = logged_a.get(reverse("backoffice:home")).content.decode()
    page = logged_a.get(reverse("backoffice:payments")).content.decode()
    assert "ne peut pas encore vendre en ligne" in home
    assert "Votre commerce ne peut pas encore vendre en ligne." in page
    assert "Ouvrir mon compte de paiement" in page


def test_a_shop_with_a_usable_account_sees_it_is_ready(logged_a, staff_a):
    ShopPaymentAccountFactory(shop=staff_a[1])
    assert "ne peut pas encore vendre" not in logged_a.get(reverse("backoffice:home")).content.decode()
    assert "Votre compte de paiement est prêt." in logged_a.get(reverse("backoffice:payments")).content.decode()


def _form_action(response) -> list[str]:
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if " " in part.strip())
    return policy["form-action"].split()


@pytest.mark.parametrize(("base", "origin"), [("", "https://connect.stripe.com"),
                                              ("http://127.0.0.1:8420/", "http://127.0.0.1:8420")])
def test_the_payment_page_lets_its_form_lead_to_stripes_onboarding_and_only_that_page(logged_a, settings, base, origin):
    """The button's answer is a redirect to Stripe: without the origin in form-action, the browser stops there."""
    settings.STRIPE_API_BASE = base
    assert _form_action(logged_a.get(reverse("backoffice:payments"))) == ["'self'", origin]
    assert _form_action(logged_a.get(reverse("backoffice:profile"))) == ["'self'"]


@pytest.mark.local_stripe
def test_onboarding_goes_to_stripe_and_back_and_the_shop_can_then_sell(logged_a, staff_a, stripe_local):
    import urllib.request

    response = logged_a.post(reverse("backoffice:payments-onboard"))
    assert response.status_code == 302 and response["Location"].startswith(stripe_local + "/_config/connect/onboard/")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:  # the merchant fills in Stripe's form; the local server completes it at once
        urllib.request.build_opener(NoRedirect).open(response["Location"], timeout=5)
    except urllib.error.HTTPError as back:
        assert back.code == 302
        return_url = back.headers["Location"]
    assert return_url.endswith(reverse("backoffice:payments-return"))

    page = logged_a.get(return_url.replace("http://testserver", ""), follow=True).content.decode()

    assert "Votre compte de paiement est prêt : vos produits peuvent être vendus." in page
    assert ShopPaymentAccount.objects.get(shop=staff_a[1]).is_usable


@override_settings(STRIPE_API_BASE="http://127.0.0.1:1")  # nothing listens there
def test_onboarding_while_stripe_is_unreachable_says_so_without_error(logged_a, staff_a):
    response = logged_a.post(reverse("backoffice:payments-onboard"), follow=True)
    assert response.status_code == 200
    assert "Paiement indisponible, réessayez dans un instant." in response.content.decode()
    assert not ShopPaymentAccount.objects.filter(shop=staff_a[1]).exclude(stripe_account_id="").exists()


def test_money_page_shows_only_this_shops_totals_for_the_period(logged_a, staff_a):
    _, other = merchant(username="voisin")
    ledger_entries(shop=staff_a[1], order_number="100001", moves=SETTLED)
    ledger_entries(shop=staff_a[1], order_number="100002", moves={"capture": 500, "refund": 500})
    ledger_entries(shop=other, order_number="VOISIN-1", moves={"capture": 99_900, "transfer": 99_000})
    ledger_entries(shop=staff_a[1], order_number="ANCIENNE", moves={"capture": 7_000},
                   when=timezone.now() - dt.timedelta(days=400))

    response = logged_a.get(reverse("backoffice:money"))

    page = response.content.decode()
    summary = response.context["summary"]
    assert (summary.captured, summary.refunded, summary.net_transfers) == (1700, 500, 1134)
    assert "VOISIN-1" not in page and "ANCIENNE" not in page
    assert "17,00 €" in page and "11,34 €" in page


def test_money_page_query_count_does_not_grow_with_the_movements(logged_a, staff_a, django_assert_max_num_queries):
    ledger_entries(shop=staff_a[1], order_number="100001", moves=SETTLED)
    with django_assert_max_num_queries(20) as few:
        logged_a.get(reverse("backoffice:money"))
    for number in range(30):
        ledger_entries(shop=staff_a[1], order_number=f"2000{number:02d}", moves=SETTLED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        logged_a.get(reverse("backoffice:money"))


@pytest.mark.parametrize("query, message", [
    ({"du": "31/02/2026"}, "Date de début invalide"),
    ({"du": "2026-05-10", "au": "2026-05-01"}, "La date de fin doit suivre la date de début."),
    ({"du": "2020-01-01", "au": "2026-01-01"}, "Choisissez une période d’un an au plus."),
])
def test_a_bad_period_is_a_french_message_not_a_500(logged_a, query, message):
    response = logged_a.get(reverse("backoffice:money"), query)
    assert response.status_code == 200 and message in response.content.decode()
    assert logged_a.get(reverse("backoffice:money-export"), query).status_code == 200


def test_csv_export_has_the_periods_movements_and_escapes_formulas(logged_a, staff_a):
    ledger_entries(shop=staff_a[1], order_number="=HYPERLINK(\"x\")", moves=SETTLED)
    response = logged_a.get(reverse("backoffice:money-export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["date", "commande", "commerce", "mouvement", "montant (€)", "référence Stripe"]
    assert {(r[1], r[3], r[4]) for r in rows[1:]} == {
        ("'=HYPERLINK(\"x\")", "Vente encaissée", "12,00"),
        ("'=HYPERLINK(\"x\")", "Commission de la ville", "0,66"),
        ("'=HYPERLINK(\"x\")", "Virement au commerce", "11,34"),
    }


@pytest.mark.parametrize("name", ["payments", "money", "money-export"])
def test_the_shops_staff_who_are_not_its_owner_do_not_see_its_money(client, staff_a, name):
    employee, _ = merchant(shop=staff_a[1], username="vendeur")
    ledger_entries(shop=staff_a[1], order_number="100001", moves=SETTLED)
    client.force_login(employee)
    response = client.get(reverse(f"backoffice:{name}"))
    assert response.status_code == 403 and "12,00" not in response.content.decode()
    assert client.post(reverse("backoffice:payments-onboard")).status_code == 403
