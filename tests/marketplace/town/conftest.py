"""Fixtures of the manager's space: the town manager, and a signed-in client for them."""
from __future__ import annotations

import pytest

from tests.factories import UserFactory


@pytest.fixture
def manager():
    """The town manager: staff, not a superuser (as in the demo)."""
    return UserFactory(username="manon", email="manager@halle.test", first_name="Manon", last_name="Manager",
                       is_staff=True)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client
