import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from logistics.exceptions import CompartmentUnavailable, HoldExpired, HoldInvalid, SlotFull, SlotUnavailable
from logistics.models import CompartmentSize, HoldStatus, PointKind, Slot, SlotHold, Temperature
from logistics.services.holds import holds_expire, slot_hold, slot_hold_convert, slot_hold_release
from tests.factories.logistics import CollectionPointFactory, LockerCompartmentFactory, SlotFactory

pytestmark = pytest.mark.django_db


def _counts(slot):
    slot.refresh_from_db()
    return slot.booked, slot.held


def test_hold_takes_one_place_for_the_configured_time():
    slot = SlotFactory(capacity=2)
    now = timezone.now()
    with override_settings(HALLE_SLOT_HOLD_MINUTES=20):
        hold = slot_hold(slot=slot, basket_id=42, now=now)
    assert hold.status == HoldStatus.HELD and hold.basket_id == "42"
    assert hold.expires_at == now + dt.timedelta(minutes=20)
    assert _counts(slot) == (0, 1)


def test_full_slot_says_so_in_french_and_changes_nothing():
    slot = SlotFactory(capacity=1)
    slot_hold(slot=slot, basket_id="a")
    with pytest.raises(SlotFull, match="^Ce créneau est complet.$"):
        slot_hold(slot=slot, basket_id="b")
    assert _counts(slot) == (0, 1)
    assert SlotHold.objects.count() == 1


def test_choosing_another_slot_releases_the_previous_one():
    first, second = SlotFactory(), SlotFactory(starts_at=timezone.now() + dt.timedelta(days=2))
    old = slot_hold(slot=first, basket_id="b1")
    new = slot_hold(slot=second.pk, basket_id="b1")
    old.refresh_from_db()
    assert old.status == HoldStatus.RELEASED and new.status == HoldStatus.HELD
    assert _counts(first) == (0, 0) and _counts(second) == (0, 1)


def test_failed_hold_keeps_the_previous_one():
    first, full = SlotFactory(), SlotFactory(starts_at=timezone.now() + dt.timedelta(days=2), capacity=1)
    slot_hold(slot=full, basket_id="other")
    old = slot_hold(slot=first, basket_id="b1")
    with pytest.raises(SlotFull):
        slot_hold(slot=full, basket_id="b1")
    old.refresh_from_db()
    assert old.status == HoldStatus.HELD and _counts(first) == (0, 1)


def test_expired_holds_of_the_slot_are_given_back_at_once():
    slot = SlotFactory(capacity=1)
    now = timezone.now()
    stale = slot_hold(slot=slot, basket_id="late", now=now - dt.timedelta(minutes=30))
    hold = slot_hold(slot=slot, basket_id="on-time", now=now)
    stale.refresh_from_db()
    assert stale.status == HoldStatus.RELEASED and hold.status == HoldStatus.HELD
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
        slot_hold(slot=slot, basket_id="b")
    assert _counts(slot) == (0, 0) and not SlotHold.objects.exists()


def test_slot_of_another_point_or_unknown_id_is_refused():
    slot = SlotFactory()
    with pytest.raises(SlotUnavailable, match="n'appartient pas à ce point"):
        slot_hold(slot=slot.pk, basket_id="b", point=CollectionPointFactory())
    with pytest.raises(SlotUnavailable, match="n'existe pas"):
        slot_hold(slot=slot.pk + 1000, basket_id="b")
    with pytest.raises(SlotUnavailable, match="n'existe pas"):
        slot_hold(slot="douze", basket_id="b")
    with pytest.raises(HoldInvalid, match="Panier inconnu"):
        slot_hold(slot=slot, basket_id="  ")
    assert _counts(slot) == (0, 0) and not SlotHold.objects.exists()


def test_release_gives_the_place_back_once():
    slot = SlotFactory()
    hold = slot_hold(slot=slot, basket_id="b")
    slot_hold_release(hold=hold, basket_id="b")
    slot_hold_release(hold=hold)
    assert _counts(slot) == (0, 0)
    assert SlotHold.objects.get().status == HoldStatus.RELEASED


