"""Slot capacity under real concurrency on PostgreSQL (threads, one connection each)."""
import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from logistics.exceptions import SlotFull
from logistics.models import HoldStatus, SlotHold
from logistics.services.holds import holds_expire, slot_hold
from tests.factories.logistics import SlotFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _run_together(count, work):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def test_fifty_concurrent_holds_on_capacity_ten_give_exactly_ten():
    assert connection.vendor == "postgresql"
    slot = SlotFactory(capacity=10)

    results, _ = _run_together(50, lambda i: slot_hold(slot=slot.pk, basket_id=f"panier-{i}"))

    held = [r for r in results if isinstance(r, SlotHold)]
    full = [r for r in results if isinstance(r, SlotFull)]
    assert len(held) == 10 and len(full) == 40, [r for r in results if not isinstance(r, SlotHold | SlotFull)]
    assert {str(r) for r in full} == {"Ce créneau est complet."}
    slot.refresh_from_db()
    assert (slot.held, slot.booked) == (10, 0)
    assert SlotHold.objects.filter(slot=slot, status=HoldStatus.HELD).count() == 10


def test_two_expiry_jobs_at_once_release_each_hold_once():
    slots = [SlotFactory(capacity=10, starts_at=timezone.now() + dt.timedelta(days=1, hours=h)) for h in range(3)]
    past = timezone.now() - dt.timedelta(minutes=20)
    for slot in slots:
        for i in range(8):
            slot_hold(slot=slot, basket_id=f"{slot.pk}-{i}", now=past)

    results, _ = _run_together(2, lambda i: holds_expire(now=timezone.now(), batch_size=5))

    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 24
    for slot in slots:
        slot.refresh_from_db()
        assert slot.held == 0
    assert not SlotHold.objects.filter(status=HoldStatus.HELD).exists()
