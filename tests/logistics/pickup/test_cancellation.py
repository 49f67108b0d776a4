"""The shopper cancels while nothing is prepared: stock and slot capacity back, the refund
hook, one e-mail; afterwards the page says why it cannot."""
from __future__ import annotations

import html

import pytest
from django.core import mail

from marketplace.notifications.models import NotificationEvent, OrderNotification
from marketplace.order.models import CancelReason, ShopOrderStatus
from marketplace.partner.models import StockRecord
from logistics.pickup.tokens import order_status_path
from tests.factories.pickup import order_with_parts, part_advance
from tests.support.consequences import ConsequenceCalls

pytestmark = pytest.mark.django_db
S = ShopOrderStatus


def _cancel_url(order):
    return order_status_path(order_number=order.number) + "annuler/"


def test_a_guest_cancels_from_the_order_link(client, django_capture_on_commit_callbacks):
    order = order_with_parts(count=3)
    part_advance(order.shop_orders.order_by("pk").first(), to="accepted")
    slot = order.shop_orders.first().slot
    slot.refresh_from_db()
    booked = slot.booked
    with ConsequenceCalls("order_cancelled") as cancelled:
        page = client.get(order_status_path(order_number=order.number)).content.decode()
        assert "Annuler ma commande" in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(_cancel_url(order), follow=True)
    sent = [(c["shop_order"], c["reason"]) for c in cancelled.committed]

    assert "est annulée" in html.unescape(response.content.decode())
    assert {(p.status, p.cancel_reason) for p in order.shop_orders.all()} == {(S.CANCELLED, CancelReason.SHOPPER)}
    assert all(r.num_allocated == 0 for r in StockRecord.objects.filter(pk__in=order.lines.values("stockrecord")))
    slot.refresh_from_db()
    assert slot.booked == booked - 1
    assert sent == [(None, "shopper")]
    assert OrderNotification.objects.filter(order=order, event=NotificationEvent.ORDER_CANCELLED).count() == 1
    assert [m.subject for m in mail.outbox] == [f"Commande n° {order.number} annulée"]
    assert "Annuler ma commande" not in response.content.decode()


def test_once_a_shop_prepares_the_shopper_can_no_longer_cancel(client):
    order = order_with_parts(count=2)
    preparing = part_advance(order.shop_orders.order_by("pk").first(), to="preparing")

    page = client.get(order_status_path(order_number=order.number)).content.decode()
    assert "Annuler ma commande" not in page
    response = client.post(_cancel_url(order), follow=True)

    assert f"La préparation a commencé chez « {preparing.shop.name} »" in html.unescape(response.content.decode())
    assert not order.shop_orders.filter(status=S.CANCELLED).exists()
    assert not OrderNotification.objects.filter(order=order, event=NotificationEvent.ORDER_CANCELLED).exists()


def test_a_registered_shopper_cancels_from_the_link_too(client):
    from tests.factories import UserFactory

    order = order_with_parts(count=1, user=UserFactory())
    client.post(_cancel_url(order))
    assert order.shop_orders.get().status == S.CANCELLED


def test_cancelling_with_a_tampered_link_is_a_404(client):
    order = order_with_parts(count=1)
    path = _cancel_url(order).replace(order_status_path(order_number=order.number).split("/")[-2], "f" * 32)
    assert client.post(path).status_code == 404
    assert order.shop_orders.get().status == S.NEW


def test_the_cancel_link_only_accepts_post(client):
    order = order_with_parts(count=1)
    assert client.get(_cancel_url(order)).status_code == 405
