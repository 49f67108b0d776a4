import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from logistics.exceptions import CompartmentUnavailable, HoldExpired, HoldInvalid, SlotFull, SlotUnavailable
from logistics.models import CompartmentSize, HoldStatus, PointKind, Slot, SlotHold, Temperature
from logistics.services.holds import (
    basket_slots_convert,
    basket_slots_hold,
    compartment_for_slot,
    holds_expire,
    slot_booking_release,
)
from tests.factories.logistics import CollectionPointFactory, LockerCompartmentFactory, SlotFactory
from tests.factories.logistics import slot_held as hold
from tests.factories.shops import ShopFactory

pytestmark = pytest.mark.django_db


def _counts(slot):
    slot.refresh_from_db()
    return slot.booked, slot.held


def test_hold_takes_one_place_until_the_given_time():
    slot = SlotFactory(capacity=2)
    now = timezone.now()
    held = hold(slot, 42, now=now, minutes=20)
    assert held.status == HoldStatus.HELD and (held.basket_id, held.shop_id) == (42, None)
    assert held.expires_at == now + dt.timedelta(minutes=20)
    assert _counts(slot) == (0, 1)


def test_full_slot_says_so_in_french_and_changes_nothing():
    slot = SlotFactory(capacity=1)
    hold(slot, 1)
    with pytest.raises(SlotFull, match="^Ce créneau est complet.$"):
        hold(slot, 2)
    assert _counts(slot) == (0, 1)
    assert SlotHold.objects.count() == 1


def test_choosing_another_slot_releases_the_previous_one():
    first, second = SlotFactory(), SlotFactory(starts_at=timezone.now() + dt.timedelta(days=2))
    old = hold(first, 7)
    new = hold(second, 7)
    old.refresh_from_db()
    assert old.status == HoldStatus.RELEASED and new.status == HoldStatus.HELD
    assert _counts(first) == (0, 0) and _counts(second) == (0, 1)


def test_failed_hold_keeps_the_previous_one():
    first, full = SlotFactory(), SlotFactory(starts_at=timezone.now() + dt.timedelta(days=2), capacity=1)
    hold(full, 99)
    old = hold(first, 7)
    with pytest.raises(SlotFull):
        hold(full, 7)
    old.refresh_from_db()
    assert old.status == HoldStatus.HELD and _counts(first) == (0, 1)


def test_a_basket_collected_at_each_shop_holds_one_slot_per_shop_and_replaces_them_together():
    shops = [ShopFactory(), ShopFactory()]
    counters = [CollectionPointFactory(kind=PointKind.SHOP_COUNTER, shop=shop) for shop in shops]
    slots = [SlotFactory(point=point) for point in counters]
    now = timezone.now()
    with transaction.atomic():
        held = basket_slots_hold(basket_id=5, wanted={s.pk: (slot.pk, slot.point_id) for s, slot in zip(shops, slots, strict=True)},
                                 now=now, expires_at=now + dt.timedelta(minutes=15))
    assert {shop_id: h.shop_id for shop_id, h in held.items()} == {shops[0].pk: shops[0].pk, shops[1].pk: shops[1].pk}
    again = hold(slots[0], 5, shop=shops[0])
    assert set(SlotHold.objects.filter(status=HoldStatus.HELD).values_list("pk", flat=True)) == {again.pk}
    assert [_counts(slot) for slot in slots] == [(0, 1), (0, 0)]


def test_the_database_refuses_two_held_slots_for_one_basket_part():
    slot = SlotFactory(capacity=5)
    hold(slot, 3)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotHold.objects.create(slot=slot, basket_id=3, expires_at=timezone.now() + dt.timedelta(minutes=5))
    shop = ShopFactory()
    hold(slot, 4, shop=shop)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotHold.objects.create(slot=slot, basket_id=4, shop=shop, expires_at=timezone.now() + dt.timedelta(minutes=5))


