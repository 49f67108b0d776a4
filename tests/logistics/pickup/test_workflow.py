"""Pickup follows the order workflow in the same transaction: the code when the last part is
waiting, the parcel's place on the first drop, the shopper's e-mails once."""
from __future__ import annotations

import pytest
from django.core import mail

from logistics.models import PointKind
from marketplace.notifications.models import NotificationEvent, OrderNotification
from marketplace.order import services as order_services
from marketplace.order.exceptions import OrderError
from marketplace.order.models import ShopOrderStatus
from logistics.pickup.exceptions import NoCompartmentFree
from logistics.pickup.models import ParcelPlacement, PickupCode, PlacementEnd
from logistics.pickup.services.staff import point_staff_add
from tests.factories import UserFactory
from tests.factories.logistics import CollectionPointFactory, LockerCompartmentFactory, SlotFactory, SlotHoldFactory
from tests.factories.pickup import merchant_of, order_with_parts, part_advance

pytestmark = pytest.mark.django_db
S = ShopOrderStatus


def _events(order):
    return list(OrderNotification.objects.filter(order=order).order_by("pk").values_list("event", flat=True))


def test_the_code_comes_when_the_last_part_is_dropped_at_the_point_and_is_emailed_once(
    django_capture_on_commit_callbacks,
):
    order = order_with_parts(count=3)
    parts = list(order.shop_orders.order_by("pk"))
    for part in parts[:2]:
        part_advance(part, to="dropped")
    part_advance(parts[2], to="ready")
    assert not PickupCode.objects.filter(order=order).exists()  # ready is not enough at a point

    with django_capture_on_commit_callbacks(execute=True):
        part_advance(parts[2], to="dropped")

    code = PickupCode.objects.get(order=order)
    assert code.is_open and len(code.code) == 6
    assert _events(order) == [NotificationEvent.ORDER_PLACED, NotificationEvent.ORDER_READY]
    ready = [m for m in mail.outbox if "prête" in m.subject]
    assert len(ready) == 1 and code.display in ready[0].subject and code.display in ready[0].body


def test_at_shops_the_code_comes_when_the_last_part_is_ready():
    order = order_with_parts(count=2, mode="shops")
    first, second = order.shop_orders.order_by("pk")
    part_advance(first, to="ready")
    assert not PickupCode.objects.filter(order=order).exists()
    part_advance(second, to="ready")
    assert PickupCode.objects.filter(order=order, is_open=True).count() == 1


def test_the_first_drop_at_the_town_point_takes_the_lowest_free_shelf_and_later_drops_share_it():
    point = CollectionPointFactory(shelf_capacity=3)
    first = order_with_parts(count=2, point=point)
    other = order_with_parts(count=1, point=point)
    a, b = first.shop_orders.order_by("pk")
    part_advance(a, to="dropped")
    part_advance(other.shop_orders.get(), to="dropped")
    part_advance(b, to="dropped")

    assert ParcelPlacement.objects.get(order=first).shelf == 1
    assert ParcelPlacement.objects.get(order=other).shelf == 2


def test_at_a_locker_the_compartment_booked_at_checkout_is_used_when_it_is_empty():
    lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
    small = LockerCompartmentFactory(point=lockers, size="S")
    booked = LockerCompartmentFactory(point=lockers, size="M")
    order = order_with_parts(count=1, point=lockers)
    part = order.shop_orders.get()
    part.slot_hold.compartment = booked
    part.slot_hold.save()

    part_advance(part, to="dropped")

    placement = ParcelPlacement.objects.get(order=order)
    assert placement.compartment == booked and placement.compartment != small


def test_a_locker_never_holds_two_orders_in_one_compartment_and_a_full_bank_refuses_the_drop():
    lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
    only = LockerCompartmentFactory(point=lockers, size="M")
    slot = SlotFactory(point=lockers)
    first = order_with_parts(count=1, point=lockers, slot=slot)
    # The next slot's order books the same compartment, free by then; the first parcel is still in it.
    second = order_with_parts(count=1, point=lockers, slot=SlotFactory(point=lockers, starts_at=slot.ends_at))
    assert {o.shop_orders.get().slot_hold.compartment for o in (first, second)} == {only}
    part_advance(first.shop_orders.get(), to="dropped")
    part = part_advance(second.shop_orders.get(), to="ready")

    with pytest.raises(NoCompartmentFree, match="Aucun casier adapté n'est libre"):
        order_services.shop_order_drop(shop_order=part, user=merchant_of(part.shop))

    part.refresh_from_db()
    assert part.status == S.READY  # nothing changed
    assert ParcelPlacement.objects.filter(compartment=only, ended_at__isnull=True).count() == 1
    assert isinstance(NoCompartmentFree(), OrderError)  # the workflow's pages show it as is


