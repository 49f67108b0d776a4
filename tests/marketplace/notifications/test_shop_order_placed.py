"""A new order tells each of its merchants about their own part: once, to the shop's address
(else a staff member's), with only that shop's lines and a link to the back-office order."""
from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.checkout import services as checkout
from marketplace.checkout.exceptions import CheckoutError
from marketplace.notifications.models import NotificationEvent, NotificationStatus, OrderNotification
from marketplace.notifications.services import shop_orders_placed_notify
from marketplace.order.models import FulfilmentMode
from tests.factories.pickup import merchant_of
from tests.factories.town import basket_of, town_built

pytestmark = pytest.mark.django_db
E = NotificationEvent


@pytest.fixture
def town(settings):
    settings.HALLE_SITE_URL = "https://halle.exemple.fr"
    town = town_built(shops=2, stock=5)
    first, second = town.shops
    first.email = "boulangerie@exemple.fr"
    first.save(update_fields=["email"])
    second.email = ""
    second.save(update_fields=["email"])
    merchant_of(second)  # its only member: commercant-<slug>@halle.test
    for offer, title in zip(town.offers, ["Pain de campagne", "Savon au lait d'ânesse"]):
        offer.product.title = title
        offer.product.save(update_fields=["title"])
    return town


def _place(town, django_capture_on_commit_callbacks):
    basket = basket_of([(town.offers[0], 2), (town.offers[1], 1)])
    checkout.checkout_hold(
        basket=basket, mode=FulfilmentMode.AT_POINT, point=town.point, choices={None: town.slot(town.point).pk}
    )
    kwargs = dict(basket=basket, user=None, mode=FulfilmentMode.AT_POINT, point=town.point,
                  guest_email="camille@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        order = checkout.order_place(**kwargs)
    return order, kwargs


def _merchant_mails():
    return {m.to[0]: m for m in mail.outbox if m.to[0] != "camille@exemple.fr"}


def test_each_merchant_gets_one_french_email_with_only_its_own_lines(town, django_capture_on_commit_callbacks):
    order, _ = _place(town, django_capture_on_commit_callbacks)
    first, second = (order.shop_orders.get(shop=shop) for shop in town.shops)

    rows = OrderNotification.objects.filter(order=order, event=E.SHOP_ORDER_PLACED)
    assert dict(rows.values_list("scope", "recipient")) == {
        f"shop_order:{first.pk}": "boulangerie@exemple.fr",
        f"shop_order:{second.pk}": f"commercant-{town.shops[1].slug}@halle.test",  # no shop address: its staff
    }
    assert set(rows.values_list("status", flat=True)) == {NotificationStatus.SENT}

    mails = _merchant_mails()
    assert len(mails) == 2
    bakery = mails["boulangerie@exemple.fr"]
    assert bakery.subject.startswith(f"Nouvelle commande n° {order.number} : à préparer pour le ")
    assert "Nouvelle commande à préparer" in bakery.body
    assert "2 × Pain de campagne" in bakery.body and "Savon" not in bakery.body
    assert "Total de votre part (TTC) : 10,00 €" in bakery.body
    assert "À déposer avant le créneau : Point retrait de la Halle" in bakery.body
    detail = "https://halle.exemple.fr" + reverse("backoffice:order-detail", args=[first.pk])
    assert f"Ouvrir la commande : {detail}" in bakery.body
    html = bakery.alternatives[0][0]
    assert '<html lang="fr">' in html and f'href="{detail}"' in html
    assert "Pain de campagne" in html and "Savon" not in html
    assert "/retrait/suivi/" not in bakery.body + html  # never the shopper's status link

    soap = mails[f"commercant-{town.shops[1].slug}@halle.test"]
    assert "1 × Savon au lait d’ânesse" in soap.body or "1 × Savon au lait d'ânesse" in soap.body
    assert "Pain" not in soap.body


def test_placing_twice_or_notifying_again_sends_no_second_email(town, django_capture_on_commit_callbacks):
    order, kwargs = _place(town, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(CheckoutError, match="déjà enregistrée"):
            checkout.order_place(**kwargs)
        assert shop_orders_placed_notify(order=order, shop_orders=list(order.shop_orders.all())) == 0

    assert len(mail.outbox) == sent
    assert OrderNotification.objects.filter(order=order, event=E.SHOP_ORDER_PLACED).count() == 2


def test_a_shop_at_its_counter_is_told_the_shopper_collects_there(town, django_capture_on_commit_callbacks):
    basket = basket_of([(town.offers[0], 1)])
    counter = town.counters[town.shops[0].pk]
    checkout.checkout_hold(basket=basket, mode=FulfilmentMode.AT_SHOPS, point=None,
                           choices={checkout.basket_parts(basket=basket)[0].key: town.slot(counter).pk})
    with django_capture_on_commit_callbacks(execute=True):
        checkout.order_place(basket=basket, user=None, mode=FulfilmentMode.AT_SHOPS, point=None,
                             guest_email="camille@exemple.fr")

    assert "Le client la retire à votre comptoir." in _merchant_mails()["boulangerie@exemple.fr"].body


def test_a_shop_nobody_can_be_written_to_is_skipped_not_mailed_to_the_shopper(town, django_capture_on_commit_callbacks):
    town.shops[1].partner.users.clear()
    order, _ = _place(town, django_capture_on_commit_callbacks)

    assert list(OrderNotification.objects.filter(order=order, event=E.SHOP_ORDER_PLACED)
                .values_list("recipient", flat=True)) == ["boulangerie@exemple.fr"]
    assert all("Nouvelle commande" not in m.subject for m in mail.outbox if m.to == ["camille@exemple.fr"])
