"""Migrating a populated database: every slot hold survives the move to real columns."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from logistics.models import HoldStatus, SlotHold
from tests.factories.logistics import SlotFactory
from tests.factories.shops import ShopFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("logistics", "0002_shared_period_bases")]
AFTER = [("logistics", "0005_slothold_constraints")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_slot_holds_keep_their_basket_and_shop_part_through_the_migration_and_back():
    shops = [ShopFactory(), ShopFactory()]
    slot, other = SlotFactory(capacity=10, held=3, booked=1), SlotFactory(capacity=10, held=1)
    expires = timezone.now() + dt.timedelta(minutes=15)
    try:
        old_apps = _migrate(BEFORE)
        OldHold = old_apps.get_model("logistics", "SlotHold")
        rows = [
            ("41", slot, "held"),
            (f"42:{shops[0].pk}", slot, "held"),
            (f"42:{shops[1].pk}", other, "held"),
            ("43", slot, "converted"),
            (f"44:{shops[1].pk}", slot, "released"),
        ]
        created = {key: OldHold.objects.create(slot_id=s.pk, basket_id=key, status=status, expires_at=expires).pk
                   for key, s, status in rows}
        # Two clicks that raced before the constraint existed: two held slots for basket 45.
        older = OldHold.objects.create(slot_id=slot.pk, basket_id="45", status="held", expires_at=expires).pk
        newer = OldHold.objects.create(slot_id=other.pk, basket_id="45", status="held", expires_at=expires).pk
        type(slot).objects.filter(pk=slot.pk).update(held=3)  # 41, 42:shop 0 and 45's older
        type(slot).objects.filter(pk=other.pk).update(held=2)  # 42:shop 1 and 45's newer

        _migrate(AFTER)

        after = {h.pk: h for h in SlotHold.objects.all()}
        assert len(after) == len(rows) + 2  # every row survived
        expected = {
            "41": (41, None, HoldStatus.HELD), f"42:{shops[0].pk}": (42, shops[0].pk, HoldStatus.HELD),
            f"42:{shops[1].pk}": (42, shops[1].pk, HoldStatus.HELD), "43": (43, None, HoldStatus.CONVERTED),
            f"44:{shops[1].pk}": (44, shops[1].pk, HoldStatus.RELEASED),
        }
        for key, pk in created.items():
            hold = after[pk]
            assert (hold.basket_id, hold.shop_id, hold.status) == expected[key], key
            assert hold.slot_id == (other.pk if key == f"42:{shops[1].pk}" else slot.pk)
        assert (after[newer].status, after[older].status) == (HoldStatus.HELD, HoldStatus.RELEASED)
        slot.refresh_from_db()
        other.refresh_from_db()
        assert (slot.held, other.held) == (2, 2)  # the released duplicate gave its place back

        back_apps = _migrate(BEFORE)  # and back: the composite keys again
        keys = dict(back_apps.get_model("logistics", "SlotHold").objects.values_list("pk", "basket_id"))
        assert {keys[pk] for pk in created.values()} == set(created)
        assert keys[older] == keys[newer] == "45"
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