def test_expired_holds_of_the_slot_are_given_back_at_once():
    slot = SlotFactory(capacity=1)
    now = timezone.now()
    stale = hold(slot, 1, now=now - dt.timedelta(minutes=30))
    fresh = hold(slot, 2, now=now)
    stale.refresh_from_db()
    assert stale.status == HoldStatus.RELEASED and fresh.status == HoldStatus.HELD
    assert _counts(slot) == (0, 1)


@pytest.mark.parametrize(
    ("slot_kwargs", "point_kwargs", "message"),
    [
        ({"starts_at": timezone.now() - dt.timedelta(hours=1)}, {}, "déjà passé"),
        ({"needs_attention": True}, {}, "plus proposé"),
        ({}, {"is_active": False}, "plus en service"),
    ],
)
def test_unbookable_slots_are_refused_with_a_clear_message(slot_kwargs, point_kwargs, message):
    slot = SlotFactory(point=CollectionPointFactory(**point_kwargs), **slot_kwargs)
    with pytest.raises(SlotUnavailable, match=message):
        hold(slot, 1)
    assert _counts(slot) == (0, 0) and not SlotHold.objects.exists()


def test_slot_of_another_point_unknown_slot_or_basket_is_refused():
    slot = SlotFactory()
    with pytest.raises(SlotUnavailable, match="n'appartient pas à ce point") as error:
        hold(slot, 1, point=CollectionPointFactory())
    assert error.value.part is None
    with pytest.raises(SlotUnavailable, match="n'existe pas"):
        hold(slot.pk + 1000, 1, point=slot.point)
    for basket_id in (0, -3, "12", None, True):
        with pytest.raises(HoldInvalid, match="Panier inconnu"):
            hold(slot, basket_id)
    assert _counts(slot) == (0, 0) and not SlotHold.objects.exists()


def test_convert_books_and_refuses_expired_or_repeated():
    slot = SlotFactory()
    held = hold(slot, 1)
    with transaction.atomic():
        booked = basket_slots_convert(basket_id=1, parts=[None])
    assert booked[None].pk == held.pk and booked[None].status == HoldStatus.CONVERTED
    assert _counts(slot) == (1, 0)
    with pytest.raises(HoldExpired), transaction.atomic():
        basket_slots_convert(basket_id=1, parts=[None])
    late = hold(slot, 2)
    with pytest.raises(HoldExpired, match="expiré"), transaction.atomic():
        basket_slots_convert(basket_id=2, parts=[None], now=late.expires_at)
    with pytest.raises(HoldExpired), transaction.atomic():
        basket_slots_convert(basket_id=2, parts=[ShopFactory().pk])  # not the part it holds
    assert _counts(slot) == (1, 1)


def test_a_booking_given_back_frees_its_place_once():
    slot = SlotFactory()
    held = hold(slot, 1)
    with transaction.atomic():
        basket_slots_convert(basket_id=1, parts=[None])
    assert slot_booking_release(hold=held).status == HoldStatus.RELEASED
    slot_booking_release(hold=held)
    assert _counts(slot) == (0, 0)
    assert slot_booking_release(hold=hold(slot, 2)).status == HoldStatus.HELD  # never booked: unchanged
    assert _counts(slot) == (0, 1)


def test_holds_expire_releases_only_expired_holds_and_is_idempotent():
    slot = SlotFactory(capacity=5)
    now = timezone.now()
    old = [hold(slot, 10 + i, now=now - dt.timedelta(minutes=16)) for i in range(3)]
    other = SlotFactory(point=slot.point, starts_at=slot.ends_at)
    fresh = hold(other, 20, now=now)
    assert _counts(slot) == (0, 3)
    assert holds_expire(now=now, batch_size=2) == 3
    assert holds_expire(now=now) == 0
    assert _counts(slot) == (0, 0) and _counts(other) == (0, 1)
    assert {h.status for h in SlotHold.objects.filter(pk__in=[h.pk for h in old])} == {HoldStatus.RELEASED}
    fresh.refresh_from_db()
    assert fresh.status == HoldStatus.HELD


