"""Collection-point staff: the link grants the workflow's handover permission; counters are the shop's."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from logistics.models import PointKind
from logistics.pickup.exceptions import PickupError
from logistics.pickup.selectors import points_of_staff
from logistics.pickup.services.staff import locker_system_user, point_staff_add, point_staff_remove
from tests.factories import ShopFactory, UserFactory
from tests.factories.logistics import CollectionPointFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_adding_staff_to_a_point_grants_the_handover_permission_and_removing_the_last_link_takes_it_back():
    first, second = CollectionPointFactory(), CollectionPointFactory()
    user = UserFactory()

    point_staff_add(point=first, user=user)
    point_staff_add(point=second, user=user)
    point_staff_add(point=first, user=user)  # idempotent
    assert User.objects.get(pk=user.pk).has_perm("order.handover_at_point")
    assert points_of_staff(user=user) == [first, second]

    point_staff_remove(point=first, user=user)
    assert User.objects.get(pk=user.pk).has_perm("order.handover_at_point")
    point_staff_remove(point=second, user=user)
    assert not User.objects.get(pk=user.pk).has_perm("order.handover_at_point")


def test_a_shop_counter_has_no_point_staff():
    counter = CollectionPointFactory(kind=PointKind.SHOP_COUNTER, shop=ShopFactory())
    with pytest.raises(PickupError, match="tenu par l'équipe du commerce"):
        point_staff_add(point=counter, user=UserFactory())


def test_a_locker_bank_has_one_system_account_that_cannot_log_in():
    lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK)
    account = locker_system_user(point=lockers)
    assert locker_system_user(point=lockers) == account
    assert not account.has_usable_password()
    assert points_of_staff(user=account) == [lockers]
