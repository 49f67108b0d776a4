"""A shopper sees the same amounts, per shop and in total, with the same discounts, on the basket,
the checkout summary, the confirmation, the order page and every e-mail; after a shop marks a
line missing, the order page and every later e-mail agree on the new amounts.

Built through the real pages and services: add to basket, a town offer and a voucher,
counter pickup at each shop, the card authorised on the local Stripe server, the
merchant's « indisponible », the outbox's e-mails.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import lxml.html
import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from logistics.pickup.models import PickupCode
from logistics.pickup.services.handover import handover_collect, place_of_shop
from logistics.pickup.tokens import order_status_path
from marketplace.notifications.messages import notification_message_build
from marketplace.notifications.models import NotificationEvent, OrderNotification
from marketplace.order import services as order_services
from marketplace.order.models import Order
from tests.factories.backoffice import merchant
from tests.factories.offer import BenefitFactory, ConditionalOfferFactory, ConditionFactory
from tests.factories.pickup import merchant_of, part_advance
from tests.marketplace.checkout.conftest import CARD, contact, fill_basket, hold

pytestmark = [pytest.mark.django_db]
ConditionalOffer = get_model("offer", "ConditionalOffer")
Benefit = get_model("offer", "Benefit")
Voucher = get_model("voucher", "Voucher")


def money(text: str) -> Decimal:
    """« −1 234,56 € » → Decimal("-1234.56")."""
    compact = re.sub(r"[\s\u00a0\u202f€]", "", text)
    sign = -1 if compact.startswith(("-", "−")) else 1
    return sign * Decimal(compact.lstrip("-−").replace(",", "."))


def having(name: str) -> str:
    """XPath test: the element's classes include ``name``."""
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def amounts_of_html(html: str) -> dict:
    """Per shop subtotals, discounts by name and the total, as the page shows them."""
    page = lxml.html.fromstring(html)
    shops = {e.get("data-shop-name"): money(e.text_content()) for e in page.xpath(f"//*[{having('shop-subtotal')}]")}
    discounts = {e.get("data-discount"): money(e.xpath(f".//*[{having('amount')}]")[0].text_content())
                 for e in page.xpath(f"//*[{having('order-discount')}]")}
    totals = {money(e.text_content()) for e in page.xpath(f"//*[{having('order-total')}]")}
    assert len(totals) == 1, totals
    return {"shops": shops, "discounts": discounts, "total": totals.pop()}


def amounts_of_text(body: str) -> dict:
    """The same figures read from a plain-text e-mail."""
    amount = r"(-?[\d\s\u00a0\u202f]+,\d\d\s?€)"
    shops = {name.strip(): money(value) for name, value in re.findall(r"Sous-total (.+?) : " + amount, body)}
    discounts = {name.strip(): money(value) for name, value in re.findall(r"  - (.+?) : " + amount.replace("(-?", "(-"),
                                                                          body)}
    [total] = re.findall(r"Total TTC : " + amount, body)
    return {"shops": shops, "discounts": discounts, "total": money(total)}


def email_amounts(order, event: str) -> dict:
    """The e-mail the workflow queued for ``event``, built by the outbox's own builder (HTML and text
    agree); built now, from the order as it is now, as the worker would send it."""
    notification = OrderNotification.objects.get(order=order, event=event)
    message = notification_message_build(notification=notification, message_id_domain="halle.test")
    html = amounts_of_html(message.alternatives[0][0])
    assert amounts_of_text(message.body) == html, event
    return html


@pytest.fixture
def promotions():
    """A town offer (5 € off from 30 €) and a voucher (10 % off from 10 €, code BIENVENUE)."""
    # Not exclusive: both apply to the same items (Oscar's offers are exclusive by default).
    ConditionalOfferFactory(name="Semaine du commerce local", exclusive=False)
    welcome = ConditionalOfferFactory(
        name="Bon de bienvenue", offer_type=ConditionalOffer.VOUCHER, exclusive=False, condition=ConditionFactory(value=Decimal("10.00")),
        benefit=BenefitFactory(type=Benefit.PERCENTAGE, value=Decimal("10.00")),
    )
    voucher = Voucher.objects.create(name="Bienvenue", code="BIENVENUE", usage=Voucher.MULTI_USE,
                                     start_datetime=timezone.now() - dt.timedelta(days=1),
                                     end_datetime=timezone.now() + dt.timedelta(days=30))
    voucher.offers.add(welcome)
    return voucher


