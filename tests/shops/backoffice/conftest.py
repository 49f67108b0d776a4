import pytest

from tests.factories.backoffice import merchant


@pytest.fixture
def staff_a(db):
    user, shop = merchant(username="marchand-a", role="owner")
    return user, shop


@pytest.fixture
def logged_a(client, staff_a):
    client.force_login(staff_a[0])
    return client
