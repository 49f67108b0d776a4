"""Eight workers sending the same outbox row at once on PostgreSQL: one e-mail, the others
see it taken or already sent."""
from __future__ import annotations

import pytest
from django.core import mail

from marketplace.notifications.models import NotificationStatus, OrderNotification
from marketplace.notifications.services import notification_send
from tests.concurrency.threads import run_together, unexpected
from tests.factories.pickup import order_with_parts

pytestmark = pytest.mark.django_db(transaction=True)


def test_eight_workers_sending_the_same_row_at_once_send_one_email():
    order = order_with_parts(mode="shop", quantities=(1,))
    row = OrderNotification.objects.get(order=order)
    OrderNotification.objects.filter(pk=row.pk).update(status=NotificationStatus.PENDING, sent_at=None)
    mail.outbox.clear()

    results = run_together(8, lambda i: notification_send(notification_id=row.pk))

    assert not unexpected(results, str)
    assert results.count("sent") == 1, results
    assert set(results) <= {"sent", "busy", "already_sent"}
    assert len(mail.outbox) == 1
