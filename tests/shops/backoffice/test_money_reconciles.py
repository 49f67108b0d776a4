"""The merchant's money page adds up to the cent and says what the ledger says, whoever funds
the discounts, with unavailable items, refunds and reversals (orders paid and settled
against the local Stripe server)."""
from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from marketplace.payments import services
from marketplace.payments.models import MEMO_KINDS, EntryKind, LedgerEntry, Payment
from tests.factories.backoffice import merchant
from tests.factories.payments import LineSpec, items_remove
from tests.marketplace.payments.helpers import connected_shop, order_paid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_local")]

TOWN_OFFER, SHOP_OFFER = "Remise de la ville", "Remise du commerçant"


def cents_of(text: str) -> int:
    """« − 1 234,56 € » → -123456 (the page's French amounts, signs included)."""
    compact = re.sub(r"[\s\u00a0\u202f€]", "", text)
    sign = -1 if compact.startswith(("−", "-")) else 1
    whole, decimals = compact.lstrip("+−-").split(",")
    return sign * (int(whole) * 100 + int(decimals))


def money_page(client, **query):
    today = timezone.localdate().isoformat()
    response = client.get(reverse("backoffice:money"), {"du": today, "au": today, **query})
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def summary_of(page) -> dict[str, int]:
    """The summary's rows: their heading (without its explanation) → cents."""
    table = page.xpath('//table[@aria-label="Totaux de la période"]')[0]
    return {row.xpath("./th")[0].text.strip(): cents_of(row.xpath("./td")[0].text_content())
            for row in table.xpath(".//tr")}


def movements_of(page) -> list[tuple[str, str, int]]:
    """(order number, movement, cents) of each line of the movements table."""
    rows = page.xpath('//h2[text()="Mouvements"]/following::table[1]/tbody/tr[count(td)=4]')
    return [(r[1].text_content().strip(), r[2].text_content().strip(), cents_of(r[3].text_content())) for r in rows]


def ledger_of(shop) -> dict[str, int]:
    sums: dict[str, int] = defaultdict(int)
    for kind, cents in LedgerEntry.objects.filter(shop=shop).exclude(kind__in=MEMO_KINDS).values_list(
        "kind", "amount_cents"
    ):
        sums[kind] += cents
    return sums


def assert_page_matches_the_ledger(client, shop) -> dict[str, int]:
    page = money_page(client)
    summary, ledger = summary_of(page), ledger_of(shop)
    expected = {
        "Ventes encaissées": ledger[EntryKind.CAPTURE],
        "Remboursements aux clients": -ledger[EntryKind.REFUND],
        "Ventes nettes": ledger[EntryKind.CAPTURE] - ledger[EntryKind.REFUND],
        "Remises financées par la ville": -ledger[EntryKind.PROMOTION],  # paid to the shop
        "Commission de la ville": -ledger[EntryKind.COMMISSION],
        "Virements reçus": ledger[EntryKind.TRANSFER],
        "Reprises sur virements": -ledger[EntryKind.REVERSAL],
        "Virements nets": ledger[EntryKind.TRANSFER] - ledger[EntryKind.REVERSAL],
        "Reste à virer": 0,  # every order settled, every account usable
    }
    expected["Votre part"] = (expected["Ventes nettes"] + expected["Remises financées par la ville"]
                              + expected["Commission de la ville"])
    assert summary == expected
    # It adds up: what the shop is due is what it was transferred, to the cent.
    assert summary["Votre part"] == summary["Virements nets"]

    lines = movements_of(page)
    assert all(n == 1 for n in Counter((number, label) for number, label, _ in lines).values()), lines
    by_label: dict[str, int] = defaultdict(int)
    for _, label, cents in lines:
        by_label[label] += cents
    assert by_label.get("Vente encaissée", 0) == summary["Ventes encaissées"]
    assert by_label.get("Remise financée par la ville", 0) == summary["Remises financées par la ville"]
    assert by_label.get("Commission de la ville", 0) == -summary["Commission de la ville"]
    assert by_label.get("Virement au commerce", 0) == summary["Virements reçus"]

    today = timezone.localdate().isoformat()
    export = client.get(reverse("backoffice:money-export"), {"du": today, "au": today})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))[1:]
    assert sorted((r[1], r[3], cents_of(r[4])) for r in rows) == sorted(lines)
    return summary