def test_database_refuses_overbooking_even_without_the_service():
    slot = SlotFactory(capacity=2, booked=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(held=1)


class TestLockers:
    def _bank(self):
        point = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
        small = LockerCompartmentFactory(point=point, code="A1", size=CompartmentSize.S)
        large = LockerCompartmentFactory(point=point, code="A2", size=CompartmentSize.L)
        cold = LockerCompartmentFactory(point=point, code="F1", size=CompartmentSize.M, temperature=Temperature.CHILLED)
        return point, small, large, cold

    def test_a_hold_takes_the_smallest_free_ambient_compartment(self):
        point, small, large, _cold = self._bank()
        slot = SlotFactory(point=point)
        assert hold(slot, 1).compartment == small
        assert hold(slot, 2).compartment == large
        with pytest.raises(CompartmentUnavailable, match="casier"):
            hold(slot, 3)  # the chilled one is not for an ambient basket
        assert _counts(slot) == (0, 2)

    def test_the_allocator_picks_the_smallest_free_compartment_of_the_size_and_temperature(self):
        point, small, large, cold = self._bank()
        slot = SlotFactory(point=point)
        now = timezone.now()
        assert compartment_for_slot(slot=slot, size="S", now=now) == small
        hold(slot, 1)  # takes the small one
        assert compartment_for_slot(slot=slot, size="S", now=now) == large
        assert compartment_for_slot(slot=slot, size="L", now=now) == large
        assert compartment_for_slot(slot=slot, temperature=Temperature.CHILLED, now=now) == cold
        with pytest.raises(CompartmentUnavailable):
            compartment_for_slot(slot=slot, size="L", temperature=Temperature.CHILLED, now=now)

    def test_overlapping_slots_share_compartments_but_not_at_the_same_time(self):
        point = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
        LockerCompartmentFactory(point=point, code="A2", size=CompartmentSize.L)
        first = SlotFactory(point=point)
        overlapping = SlotFactory(point=point, starts_at=first.starts_at + dt.timedelta(minutes=30))
        later = SlotFactory(point=point, starts_at=first.ends_at)
        hold(first, 1)
        with pytest.raises(CompartmentUnavailable):
            hold(overlapping, 2)
        assert hold(later, 3).compartment.code == "A2"

    def test_released_or_expired_holds_free_their_compartment(self):
        point = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
        LockerCompartmentFactory(point=point, code="A2", size=CompartmentSize.L)
        slot, elsewhere = SlotFactory(point=point), SlotFactory(point=point, starts_at=timezone.now() + dt.timedelta(days=3))
        now = timezone.now()
        stale = hold(slot, 1, now=now - dt.timedelta(hours=1))
        fresh = hold(slot, 2, now=now)
        assert fresh.compartment == stale.compartment
        hold(elsewhere, 2, now=now)  # the basket chose another slot: this one's compartment is free again
        assert hold(slot, 3, now=now).compartment == stale.compartment

    def test_a_collected_order_frees_its_compartment_for_a_later_basket_of_the_same_slot(self):
        from tests.factories.pickup import order_with_parts, part_advance

        point = CollectionPointFactory(kind=PointKind.LOCKER_BANK, shelf_capacity=0)
        LockerCompartmentFactory(point=point, code="A1")
        first = order_with_parts(count=2, point=point)
        slot = first.shop_orders.first().slot
        one, two = first.shop_orders.order_by("pk")
        part_advance(one, to="dropped")
        one.status = "collected"  # the shopper took the first shop's bag; the second is still to come
        one.save(update_fields=["status"])
        with pytest.raises(CompartmentUnavailable):
            hold(slot, 990)
        part_advance(two, to="dropped")
        two.status = "collected"
        two.save(update_fields=["status"])
        assert hold(slot, 991).compartment.code == "A1"
