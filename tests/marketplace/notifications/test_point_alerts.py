"""Alerts to a collection point's staff in the outbox: rows about no order, for those events only."""
from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.notifications.models import POINT_EVENTS, NotificationEvent, OrderNotification
from marketplace.notifications.services import point_staff_notify

pytestmark = pytest.mark.django_db


def test_an_alert_is_owed_once_per_scope_and_address():
    assert point_staff_notify(event=NotificationEvent.LOCKER_LOCKED, scope="locker:1:42",
                              recipients=["A@halle.test", "a@halle.test", "b@halle.test", ""]) == 2
    assert point_staff_notify(event=NotificationEvent.LOCKER_LOCKED, scope="locker:1:42",
                              recipients=["b@halle.test"]) == 0
    assert sorted(OrderNotification.objects.values_list("recipient", flat=True)) == ["a@halle.test", "b@halle.test"]


def test_only_point_events_may_concern_no_order():
    with pytest.raises(ValueError):
        point_staff_notify(event=NotificationEvent.ORDER_READY, scope="x", recipients=["a@halle.test"])
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderNotification.objects.create(order=None, event=NotificationEvent.ORDER_READY, recipient="a@halle.test",
                                         next_attempt_at=timezone.now())


@pytest.mark.parametrize("event", sorted(POINT_EVENTS))
def test_every_point_alert_renders_a_french_subject_text_and_html(event):
    from logistics.models import PointKind
    from marketplace.notifications.messages import notification_message_build
    from tests.factories.logistics import CollectionPointFactory

    point = CollectionPointFactory(kind=PointKind.LOCKER_BANK, name="Consignes d'Étape", shelf_capacity=0)
    point_staff_notify(event=event, scope="t", recipients=["equipe@halle.test"],
                       payload={"point_id": point.pk, "failures": 30, "window_minutes": 15, "until": "14h30"})
    row = OrderNotification.objects.get()

    message = notification_message_build(notification=row, message_id_domain="halle.test")

    assert "Consignes d'Étape" in message.subject and "\n" not in message.subject
    assert "{{" not in message.body and "&#x27;" not in message.body and "14h30" in message.body
    assert '<html lang="fr">' in message.alternatives[0][0]