def test_a_larger_compartment_at_the_same_temperature_is_taken_when_the_booked_one_is_busy():
    lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
    medium = LockerCompartmentFactory(point=lockers, size="M", temperature="chilled")
    LockerCompartmentFactory(point=lockers, size="L", temperature="ambient")
    large_chilled = LockerCompartmentFactory(point=lockers, size="L", temperature="chilled")
    first = SlotFactory(point=lockers)
    slots = [first, SlotFactory(point=lockers, starts_at=first.ends_at)]
    orders = [order_with_parts(count=1, point=lockers, slot=slot) for slot in slots]
    for order in orders:  # both booked the medium chilled one (two slots one after the other)
        hold = order.shop_orders.get().slot_hold
        hold.compartment = medium
        hold.save()
        part_advance(order.shop_orders.get(), to="dropped")

    assert [ParcelPlacement.objects.get(order=o).compartment for o in orders] == [medium, large_chilled]


def test_collecting_every_part_closes_the_code_and_frees_the_shelf():
    point = CollectionPointFactory(shelf_capacity=5)
    order = order_with_parts(count=2, point=point)
    for part in order.shop_orders.all():
        part_advance(part, to="dropped")
    staff = UserFactory()
    point_staff_add(point=point, user=staff)
    staff = type(staff).objects.get(pk=staff.pk)  # fresh permission cache

    for part in order.shop_orders.order_by("pk"):
        order_services.shop_order_collect(shop_order=part, user=staff)

    code = PickupCode.objects.get(order=order)
    assert not code.is_open and code.closed_at is not None
    placement = ParcelPlacement.objects.get(order=order)
    assert placement.ended_at is not None and placement.end_reason == PlacementEnd.COLLECTED


def test_a_merchant_cancelling_its_part_owes_an_unavailable_email_and_lets_the_others_get_their_code():
    order = order_with_parts(count=2, mode="shops")
    first, second = order.shop_orders.order_by("pk")
    part_advance(first, to="ready")

    order_services.shop_order_cancel(shop_order=second, user=merchant_of(second.shop))

    assert _events(order) == [NotificationEvent.ORDER_PLACED, NotificationEvent.PART_UNAVAILABLE,
                              NotificationEvent.ORDER_READY]
    row = OrderNotification.objects.get(order=order, event=NotificationEvent.PART_UNAVAILABLE)
    assert row.payload["shop"] == second.shop.name and row.payload["lines"][0]["quantity"] == 2
    assert row.payload["amount"] == "9,00"  # 2 × 4,50 € no longer charged
    assert PickupCode.objects.filter(order=order, is_open=True).exists()


def test_a_part_with_every_unit_unavailable_tells_the_shopper_what_it_no_longer_costs(
    django_capture_on_commit_callbacks,
):
    order = order_with_parts(count=2, mode="point")
    first, second = order.shop_orders.order_by("pk")
    line = second.lines.get()

    with django_capture_on_commit_callbacks(execute=True):
        order_services.shop_order_lines_unavailable(
            shop_order=second, user=merchant_of(second.shop), quantities={line.pk: 2}
        )

    second.refresh_from_db()
    assert second.status == S.CANCELLED
    row = OrderNotification.objects.get(order=order, event=NotificationEvent.PART_UNAVAILABLE)
    assert row.payload["amount"] == "9,00"
    body = next(m for m in mail.outbox if "indisponibles" in m.subject).body
    assert "9,00 € de moins sur votre commande" in body


def test_items_marked_unavailable_owe_one_email_per_distinct_reduction():
    order = order_with_parts(count=1, mode="shops", quantity=3)
    part = order.shop_orders.get()
    line = part.lines.get()
    merchant = merchant_of(part.shop)

    order_services.shop_order_lines_unavailable(shop_order=part, user=merchant, quantities={line.pk: 1})
    order_services.shop_order_lines_unavailable(shop_order=part, user=merchant, quantities={line.pk: 1})

    rows = OrderNotification.objects.filter(order=order, event=NotificationEvent.PART_UNAVAILABLE).order_by("pk")
    assert [r.payload["lines"][0]["quantity"] for r in rows] == [1, 2]
    assert rows[0].payload["amount"] == "4,50"


def test_when_every_part_is_cancelled_by_merchants_the_shopper_gets_one_cancellation():
    order = order_with_parts(count=2, mode="shops")
    for part in order.shop_orders.order_by("pk"):
        order_services.shop_order_cancel(shop_order=part, user=merchant_of(part.shop))

    assert _events(order) == [NotificationEvent.ORDER_PLACED, NotificationEvent.PART_UNAVAILABLE,
                              NotificationEvent.ORDER_CANCELLED]
    assert OrderNotification.objects.get(order=order, event="order_cancelled").payload["reason"] == "merchant"


def test_a_slot_hold_factory_compartment_is_optional():
    """Orders placed without a locker compartment (town point) get no compartment."""
    order = order_with_parts(count=1)
    part = part_advance(order.shop_orders.get(), to="dropped")
    assert part.slot_hold.compartment is None
    assert ParcelPlacement.objects.get(order=order).compartment is None
    assert SlotHoldFactory._meta.model is type(part.slot_hold)
