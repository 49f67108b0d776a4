"""The town manager (staff, not a superuser) works in the Oscar dashboard pages their role
uses — catalogue, orders, promotions, reports, customers — and nowhere else: not the
pages of things Halle does not use, not the Django admin; the role ends with staff."""
from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import StockRecordFactory, UserFactory
from tests.factories.orders import order_placed

pytestmark = pytest.mark.django_db

USED = ("catalogue-product-list", "catalogue-category-list", "catalogue-class-list", "order-list", "order-stats",
        "offer-list", "voucher-list", "range-list", "reports-index", "users-index", "partner-list")
NOT_USED = ("reviews-list", "page-list", "comms-list")


@pytest.fixture
def manager(client):
    user = UserFactory(username="manon", email="manager@halle.test", is_staff=True)
    client.force_login(user)
    return user


def test_the_manager_opens_the_dashboard_pages_of_their_work(client, manager):
    order = order_placed(items=[(StockRecordFactory(num_in_stock=5), 1)])
    for name in USED:
        assert client.get(reverse(f"dashboard:{name}")).status_code == 200, name
    assert client.get(reverse("dashboard:order-detail", kwargs={"number": order.number})).status_code == 200
    assert not manager.is_superuser


def test_pages_of_what_halle_does_not_use_and_the_admin_stay_closed(client, manager):
    for name in NOT_USED:
        assert client.get(reverse(f"dashboard:{name}")).status_code == 403, name
    assert client.get("/admin/").status_code in (302, 403)
    assert not manager.has_perm("partner.dashboard_access") and not manager.has_perm("auth.change_user")


def test_the_role_ends_with_staff(client, manager):
    assert manager.has_perm("order.view_order")
    manager.is_staff = False
    manager.save()
    assert not manager.has_perm("order.view_order")
    assert client.get(reverse("dashboard:order-list")).status_code == 403
