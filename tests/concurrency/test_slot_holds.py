"""Slot capacity under real concurrency on PostgreSQL (threads, one connection each)."""
import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from logistics.exceptions import HoldInvalid, SlotFull
from logistics.models import HoldStatus, SlotHold
from logistics.services.holds import holds_expire
from tests.concurrency.threads import run_together, unexpected
from tests.factories.logistics import SlotFactory, slot_held

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_concurrent_holds_on_capacity_ten_give_exactly_ten():
    assert connection.vendor == "postgresql"
    slot = SlotFactory(capacity=10)

    results = run_together(50, lambda i: slot_held(slot.pk, 1000 + i, point=slot.point))

    held = [r for r in results if isinstance(r, SlotHold)]
    full = [r for r in results if isinstance(r, SlotFull)]
    assert len(held) == 10 and len(full) == 40, unexpected(results, SlotHold, SlotFull)
    assert {str(r) for r in full} == {"Ce créneau est complet."}
    slot.refresh_from_db()
    assert (slot.held, slot.booked) == (10, 0)
    assert SlotHold.objects.filter(slot=slot, status=HoldStatus.HELD).count() == 10


def test_one_basket_holding_from_two_windows_at_once_holds_one_slot():
    slot = SlotFactory(capacity=10)

    results = run_together(2, lambda i: slot_held(slot.pk, 77, point=slot.point))

    # The second either replaced the first (it saw it) or was refused (it did not): never two.
    assert not unexpected(results, SlotHold, HoldInvalid), unexpected(results, SlotHold, HoldInvalid)
    assert any(isinstance(r, SlotHold) for r in results)
    slot.refresh_from_db()
    assert slot.held == 1
    assert SlotHold.objects.filter(basket_id=77, status=HoldStatus.HELD).count() == 1


def test_two_expiry_jobs_at_once_release_each_hold_once():
    slots = [SlotFactory(capacity=10, starts_at=timezone.now() + dt.timedelta(days=1, hours=h)) for h in range(3)]
    past = timezone.now() - dt.timedelta(minutes=20)
    for slot in slots:
        for i in range(8):
            slot_held(slot, slot.pk * 100 + i, now=past)

    results = run_together(2, lambda i: holds_expire(now=timezone.now(), batch_size=5))

    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 24
    for slot in slots:
        slot.refresh_from_db()
        assert slot.held == 0
    assert not SlotHold.objects.filter(status=HoldStatus.HELD).exists()
