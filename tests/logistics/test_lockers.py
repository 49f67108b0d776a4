"""The locker-bank adapter: the configured driver, the simulated bank's doors and faults."""
from __future__ import annotations

import pytest
from django.test import override_settings

from logistics.lockers import LockerBank, LockerError, locker_bank
from logistics.lockers.simulated import SimulatedLockerBank, door_events, faulty_set


def test_the_setting_selects_the_simulated_driver_by_default():
    assert isinstance(locker_bank(), SimulatedLockerBank)


@override_settings(HALLE_LOCKER_DRIVER="logistics.lockers.base.DoorEvent")
def test_a_setting_naming_something_else_than_a_driver_is_refused():
    with pytest.raises(TypeError, match="is not a LockerBank"):
        locker_bank()


def test_opening_a_door_is_recorded_and_the_door_closes_again_later():
    bank = locker_bank()
    assert bank.door_is_closed(point_id=1, compartment_code="B3")

    event = bank.door_open(point_id=1, compartment_code="B3", reason="collection")

    assert event in door_events()
    assert not bank.door_is_closed(point_id=1, compartment_code="B3")


def test_a_faulty_compartment_raises_a_french_error():
    faulty_set(["B2"])
    with pytest.raises(LockerError, match="Le casier B2 ne s'ouvre pas"):
        locker_bank().door_open(point_id=1, compartment_code="B2", reason="collection")


def test_drivers_implement_the_interface():
    assert issubclass(SimulatedLockerBank, LockerBank)
