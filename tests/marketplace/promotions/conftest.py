import pytest

from tests.factories import UserFactory


@pytest.fixture
def manager_client(client):
    client.force_login(UserFactory(username="manon", email="manager@halle.test", is_staff=True))
    return client