def test_release_of_another_basket_or_a_converted_hold_is_refused():
    slot = SlotFactory()
    hold = slot_hold(slot=slot, basket_id="b")
    with pytest.raises(HoldInvalid, match="pas retenu pour ce panier"):
        slot_hold_release(hold=hold, basket_id="intrus")
    slot_hold_convert(hold=hold)
    with pytest.raises(HoldInvalid, match="déjà réservé"):
        slot_hold_release(hold=hold)
    assert _counts(slot) == (1, 0)


def test_convert_books_and_refuses_expired_or_repeated():
    slot = SlotFactory()
    hold = slot_hold(slot=slot, basket_id="b")
    slot_hold_convert(hold=hold)
    assert _counts(slot) == (1, 0)
    with pytest.raises(HoldInvalid):
        slot_hold_convert(hold=hold)
    late = slot_hold(slot=slot, basket_id="c")
    with pytest.raises(HoldExpired, match="expiré"):
        slot_hold_convert(hold=late, now=late.expires_at)
    assert _counts(slot) == (1, 1)


def test_holds_expire_releases_only_expired_holds_and_is_idempotent():
    slot = SlotFactory(capacity=5)
    now = timezone.now()
    old = [slot_hold(slot=slot, basket_id=f"old{i}", now=now - dt.timedelta(minutes=16)) for i in range(3)]
    other = SlotFactory(point=slot.point, starts_at=slot.ends_at)
    fresh = slot_hold(slot=other, basket_id="fresh", now=now)
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

    def test_hold_takes_the_smallest_free_compartment_that_fits(self):
        point, small, large, cold = self._bank()
        slot = SlotFactory(point=point)
        assert slot_hold(slot=slot, basket_id="a", compartment_size="S").compartment == small
        assert slot_hold(slot=slot, basket_id="b", compartment_size="S").compartment == large
        with pytest.raises(CompartmentUnavailable, match="casier"):
            slot_hold(slot=slot, basket_id="c")
        assert slot_hold(slot=slot, basket_id="d", temperature="chilled").compartment == cold
        assert _counts(slot) == (0, 3)

    def test_overlapping_slots_share_compartments_but_not_at_the_same_time(self):
        point, small, _large, _cold = self._bank()
        first = SlotFactory(point=point)
        overlapping = SlotFactory(point=point, starts_at=first.starts_at + dt.timedelta(minutes=30))
        later = SlotFactory(point=point, starts_at=first.ends_at)
        slot_hold(slot=first, basket_id="a", compartment_size="L")
        with pytest.raises(CompartmentUnavailable):
            slot_hold(slot=overlapping, basket_id="b", compartment_size="L")
        assert slot_hold(slot=later, basket_id="c", compartment_size="L").compartment.code == "A2"

    def test_released_or_expired_holds_free_their_compartment(self):
        point, *_ = self._bank()
        slot = SlotFactory(point=point)
        now = timezone.now()
        stale = slot_hold(slot=slot, basket_id="a", compartment_size="L", now=now - dt.timedelta(hours=1))
        hold = slot_hold(slot=slot, basket_id="b", compartment_size="L", now=now)
        assert hold.compartment == stale.compartment
        slot_hold_release(hold=hold)
        assert slot_hold(slot=slot, basket_id="c", compartment_size="L", now=now).compartment == stale.compartment

    def test_unknown_size_or_temperature_is_refused(self):
        point, *_ = self._bank()
        slot = SlotFactory(point=point)
        with pytest.raises(SlotUnavailable, match="Taille de casier inconnue"):
            slot_hold(slot=slot, basket_id="a", compartment_size="XL")
        with pytest.raises(SlotUnavailable, match="Température de casier inconnue"):
            slot_hold(slot=slot, basket_id="a", temperature="frozen")
        assert not SlotHold.objects.exists()