def test_every_page_and_e_mail_shows_the_same_amounts_per_shop_and_in_total(
    client, town, promotions, django_capture_on_commit_callbacks
):
    for offer, price in zip(town.offers, ("12.40", "8.30", "6.90")):
        offer.price = Decimal(price)
        offer.save()
    shops = town.shops
    fill_basket(client, [(town.offers[0], 2), (town.offers[1], 3), (town.offers[2], 1)])
    added = client.post("/basket/vouchers/add/", {"code": "BIENVENUE"}, follow=True)
    assert "BIENVENUE" in " ".join(str(m) for m in added.context["messages"])

    basket = amounts_of_html(client.get("/basket/").content.decode())
    assert set(basket["discounts"]) == {"Semaine du commerce local", "Bon de réduction BIENVENUE"}
    assert all(amount < 0 for amount in basket["discounts"].values())
    assert set(basket["shops"]) == {shop.name for shop in shops}
    assert sum(basket["shops"].values()) == basket["total"]
    # 56,60 € of goods, 5,00 € and 10 % of the rest off: what the shopper pays.
    assert basket["total"] == Decimal("56.60") + sum(basket["discounts"].values())
    assert "Aucune livraison nécessaire" not in client.get("/basket/").content.decode()

    contact(client, mode="shops")
    slots = {f"slot-{shop.pk}": town.slot(town.counters[shop.pk], 0).pk for shop in shops}
    assert hold(client, mode="shops", slots=slots).status_code == 302
    preview_html = client.get("/checkout/recapitulatif/").content.decode()
    assert amounts_of_html(preview_html) == basket
    assert all(shop.address in preview_html for shop in shops)  # counter pickup: where each shop is

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/checkout/recapitulatif/", CARD).status_code == 302
    order = Order.objects.get()
    thanks_html = client.get("/checkout/merci/").content.decode()
    assert amounts_of_html(thanks_html) == basket
    assert all(shop.address in thanks_html for shop in shops)
    status_page = order_status_path(order_number=order.number)
    assert amounts_of_html(client.get(status_page).content.decode()) == basket
    assert email_amounts(order, NotificationEvent.ORDER_PLACED) == basket
    assert order.payment.amount_authorised_cents == int(basket["total"] * 100)

    # The bakery finds one of its two items missing after the order was placed.
    part = order.shop_orders.get(shop=shops[0])
    with django_capture_on_commit_callbacks(execute=True):
        order_services.shop_order_lines_unavailable(
            shop_order=part, user=merchant(shop=shops[0])[0], quantities={part.lines.get().pk: 1}
        )
    after = amounts_of_html(client.get(status_page).content.decode())
    assert after["shops"][shops[0].name] < basket["shops"][shops[0].name]
    assert {k: v for k, v in after["shops"].items() if k != shops[0].name} == {
        k: v for k, v in basket["shops"].items() if k != shops[0].name}
    assert after["total"] == sum(after["shops"].values())
    part.refresh_from_db()
    assert after["shops"][shops[0].name] == part.total_incl_tax  # what the payment captures for it
    assert email_amounts(order, NotificationEvent.PART_UNAVAILABLE) == after

    # Every shop prepares its part and hands it over at its counter, with the code.
    with django_capture_on_commit_callbacks(execute=True):
        for each in order.shop_orders.all():
            part_advance(each, to="ready")
    # The reminder the beat queues before the slot: each shop's part, where it is, what it costs.
    reminder = OrderNotification.objects.create(order=order, event=NotificationEvent.SLOT_REMINDER,
                                                recipient=order.email)
    message = notification_message_build(notification=reminder, message_id_domain="halle.test")
    assert amounts_of_html(message.alternatives[0][0]) == amounts_of_text(message.body) == after
    assert all(shop.address in message.body for shop in shops)
    for each in order.shop_orders.select_related("shop"):
        with django_capture_on_commit_callbacks(execute=True):
            handover_collect(place=place_of_shop(shop=each.shop), user=merchant_of(each.shop),
                             code_text=PickupCode.objects.get(order=order).code, shop_order_ids=[each.pk],
                             ip="127.0.0.1")
    assert amounts_of_html(client.get(status_page).content.decode()) == after
    for event in (NotificationEvent.ORDER_READY, NotificationEvent.ORDER_COLLECTED):
        assert OrderNotification.objects.filter(order=order, event=event).exists(), event  # sent by the workflow
        assert email_amounts(order, event) == after, event
