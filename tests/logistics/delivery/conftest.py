import pytest

from tests.factories import UserFactory


@pytest.fixture
def manager_client(client):
    """Signed in as the town manager (staff, not a superuser, as in the demo)."""
    client.force_login(UserFactory(username="manon", email="manager@halle.test", is_staff=True))
    return client