def test_a_town_funded_discount_is_paid_to_the_shop_and_the_summary_adds_up(client):
    # The order of the report: 48,60 € of goods, 3,24 € off paid by the town; the shopper
    # pays 45,36 €, the commission is 5,5 % of 48,60 € = 2,67 €, the shop gets 45,93 €.
    shop = connected_shop(name="Boulangerie Muller")
    owner, _ = merchant(shop=shop, role="owner")
    client.force_login(owner)
    order, payment = order_paid(LineSpec(shop, "16.20", quantity=3, discount="3.24"))
    services.payment_ready_mark(order=order)
    services.payment_settle(payment_id=payment.pk)

    summary = assert_page_matches_the_ledger(client, shop)

    assert summary["Ventes nettes"] == 4536 and summary["Remises financées par la ville"] == 324
    assert summary["Commission de la ville"] == -267 and summary["Votre part"] == summary["Virements nets"] == 4593
    lines = movements_of(money_page(client))
    assert (order.number, "Remise financée par la ville", 324) in lines
    # Two Stripe transfers (45,36 € from the charge, 0,57 € from the town's balance), one line.
    assert LedgerEntry.objects.filter(payment=payment, kind=EntryKind.TRANSFER).count() == 2
    assert [line for line in lines if line[1] == "Virement au commerce"] == [
        (order.number, "Virement au commerce", 4593)
    ]


line_spec = st.tuples(
    st.integers(1, 4_000),  # unit price, cents
    st.integers(1, 4),  # quantity
    st.integers(0, 100),  # discount, % of the line
    st.integers(0, 4),  # units found missing before capture
    st.integers(0, 4),  # units found missing at pickup (refunded)
)
order_spec = st.fixed_dictionaries({
    "lines": st.lists(line_spec, min_size=1, max_size=3),
    "offer": st.sampled_from([TOWN_OFFER, SHOP_OFFER]),
    "neighbour": st.booleans(),  # another shop's line in the same order
    "shipping": st.sampled_from(["0", "2.50"]),
    "cancel": st.sampled_from(["", "before_capture", "no_show"]),
})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(orders=st.lists(order_spec, min_size=1, max_size=3))
def test_the_money_summary_adds_up_to_the_cent_for_any_orders(client, orders):
    shop, neighbour = connected_shop(), connected_shop()
    owner, _ = merchant(shop=shop, role="owner")
    client.force_login(owner)
    for spec in orders:
        lines = []
        for unit, quantity, percent, _, _ in spec["lines"]:
            before = unit * quantity
            discount = before * percent // 100
            assume(before - discount > 0)
            lines.append(LineSpec(shop, Decimal(unit) / 100, quantity=quantity, discount=Decimal(discount) / 100))
        if spec["neighbour"]:
            lines.append(LineSpec(neighbour, "7.80", quantity=2, discount="1.00"))
        assume(sum(Decimal(line.unit_price) * line.quantity - Decimal(line.discount) for line in lines) >= 1)
        order, payment = order_paid(*lines, shipping=spec["shipping"], offer_name=spec["offer"],
                                    funder="shop" if spec["offer"] == SHOP_OFFER else "town")
        ours = list(order.lines.filter(partner=shop.partner).order_by("pk"))

        items_remove(order, {line: min(missing, line.quantity)
                             for line, (_, _, _, missing, _) in zip(ours, spec["lines"]) if missing})
        if spec["cancel"] == "before_capture":
            services.payment_part_cancel(order=order, shop_id=shop.pk, reason="merchant")
        services.payment_ready_mark(order=order)
        services.payment_settle(payment_id=payment.pk)

        for line, (_, _, _, _missing, at_pickup) in zip(ours, spec["lines"]):
            line.refresh_from_db()
            if at_pickup and line.quantity_remaining:
                items_remove(order, {line: min(at_pickup, line.quantity_remaining)})
        services.payment_settle(payment_id=payment.pk)
        if spec["cancel"] == "no_show":
            services.payment_part_cancel(order=order, shop_id=shop.pk, reason="no_show")
            services.payment_settle(payment_id=payment.pk)
        assert services.payment_check(payment=Payment.objects.get(pk=payment.pk), with_stripe=True) == {}

    assert_page_matches_the_ledger(client, shop)


def test_the_merchants_order_page_says_what_the_town_adds_to_a_discounted_part(logged_a, staff_a):
    from marketplace.order.models import Line, OrderDiscount, OrderLineDiscount, ShopOrder
    from tests.factories import StockRecordFactory
    from tests.factories.orders import order_placed

    offer = StockRecordFactory(shop=staff_a[1], price=Decimal("16.20"), num_in_stock=5)
    order = order_placed(items=[(offer, 3)])  # 48,60 €, 3,24 € of it off, paid by the town
    line = order.lines.get()
    discount = OrderDiscount.objects.create(order=order, offer_id=1, offer_name=TOWN_OFFER, amount=Decimal("3.24"))
    OrderLineDiscount.objects.create(line=line, order_discount=discount, is_incl_tax=True, amount=Decimal("3.24"))
    Line.objects.filter(pk=line.pk).update(line_price_incl_tax=Decimal("45.36"))
    ShopOrder.objects.filter(order=order).update(total_incl_tax=Decimal("45.36"))

    page = logged_a.get(reverse("backoffice:order-detail", args=[order.shop_orders.get().pk])).content.decode()

    assert "45,36" in page
    assert "<strong>3,24 €</strong> de remise financée par la ville, versés avec votre virement" in page
