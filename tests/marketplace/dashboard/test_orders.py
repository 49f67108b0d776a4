"""The manager's dashboard reads money as it stands: charged less refunded, payment state now.

Orders are paid by card and settled against the local Stripe server (capture after
missing items, refund at pickup), as the checkout and the merchants' workflow leave them.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.apps.payment.models import Source, SourceType

from marketplace.order.models import Order
from marketplace.payments import services
from tests.factories import UserFactory
from tests.factories.payments import LineSpec, items_remove
from tests.marketplace.payments.helpers import connected_shop, order_paid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_local")]

CHECKOUT_STATUS = "Carte autorisée"  # what the checkout writes on the order, once


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(username="gestion", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def bakery():
    return connected_shop(name="Boulangerie Muller")


def paid(*lines):
    """An order as the checkout leaves it: authorised, with Oscar's record of the card."""
    order, payment = order_paid(*lines)
    Order.objects.filter(pk=order.pk).update(status=CHECKOUT_STATUS)
    kind, _ = SourceType.objects.get_or_create(code="stripe-card", defaults={"name": "Carte bancaire (Stripe)"})
    Source.objects.create(order=order, source_type=kind, currency="EUR", reference=payment.intent_id,
                          amount_allocated=Decimal(payment.amount_authorised_cents) / 100)
    return order, payment


def charged_less_than_authorised(shop):
    """Authorised 43,50 €; 16,20 € of it found missing before capture: charged 27,30 €."""
    order, payment = paid(LineSpec(shop, "27.30"), LineSpec(shop, "16.20"))
    items_remove(order, {order.lines.get(unit_price_incl_tax=Decimal("16.20")): 1})
    services.payment_ready_mark(order=order)
    services.payment_settle(payment_id=payment.pk)
    return order


def partly_refunded(shop):
    """Charged 40,00 €; two 5,00 € items missing at pickup: 10,00 € refunded, 30,00 € net."""
    order, payment = paid(LineSpec(shop, "5.00", quantity=4), LineSpec(shop, "20.00"))
    services.payment_ready_mark(order=order)
    services.payment_settle(payment_id=payment.pk)
    items_remove(order, {order.lines.get(unit_price_incl_tax=Decimal("5.00")): 2})
    services.payment_settle(payment_id=payment.pk)
    return order


def only_authorised(shop):
    order, _ = paid(LineSpec(shop, "12.00"))
    return order


def rows_of(response) -> dict[str, tuple[str, str]]:
    page = lxml.html.fromstring(response.content.decode())
    return {row.get("data-order"): (" ".join(" ".join(row.xpath('./td[contains(@class,"order-net")]')[0].itertext()).split()),
                                    row.xpath('./td[contains(@class,"order-state")]')[0].text_content().strip())
            for row in page.xpath('//table[@id="order-list"]/tbody/tr')}


def test_the_order_list_shows_what_was_charged_less_refunded_and_the_payment_state_now(manager, bakery):
    lower, refunded, waiting = charged_less_than_authorised(bakery), partly_refunded(bakery), only_authorised(bakery)

    rows = rows_of(manager.get(reverse("dashboard:order-list")))

    assert rows[lower.number] == ("27,30 €", "Encaissée")
    assert rows[refunded.number] == ("30,00 € 40,00 € encaissés, 10,00 € remboursés", "Partiellement remboursée")
    assert rows[waiting.number] == ("0,00 € 12,00 € autorisés, rien encaissé", "Carte autorisée")


def test_the_order_page_shows_the_payment_and_oscars_card_record_follows_it(manager, bakery):
    lower, refunded = charged_less_than_authorised(bakery), partly_refunded(bakery)

    page = lxml.html.fromstring(manager.get(reverse("dashboard:order-detail", args=[lower.number])).content.decode())
    money = [" ".join(td.text_content().split()) for td in page.xpath('//table[@id="order-money"]//td')]
    assert money[:5] == ["27,30 €", "Encaissée", "43,50 €", "27,30 €", "0,00 €"]

    source = Source.objects.get(order=refunded)
    assert (source.amount_allocated, source.amount_debited, source.amount_refunded) == (
        Decimal("40.00"), Decimal("40.00"), Decimal("10.00"))
    assert sorted((t.txn_type, t.amount) for t in source.transactions.all()) == [
        ("Debit", Decimal("40.00")), ("Refund", Decimal("10.00"))]
    page = manager.get(reverse("dashboard:order-detail", args=[refunded.number])).content.decode()
    assert "Partiellement remboursée" in page


