"""The manager's money page: staff only, every shop, the commission total, plans, issues."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.payments.models import CommissionPlan, ReconciliationIssue, ShopPaymentAccount
from tests.factories import ShopFactory, UserFactory
from tests.factories.backoffice import merchant
from tests.factories.payments import ShopPaymentAccountFactory, ledger_entries, plan

pytestmark = [pytest.mark.django_db, pytest.mark.ledger_unsettled]
URL = "/gestion/argent/"


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(username="manager", is_staff=True))
    return client


@pytest.fixture
def town():
    bakery, cheese = ShopFactory(name="Boulangerie"), ShopFactory(name="=Fromagerie")
    ShopPaymentAccountFactory(shop=bakery)
    ledger_entries(shop=bakery, order_number="100001", moves={"capture": 1200, "commission": 66, "transfer": 1134})
    ledger_entries(shop=cheese, order_number="100002", moves={"capture": 2800, "commission": 154, "transfer": 2646,
                                                             "promotion": -100})
    return bakery, cheese


def test_anonymous_go_to_login_and_merchants_or_shoppers_get_403(client, town):
    assert client.get(URL)["Location"].startswith("/accounts/login/")
    merchant_user, _ = merchant(shop=town[0], username="boulanger")
    for user in (merchant_user, UserFactory(username="client")):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(reverse("payments-manager:shop-plan"), {"shop": town[0].pk}).status_code == 403


def test_the_manager_sees_every_shop_and_the_commission_total(manager, town):
    response = manager.get(URL)
    page = response.content.decode()
    assert response.context["summary"].commission == 220
    assert response.context["summary"].town_share == 120  # 2,20 € commission − 1,00 € town discount
    assert '<strong id="commission-total">2,20 €</strong>' in page
    assert [row["name"] for row in response.context["by_shop"]] == ["=Fromagerie", "Boulangerie"]
    assert "1 commerce n’a pas de compte de paiement utilisable" in page


def test_page_queries_do_not_grow_with_shops_and_orders(manager, town, django_assert_max_num_queries):
    with django_assert_max_num_queries(30) as few:
        manager.get(URL)
    for number in range(15):
        ledger_entries(shop=ShopFactory(), order_number=f"3000{number:02d}", moves={"capture": 100, "transfer": 95,
                                                                                   "commission": 5})
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager.get(URL)


def test_csv_by_shop_escapes_names_that_look_like_formulas(manager, town):
    response = manager.get(reverse("payments-manager:money-export"), {"par": "commerce"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "commerce"
    # The town's discount reads as what it paid (1,00 €); what is left to transfer closes the row.
    assert ["'=Fromagerie", "28,00", "0,00", "1,54", "1,00", "0,00", "26,46", "0,00", "1,00"] in rows


def test_the_manager_changes_a_rate_with_a_decimal_comma(manager):
    solo = plan("solo")
    response = manager.post(reverse("payments-manager:plan-update", args=[solo.pk]),
                            {f"plan{solo.pk}-name": "Solo", f"plan{solo.pk}-rate": "8,5"}, follow=True)
    assert "Plan « Solo » enregistré : 8,5 % pour les prochaines commandes." in response.content.decode()
    assert CommissionPlan.objects.get(pk=solo.pk).rate == Decimal("8.50")


@pytest.mark.parametrize("rate, message", [("abc", "Taux invalide"), ("150", "compris entre 0 et 100"),
                                           ("-1", "compris entre 0 et 100"), ("", "obligatoire"),
                                           ("5,555", "Deux décimales au plus")])
def test_a_bad_rate_is_refused_in_french_and_nothing_changes(manager, rate, message):
    solo = plan("solo")
    response = manager.post(reverse("payments-manager:plan-update", args=[solo.pk]),
                            {f"plan{solo.pk}-name": "Solo", f"plan{solo.pk}-rate": rate}, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    assert CommissionPlan.objects.get(pk=solo.pk).rate == Decimal("9.00")


def test_the_manager_puts_a_shop_on_the_solo_plan(manager, town):
    response = manager.post(reverse("payments-manager:shop-plan"), {"shop": town[1].pk, "plan": plan("solo").pk})
    assert response.status_code == 302
    assert ShopPaymentAccount.objects.get(shop=town[1]).plan.code == "solo"


@pytest.mark.parametrize("data", [{"shop": "999999", "plan": ""}, {"shop": "x"}, {"plan": "1"},
                                  {"shop": "1", "plan": "999999"}])
def test_bad_shop_plan_posts_are_refused_without_change(manager, town, data):
    before = list(ShopPaymentAccount.objects.values())
    response = manager.post(reverse("payments-manager:shop-plan"), data, follow=True)
    assert response.status_code == 200 and "alert" in response.content.decode()
    assert list(ShopPaymentAccount.objects.values()) == before


def test_an_issue_is_marked_as_handled(manager, town):
    payment = ledger_entries(shop=town[0], order_number="100003", moves={"capture": 100, "transfer": 95,
                                                                         "commission": 5})
    issue = ReconciliationIssue.objects.create(payment=payment, code="ledger", message="Écart de 1 centime.")
    assert "Écart de 1 centime." in manager.get(URL).content.decode()
    assert manager.get(reverse("payments-manager:issue-resolve", args=[issue.pk])).status_code == 405
    manager.post(reverse("payments-manager:issue-resolve", args=[issue.pk]))
    issue.refresh_from_db()
    assert issue.resolved_at is not None
    assert manager.post(reverse("payments-manager:issue-resolve", args=[999999])).status_code == 404


def test_every_manager_post_needs_a_csrf_token(town):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="manager", is_staff=True))
    solo = plan("solo")
    for url, data in [(reverse("payments-manager:plan-update", args=[solo.pk]), {f"plan{solo.pk}-rate": "1"}),
                      (reverse("payments-manager:shop-plan"), {"shop": town[0].pk, "plan": solo.pk})]:
        assert client.post(url, data).status_code == 403
    assert CommissionPlan.objects.get(pk=solo.pk).rate == Decimal("9.00")


def test_the_dashboard_menu_leads_to_the_money_page(manager):
    page = manager.get("/dashboard/").content.decode()
    assert "Argent de la ville" in page and URL in page
