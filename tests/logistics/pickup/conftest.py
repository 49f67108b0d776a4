"""Fixtures of the pickup tests: the town's collection point and one of its staff."""
from __future__ import annotations

import pytest

from logistics.pickup.services.staff import point_staff_add
from tests.factories import UserFactory
from tests.factories.logistics import CollectionPointFactory


@pytest.fixture
def point():
    return CollectionPointFactory(name="Point retrait de la Halle", shelf_capacity=10)


@pytest.fixture
def staff(point):
    user = UserFactory(username="agent", first_name="Alex", last_name="Agent")
    point_staff_add(point=point, user=user)
    return user
