"""Beat runs the pickup and outbox jobs; the tasks call the same services as the tests."""
from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from marketplace.notifications.tasks import notifications_requeue_task
from marketplace.order.models import ShopOrderStatus
from logistics.pickup.tasks import drops_watch_task, no_shows_expire_task, reminders_send_task
from tests.factories.logistics import CollectionPointFactory, SlotFactory
from tests.factories.pickup import order_with_parts, part_advance

pytestmark = pytest.mark.django_db


def test_beat_schedules_reminders_expiry_and_the_outbox_requeue():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"pickup.reminders_send", "pickup.no_shows_expire", "pickup.drops_watch", "notifications.requeue"} <= tasks


def test_the_expiry_task_expires_an_order_left_past_the_no_show_days(settings):
    settings.HALLE_NO_SHOW_DAYS = 1
    point = CollectionPointFactory()
    start = timezone.now() - dt.timedelta(days=3)
    order = order_with_parts(count=1, point=point, slot=SlotFactory(point=point, starts_at=start,
                                                                       ends_at=start + dt.timedelta(hours=1)))
    part_advance(order.shop_orders.get(), to="dropped", now=start - dt.timedelta(hours=1))

    assert no_shows_expire_task.delay().get() == 1
    assert order.shop_orders.get().status == ShopOrderStatus.CANCELLED
    assert reminders_send_task.delay().get() == {"slot_reminders": 0, "missed_slot_reminders": 0}
    assert notifications_requeue_task.delay().get() == 0


def test_the_drops_watch_task_tells_the_shopper_of_a_late_order_once():
    point = CollectionPointFactory()
    start = timezone.now() - dt.timedelta(minutes=10)
    order = order_with_parts(count=1, point=point, slot=SlotFactory(point=point, starts_at=start,
                                                                       ends_at=start + dt.timedelta(hours=1)))
    part_advance(order.shop_orders.get(), to="ready", now=start - dt.timedelta(hours=1))

    assert drops_watch_task.delay().get()["late_orders"] == 1
    assert drops_watch_task.delay().get() == {"drop_reminders": 0, "late_orders": 0}
