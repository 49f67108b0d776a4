"""The shopper's receipt once the order is collected: one e-mail, when the last part is handed
over, with what was taken and the amount charged after unavailable items."""
from __future__ import annotations

import pytest
from django.core import mail

from marketplace.notifications.models import NotificationEvent, NotificationStatus, OrderNotification
from marketplace.order import services as order_services
from logistics.pickup.exceptions import CodeNotFound
from logistics.pickup.models import PickupCode
from logistics.pickup.services.handover import Place, handover_collect
from tests.factories.pickup import merchant_of, order_with_parts, part_advance

pytestmark = pytest.mark.django_db
E = NotificationEvent


def _dropped_order(point, **kwargs):
    order = order_with_parts(count=2, point=point, guest_email="camille@exemple.fr", **kwargs)
    for part in order.shop_orders.all():
        part_advance(part, to="dropped")
    return order


def _collect(point, staff, order, parts, capture):
    with capture(execute=True):
        return handover_collect(place=Place(point=point), user=staff, code_text=PickupCode.objects.get(order=order).code,
                                shop_order_ids=[p.pk for p in parts], ip="127.0.0.1")


def _receipts(order):
    return [m for m in mail.outbox if m.subject == f"Votre reçu : commande n° {order.number} retirée"]


def test_collecting_the_whole_order_sends_one_french_receipt_to_the_shopper(
    point, staff, django_capture_on_commit_callbacks
):
    order = _dropped_order(point, quantity=2, price="4.50")
    parts = list(order.shop_orders.order_by("pk"))

    _collect(point, staff, order, parts, django_capture_on_commit_callbacks)

    row = OrderNotification.objects.get(order=order, event=E.ORDER_COLLECTED)
    assert (row.recipient, row.status) == ("camille@exemple.fr", NotificationStatus.SENT)
    [receipt] = _receipts(order)
    assert receipt.to == ["camille@exemple.fr"]
    assert "Merci, votre commande est retirée." in receipt.body
    for part in parts:
        assert part.shop.name in receipt.body and f"2 × {part.lines.get().title}" in receipt.body
    assert "Montant débité : 18,00 € TTC" in receipt.body and "Commande de" not in receipt.body
    assert '<html lang="fr">' in receipt.alternatives[0][0]


def test_a_partial_handover_sends_the_receipt_only_with_the_last_part(point, staff, django_capture_on_commit_callbacks):
    order = _dropped_order(point)
    first, second = order.shop_orders.order_by("pk")

    _collect(point, staff, order, [first], django_capture_on_commit_callbacks)
    assert _receipts(order) == []

    _collect(point, staff, order, [second], django_capture_on_commit_callbacks)
    assert len(_receipts(order)) == 1


def test_handing_over_again_sends_no_second_receipt(point, staff, django_capture_on_commit_callbacks):
    order = _dropped_order(point)
    parts = list(order.shop_orders.all())
    code = PickupCode.objects.get(order=order).code
    _collect(point, staff, order, parts, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CodeNotFound):
        handover_collect(place=Place(point=point), user=staff, code_text=code, shop_order_ids=[p.pk for p in parts],
                         ip="127.0.0.1")

    assert len(_receipts(order)) == 1
    assert OrderNotification.objects.filter(order=order, event=E.ORDER_COLLECTED).count() == 1


def test_the_receipt_charges_what_was_supplied_and_leaves_out_a_cancelled_part(
    point, staff, django_capture_on_commit_callbacks
):
    order = order_with_parts(count=3, point=point, guest_email="camille@exemple.fr", quantity=2, price="4.50")
    short, full, cancelled = order.shop_orders.order_by("pk")
    order_services.shop_order_lines_unavailable(
        shop_order=short, user=merchant_of(short.shop), quantities={short.lines.get().pk: 1}
    )
    order_services.shop_order_cancel(shop_order=cancelled, user=merchant_of(cancelled.shop))
    for part in (short, full):
        part_advance(part, to="dropped")

    _collect(point, staff, order, [short, full], django_capture_on_commit_callbacks)

    [receipt] = _receipts(order)
    assert "Montant débité : 13,50 € TTC" in receipt.body  # 4,50 + 9,00
    assert "Commande de 27,00 €" in receipt.body
    assert "(1 indisponible, non débité)" in receipt.body
    assert cancelled.shop.name not in receipt.body


def test_an_order_closed_without_anything_collected_gets_no_receipt(django_capture_on_commit_callbacks):
    order = order_with_parts(count=1, mode="shops", guest_email="camille@exemple.fr")
    part = order.shop_orders.get()
    with django_capture_on_commit_callbacks(execute=True):
        order_services.shop_order_cancel(shop_order=part, user=merchant_of(part.shop))

    assert not OrderNotification.objects.filter(order=order, event=E.ORDER_COLLECTED).exists()


def test_at_the_shops_the_last_counter_handover_sends_the_receipt(django_capture_on_commit_callbacks):
    order = order_with_parts(count=2, mode="shops", guest_email="camille@exemple.fr")
    first, second = order.shop_orders.order_by("pk")
    for part in (first, second):
        part_advance(part, to="ready")

    with django_capture_on_commit_callbacks(execute=True):
        order_services.shop_order_collect(shop_order=first, user=merchant_of(first.shop))
    assert _receipts(order) == []
    with django_capture_on_commit_callbacks(execute=True):
        order_services.shop_order_collect(shop_order=second, user=merchant_of(second.shop))
    assert len(_receipts(order)) == 1