def test_the_dashboard_revenue_counts_charges_less_refunds_never_authorisations(manager, bakery):
    charged_less_than_authorised(bakery), partly_refunded(bakery), only_authorised(bakery)

    home = manager.get(reverse("dashboard:index"))

    assert home.context["total_revenue"] == Decimal("57.30")  # 27,30 + 30,00; the 12,00 € hold is not revenue
    assert home.context["total_revenue_last_day"] == Decimal("57.30")
    assert home.context["average_order_costs"] == Decimal("19.10")
    assert sum(bar["total_incl_tax"] for bar in home.context["hourly_report_dict"]["order_total_hourly"]) == Decimal(
        "57.30")
    assert {row["status"]: row["freq"] for row in home.context["order_status_breakdown"]} == {
        "Encaissée": 1, "Partiellement remboursée": 1, "Carte autorisée": 1}
    stats = manager.get(reverse("dashboard:order-stats"))
    assert stats.context["total_revenue_cents"] == 5730
    assert "57,30 €" in stats.content.decode()


def test_the_list_filters_on_the_payment_state_and_its_csv_has_the_same_amounts(manager, bakery):
    lower, refunded, waiting = charged_less_than_authorised(bakery), partly_refunded(bakery), only_authorised(bakery)

    assert set(rows_of(manager.get(reverse("dashboard:order-list"), {"status": "partly_refunded"}))) == {
        refunded.number}
    response = manager.get(reverse("dashboard:order-list"), {"response_format": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = {name: i for i, name in enumerate(table[0])}
    values = {row[0]: (row[column["Encaissé net (€)"]], row[column["État du paiement"]]) for row in table[1:]}
    assert values == {lower.number: ("27,30", "Encaissée"), refunded.number: ("30,00", "Partiellement remboursée"),
                      waiting.number: ("0,00", "Carte autorisée")}


def test_the_orders_report_shows_what_was_charged_less_refunded(manager, bakery):
    lower, refunded = charged_less_than_authorised(bakery), partly_refunded(bakery)
    today = lower.date_placed.date().isoformat()
    query = {"report_type": "order_report", "date_from": today, "date_to": today}

    page = lxml.html.fromstring(manager.get(reverse("dashboard:reports-index"), query).content.decode())
    rows = {row.get("data-order"): (row.xpath('./td[contains(@class,"order-net")]')[0].text_content().strip(),
                                    row.xpath('./td[contains(@class,"order-state")]')[0].text_content().strip())
            for row in page.xpath('//table[@id="order-report"]//tr[@data-order]')}
    assert rows == {lower.number: ("27,30 €", "Encaissée"), refunded.number: ("30,00 €", "Partiellement remboursée")}
    response = manager.get(reverse("dashboard:reports-index"), {**query, "download": "true"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {(row[0], row[3], row[4]) for row in table[1:]} == {
        (lower.number, "27,30", "Encaissée"), (refunded.number, "30,00", "Partiellement remboursée")}


def test_an_unknown_payment_state_is_a_french_message_and_filters_nothing(manager, bakery):
    only_authorised(bakery)
    response = manager.get(reverse("dashboard:order-list"), {"status": "<script>"})
    assert response.status_code == 200
    assert "État de paiement inconnu." in response.content.decode()


@pytest.mark.parametrize("name", ["dashboard:order-list", "dashboard:index", "dashboard:order-stats"])
def test_dashboard_pages_run_as_many_queries_for_two_orders_as_for_six(manager, bakery, name):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager.get(reverse(name)).status_code == 200
        return len(captured)

    charged_less_than_authorised(bakery), partly_refunded(bakery)
    few = queries()
    for _ in range(2):
        charged_less_than_authorised(bakery), partly_refunded(bakery)
    assert queries() == few
