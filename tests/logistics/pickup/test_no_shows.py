"""Orders nobody collects, and reminders: the day after the slot, expiry after
HALLE_NO_SHOW_DAYS (stock back, place freed, merchants' return tasks, refund hook)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from logistics.models import PointKind, Slot
from marketplace.notifications.models import NotificationEvent, OrderNotification
from marketplace.order.models import CancelReason, ShopOrderStatus
from marketplace.order.services import shop_order_cancel
from marketplace.partner.models import StockRecord
from logistics.pickup.models import ParcelPlacement, PickupCode, PlacementEnd, ReturnTask
from logistics.pickup.services.no_shows import no_shows_expire, reminders_send
from shops.backoffice.access import SESSION_KEY
from tests.factories.logistics import CollectionPointFactory, LockerCompartmentFactory, SlotFactory
from tests.factories.pickup import merchant_of, order_with_parts, part_advance
from tests.support.consequences import ConsequenceCalls

pytestmark = pytest.mark.django_db
S = ShopOrderStatus
PARIS = timezone.get_default_timezone()


def _slot_at(point, start: dt.datetime) -> Slot:
    return SlotFactory(point=point, starts_at=start, ends_at=start + dt.timedelta(hours=1))


@pytest.fixture
def collected_late(settings):
    """An order dropped at a locker, slot on 10 June 10:00–11:00, nobody came."""
    settings.HALLE_NO_SHOW_DAYS = 3
    lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
    LockerCompartmentFactory(point=lockers, code="B1")
    LockerCompartmentFactory(point=lockers, code="B2")
    slot = _slot_at(lockers, dt.datetime(2026, 6, 10, 10, tzinfo=PARIS))
    order = order_with_parts(count=2, point=lockers, slot=slot)
    for part in order.shop_orders.all():
        part_advance(part, to="dropped", now=dt.datetime(2026, 6, 10, 8, tzinfo=PARIS))
    return order


def test_the_day_after_a_missed_slot_the_shopper_is_reminded_once(collected_late):
    same_day = dt.datetime(2026, 6, 10, 18, tzinfo=PARIS)
    next_day = dt.datetime(2026, 6, 11, 9, tzinfo=PARIS)

    assert reminders_send(now=same_day)["missed_slot_reminders"] == 0
    assert reminders_send(now=next_day)["missed_slot_reminders"] == 1
    assert reminders_send(now=next_day + dt.timedelta(hours=1))["missed_slot_reminders"] == 0

    row = OrderNotification.objects.get(order=collected_late, event=NotificationEvent.MISSED_SLOT_REMINDER)
    assert row.payload["expires_on_label"] == "samedi 13 juin à 11h00"


def test_a_reminder_goes_a_few_hours_before_the_slot_once(settings):
    settings.HALLE_SLOT_REMINDER_HOURS = 3
    point = CollectionPointFactory()
    order = order_with_parts(count=1, point=point, slot=_slot_at(point, dt.datetime(2026, 6, 10, 15, tzinfo=PARIS)))

    assert reminders_send(now=dt.datetime(2026, 6, 10, 11, tzinfo=PARIS))["slot_reminders"] == 0
    assert reminders_send(now=dt.datetime(2026, 6, 10, 12, 30, tzinfo=PARIS))["slot_reminders"] == 1
    assert reminders_send(now=dt.datetime(2026, 6, 10, 13, tzinfo=PARIS))["slot_reminders"] == 0
    assert OrderNotification.objects.filter(order=order, event=NotificationEvent.SLOT_REMINDER).count() == 1


def test_cancelled_orders_get_no_reminder(settings):
    point = CollectionPointFactory()
    order = order_with_parts(count=1, point=point, slot=_slot_at(point, dt.datetime(2026, 6, 10, 15, tzinfo=PARIS)))
    from logistics.pickup.services.cancellation import order_cancel_by_shopper

    order_cancel_by_shopper(order=order, link_verified=True)
    assert reminders_send(now=dt.datetime(2026, 6, 10, 13, tzinfo=PARIS))["slot_reminders"] == 0


def test_expiry_waits_for_the_no_show_days_then_gives_everything_back(collected_late, django_capture_on_commit_callbacks):
    order = collected_late
    offers = [line.stockrecord_id for line in order.lines.all()]
    placement = ParcelPlacement.objects.get(order=order)
    with ConsequenceCalls("order_cancelled") as cancelled:
        assert no_shows_expire(now=dt.datetime(2026, 6, 13, 10, 59, tzinfo=PARIS)) == 0
        with django_capture_on_commit_callbacks(execute=True):
            expired = no_shows_expire(now=dt.datetime(2026, 6, 13, 11, 1, tzinfo=PARIS))
    sent = [(c["shop_order"].pk if c["shop_order"] else None, c["reason"]) for c in cancelled.committed]

    assert expired == 2
    parts = list(order.shop_orders.order_by("pk"))
    assert {(p.status, p.cancel_reason) for p in parts} == {(S.CANCELLED, CancelReason.NO_SHOW)}
    assert all(r.num_allocated == 0 for r in StockRecord.objects.filter(pk__in=offers))  # stock back
    placement.refresh_from_db()
    assert placement.ended_at is not None and placement.end_reason == PlacementEnd.EXPIRED  # compartment free
    assert not PickupCode.objects.get(order=order).is_open
    assert OrderNotification.objects.filter(order=order, event=NotificationEvent.ORDER_EXPIRED).count() == 1
    tasks = ReturnTask.objects.filter(order=order)
    assert sorted(t.shop_id for t in tasks) == sorted(p.shop_id for p in parts)
    assert {t.location for t in tasks} == {placement.location}
    slot = parts[0].slot
    slot.refresh_from_db()
    assert slot.booked == 0  # capacity back
    assert sorted(sent) == sorted((p.pk, "no_show") for p in parts)  # the refund hook, once per part
    assert no_shows_expire(now=dt.datetime(2026, 6, 20, tzinfo=PARIS)) == 0  # idempotent


def test_a_partly_collected_order_expires_only_what_is_left(collected_late, settings):
    from marketplace.order.services import shop_order_collect
    from logistics.pickup.services.staff import point_staff_add
    from tests.factories import UserFactory

    staff = UserFactory()
    point_staff_add(point=collected_late.collection_point, user=staff)
    staff = type(staff).objects.get(pk=staff.pk)
    first, second = collected_late.shop_orders.order_by("pk")
    shop_order_collect(shop_order=first, user=staff)

    assert no_shows_expire(now=dt.datetime(2026, 6, 14, tzinfo=PARIS)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.COLLECTED, S.CANCELLED)
    assert list(ReturnTask.objects.filter(order=collected_late).values_list("shop_id", flat=True)) == [second.shop_id]


def test_the_merchant_sees_and_closes_its_return_task(client, collected_late):
    no_shows_expire(now=dt.datetime(2026, 6, 14, tzinfo=PARIS))
    part = collected_late.shop_orders.order_by("pk").first()
    client.force_login(merchant_of(part.shop))
    session = client.session
    session[SESSION_KEY] = part.shop_id
    session.save()
    url = reverse("pickup:counter-returns")

    listing = client.get(url).content.decode()
    assert f"Commande n° {collected_late.number}" in listing and "casier B" in listing
    other = ReturnTask.objects.exclude(shop=part.shop).get(order=collected_late)
    for bad in ("", "abc", str(other.pk)):
        assert "Tâche introuvable." in client.post(url, {"task": bad}, follow=True).content.decode()
    task = ReturnTask.objects.get(order=collected_late, shop=part.shop)
    client.post(url, {"task": task.pk})
    task.refresh_from_db()
    other.refresh_from_db()
    assert task.done_at is not None and other.done_at is None


def test_a_place_freed_by_expiry_reads_expired_even_when_a_later_part_was_cancelled_by_its_shop(settings):
    settings.HALLE_NO_SHOW_DAYS = 3
    point = CollectionPointFactory(shelf_capacity=10)
    order = order_with_parts(count=2, point=point, slot=_slot_at(point, dt.datetime(2026, 6, 10, 10, tzinfo=PARIS)))
    first, last = order.shop_orders.order_by("pk")
    part_advance(first, to="dropped", now=dt.datetime(2026, 6, 10, 8, tzinfo=PARIS))
    shop_order_cancel(shop_order=last, user=merchant_of(last.shop))  # the shop had nothing: the code is issued
    assert PickupCode.objects.get(order=order).is_open

    assert no_shows_expire(now=dt.datetime(2026, 6, 13, 11, 1, tzinfo=PARIS)) == 1
    placement = ParcelPlacement.objects.get(order=order)
    assert placement.ended_at is not None and placement.end_reason == PlacementEnd.EXPIRED
