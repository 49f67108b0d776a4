"""Pickup under real concurrency on PostgreSQL (threads, one connection each): overlapping
expiry runs, overlapping drop-reminder and delay runs, simultaneous last drops, a locker
bank filling up."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from logistics.models import PointKind, Slot
from marketplace.notifications.models import NotificationEvent, OrderNotification
from marketplace.order.models import CancelReason, ShopOrder, ShopOrderEvent, ShopOrderStatus
from marketplace.order.services import shop_order_drop
from marketplace.partner.models import StockRecord
from logistics.pickup.exceptions import NoCompartmentFree
from logistics.pickup.models import ParcelPlacement, PickupCode, ReturnTask
from logistics.pickup.services.lateness import drop_reminders_send, late_orders_notify
from logistics.pickup.services.no_shows import no_shows_expire
from tests.concurrency.threads import run_together
from tests.factories.logistics import CollectionPointFactory, LockerCompartmentFactory, SlotFactory
from tests.factories.pickup import merchant_of, order_with_parts, part_advance
from tests.support.consequences import ConsequenceCalls

pytestmark = pytest.mark.django_db(transaction=True)
S = ShopOrderStatus


def test_two_expiry_runs_at_once_expire_each_order_once_with_one_email_each(settings):
    assert connection.vendor == "postgresql"
    settings.HALLE_NO_SHOW_DAYS = 2
    point = CollectionPointFactory(shelf_capacity=50)
    start = timezone.now() - dt.timedelta(days=5)
    slot = SlotFactory(point=point, starts_at=start, ends_at=start + dt.timedelta(hours=1), capacity=40)
    orders = [order_with_parts(count=2, point=point, slot=slot) for _ in range(20)]
    for order in orders:
        for part in order.shop_orders.all():
            part_advance(part, to="dropped", now=start - dt.timedelta(hours=2))
    with ConsequenceCalls("order_cancelled") as cancelled:
        results = run_together(2, lambda i: no_shows_expire(now=timezone.now(), batch_size=3))
    sent = [(c["shop_order"].pk, c["reason"]) for c in cancelled.committed]  # changes that committed

    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 40  # every part once, shared between the runs
    parts = ShopOrder.objects.filter(order__in=orders)
    assert set(parts.values_list("status", "cancel_reason")) == {(S.CANCELLED, CancelReason.NO_SHOW)}
    cancellations = Counter(
        ShopOrderEvent.objects.filter(shop_order__in=parts, to_status=S.CANCELLED).values_list("shop_order", flat=True)
    )
    assert set(cancellations.values()) == {1}
    emails = Counter(
        OrderNotification.objects.filter(event=NotificationEvent.ORDER_EXPIRED).values_list("order", flat=True)
    )
    assert emails == Counter({order.pk: 1 for order in orders})
    assert ReturnTask.objects.count() == 40
    assert sorted(pk for pk, _ in sent) == sorted(parts.values_list("pk", flat=True))  # refund hook once per part
    assert not StockRecord.objects.filter(num_allocated__gt=0).exists()
    assert Slot.objects.get(pk=slot.pk).booked == 0
    assert not ParcelPlacement.objects.filter(ended_at__isnull=True).exists()
    assert not PickupCode.objects.filter(is_open=True).exists()


def test_two_drop_watch_runs_at_once_remind_each_part_once_and_tell_each_shopper_once(settings):
    assert connection.vendor == "postgresql"
    settings.HALLE_DROP_REMINDER_MINUTES = 60
    point = CollectionPointFactory(shelf_capacity=50)
    start = timezone.now() + dt.timedelta(minutes=30)
    slot = SlotFactory(point=point, starts_at=start, ends_at=start + dt.timedelta(hours=1), capacity=40)
    orders = [order_with_parts(count=2, point=point, slot=slot) for _ in range(15)]
    parts = ShopOrder.objects.filter(order__in=orders).select_related("shop")
    for part in parts:
        part.shop.email = f"{part.shop.slug}@exemple.fr"
        part.shop.save(update_fields=["email"])
        part_advance(part, to="accepted")
    mail.outbox.clear()

    reminded = run_together(2, lambda i: drop_reminders_send(now=timezone.now()))
    told = run_together(2, lambda i: late_orders_notify(now=start + dt.timedelta(minutes=1)))

    assert all(isinstance(r, int) for r in reminded + told), reminded + told
    assert sum(reminded) == 30 and sum(told) == 15  # shared between the runs, never twice
    reminders = Counter(
        OrderNotification.objects.filter(event=NotificationEvent.DROP_REMINDER).values_list("scope", flat=True)
    )
    assert reminders == Counter({f"shop_order:{part.pk}": 1 for part in parts})
    late = Counter(OrderNotification.objects.filter(event=NotificationEvent.ORDER_LATE).values_list("order", flat=True))
    assert late == Counter({order.pk: 1 for order in orders})
    sent = Counter(message.to[0] for message in mail.outbox)  # sent after each commit
    assert sent == Counter({**{part.shop.email: 1 for part in parts}, orders[0].email: 15})


def test_the_last_parts_dropped_at_the_same_moment_give_one_code_and_one_email():
    point = CollectionPointFactory(shelf_capacity=10)
    order = order_with_parts(count=4, point=point)
    parts = [part_advance(part, to="ready") for part in order.shop_orders.order_by("pk")]
    merchants = [merchant_of(part.shop) for part in parts]

    results = run_together(4, lambda i: shop_order_drop(shop_order=parts[i], user=merchants[i]))

    assert all(isinstance(r, ShopOrder) for r in results), results
    assert PickupCode.objects.filter(order=order).count() == 1
    assert OrderNotification.objects.filter(order=order, event=NotificationEvent.ORDER_READY).count() == 1
    assert ParcelPlacement.objects.filter(order=order, ended_at__isnull=True).count() == 1


def test_five_orders_dropped_at_once_at_a_bank_of_two_compartments_fill_two_and_refuse_three():
    lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
    compartments = [LockerCompartmentFactory(point=lockers, size="M") for _ in range(2)]
    first = SlotFactory(point=lockers)
    slots = [first] + [SlotFactory(point=lockers, starts_at=first.starts_at + dt.timedelta(hours=i)) for i in range(1, 5)]
    orders = [order_with_parts(count=1, point=lockers, slot=slot) for slot in slots]  # one slot after the other
    parts = [part_advance(order.shop_orders.get(), to="ready") for order in orders]
    for part in parts:  # all booked the same compartment at checkout (each its own hour)
        part.slot_hold.compartment = compartments[0]
        part.slot_hold.save()
    merchants = [merchant_of(part.shop) for part in parts]

    results = run_together(5, lambda i: shop_order_drop(shop_order=parts[i], user=merchants[i]))

    assert sum(isinstance(r, ShopOrder) for r in results) == 2
    assert sum(isinstance(r, NoCompartmentFree) for r in results) == 3, results
    active = ParcelPlacement.objects.filter(ended_at__isnull=True)
    assert sorted(active.values_list("compartment", flat=True)) == sorted(c.pk for c in compartments)
    assert ShopOrder.objects.filter(status=S.DROPPED).count() == 2
