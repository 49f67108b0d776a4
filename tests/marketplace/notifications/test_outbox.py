"""The outbox: one row per (order, event, scope), sent once after commit, retried on failure."""
from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from marketplace.notifications import services
from marketplace.notifications.models import (
    MERCHANT_EVENTS,
    POINT_EVENTS,
    NotificationEvent,
    NotificationStatus,
    OrderNotification,
)
from marketplace.notifications.services import notification_enqueue, notification_send, notifications_requeue
from logistics.pickup.models import PickupCode
from tests.factories.pickup import order_with_parts

pytestmark = pytest.mark.django_db


def test_placing_an_order_owes_and_sends_one_confirmation_in_french(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = order_with_parts(mode="shop", quantities=(2, 1), guest_email="camille@exemple.fr")

    row = OrderNotification.objects.get(order=order)
    assert (row.event, row.status, row.recipient) == (NotificationEvent.ORDER_PLACED, NotificationStatus.SENT,
                                                       "camille@exemple.fr")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"Commande n° {order.number} confirmée"
    assert "Merci, votre commande est confirmée" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="fr">' in html and "Suivre ma commande" in html
    assert f"/retrait/suivi/{order.number}/" in message.body


def test_the_same_event_twice_is_one_row_and_one_email(django_capture_on_commit_callbacks):
    order = order_with_parts(mode="shop", quantities=(1,))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_enqueue(order=order, event=NotificationEvent.ORDER_CANCELLED, payload={"reason": "shopper"})
        second = notification_enqueue(order=order, event=NotificationEvent.ORDER_CANCELLED)

    assert first is not None and second is None
    assert OrderNotification.objects.filter(order=order, event=NotificationEvent.ORDER_CANCELLED).count() == 1
    assert [m.subject for m in mail.outbox] == [f"Commande n° {order.number} annulée"]


def test_a_rolled_back_change_owes_nothing_and_sends_nothing(django_capture_on_commit_callbacks):
    order = order_with_parts(mode="shop", quantities=(1,))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notification_enqueue(order=order, event=NotificationEvent.ORDER_EXPIRED)
            raise RuntimeError("the cause fails")

    assert not OrderNotification.objects.filter(event=NotificationEvent.ORDER_EXPIRED).exists()
    assert callbacks == [] and mail.outbox == []


def test_sending_an_already_sent_row_again_sends_nothing():
    order = order_with_parts(mode="shop", quantities=(1,))
    row = OrderNotification.objects.get(order=order)

    assert notification_send(notification_id=row.pk) == "sent"
    assert notification_send(notification_id=row.pk) == "already_sent"
    assert len(mail.outbox) == 1


def test_a_mail_server_failure_is_recorded_and_retried_later_then_sent_once():
    order = order_with_parts(mode="shop", quantities=(1,))
    notification_send(notification_id=OrderNotification.objects.get(order=order).pk)  # the confirmation
    row = notification_enqueue(order=order, event=NotificationEvent.ORDER_EXPIRED)
    mail.outbox.clear()

    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("SMTP down")):
        assert notification_send(notification_id=row.pk) == "retry"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.PENDING, 1)
    assert "SMTP down" in row.last_error and row.next_attempt_at > timezone.now()

    later = row.next_attempt_at + services.REQUEUE_GRACE
    with mock.patch("marketplace.notifications.tasks.notification_send_task.delay") as delay:
        assert notifications_requeue(now=later) == 1
    delay.assert_called_once_with(row.pk)
    assert notification_send(notification_id=row.pk) == "sent"
    assert notification_send(notification_id=row.pk) == "already_sent"
    assert len(mail.outbox) == 1


def test_after_max_attempts_the_row_is_abandoned_not_retried_forever():
    order = order_with_parts(mode="shop", quantities=(1,))
    row = notification_enqueue(order=order, event=NotificationEvent.ORDER_EXPIRED)
    OrderNotification.objects.filter(pk=row.pk).update(attempts=services.MAX_ATTEMPTS - 1)

    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("refused")):
        assert notification_send(notification_id=row.pk) == "retry"
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED and row.next_attempt_at is None
    assert notification_send(notification_id=row.pk) == "failed"


def test_requeue_leaves_fresh_rows_to_their_own_task_and_ignores_sent_ones():
    order = order_with_parts(mode="shop", quantities=(1,))
    notification_send(notification_id=OrderNotification.objects.get(order=order).pk)  # the confirmation
    fresh = notification_enqueue(order=order, event=NotificationEvent.ORDER_EXPIRED)

    with mock.patch("marketplace.notifications.tasks.notification_send_task.delay") as delay:
        assert notifications_requeue(now=timezone.now()) == 0
        assert notifications_requeue(now=timezone.now() + dt.timedelta(minutes=5)) == 1
    delay.assert_called_once_with(fresh.pk)


def test_an_order_without_email_owes_nothing():
    order = order_with_parts(mode="shop", quantities=(1,), guest_email="")
    assert notification_enqueue(order=order, event=NotificationEvent.ORDER_EXPIRED) is None


def test_a_merchant_email_without_a_recipient_never_falls_back_to_the_shopper():
    order = order_with_parts(mode="shop", quantities=(1,), guest_email="camille@exemple.fr")
    assert notification_enqueue(order=order, event=NotificationEvent.DROP_REMINDER, scope="shop_order:1") is None
    assert notification_enqueue(order=order, event=NotificationEvent.DROP_REMINDER, scope="shop_order:1",
                                recipient="commerce@exemple.fr").recipient == "commerce@exemple.fr"


def test_the_ready_email_shows_the_code_and_carries_the_qr_code_inline():
    order = order_with_parts(mode="shop", quantities=(1,))
    PickupCode.objects.create(order=order, code="K7M4PQ")
    mail.outbox.clear()
    row = notification_enqueue(order=order, event=NotificationEvent.ORDER_READY)
    notification_send(notification_id=row.pk)

    message = mail.outbox[-1]
    assert message.subject == f"Commande n° {order.number} prête : code de retrait K7M-4PQ"
    assert "Votre code de retrait : K7M-4PQ" in message.body
    html = message.alternatives[0][0]
    assert 'src="cid:qr-code-retrait"' in html
    raw = message.message()
    assert raw.get_content_type() == "multipart/related"
    images = [part for part in raw.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0]["Content-ID"] == "<qr-code-retrait>"
    assert images[0].get_payload(decode=True).startswith(b"\x89PNG")


@pytest.mark.parametrize("event", [e for e in NotificationEvent.values if e not in POINT_EVENTS])
def test_every_event_renders_a_french_subject_text_and_html(event):
    order = order_with_parts(mode="shop", quantities=(1,))
    PickupCode.objects.create(order=order, code="ABCDEF")
    row = notification_enqueue(order=order, event=event, scope="t",
                               recipient="commerce@exemple.fr" if event in MERCHANT_EVENTS else None,
                               payload={"reason": "merchant", "shop": "Maison Muller",
                                        "lines": [{"title": "Pain", "quantity": 2}], "amount": "3,20",
                                        "expires_on_label": "vendredi 12 juin"})
    from marketplace.notifications.messages import notification_message_build

    message = notification_message_build(notification=row, message_id_domain="halle.test")
    assert str(order.number) in message.subject and "\n" not in message.subject
    assert message.extra_headers["Message-ID"] == f"<halle-notification-{row.pk}@halle.test>"
    assert "{{" not in message.body and "&#x27;" not in message.body
    assert '<html lang="fr">' in message.alternatives[0][0]
