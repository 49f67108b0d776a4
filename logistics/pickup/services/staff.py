"""Collection-point staff: the link user ↔ point, and the permission the order workflow checks."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from logistics.models import CollectionPoint, PointKind
from logistics.pickup.exceptions import PickupError
from logistics.pickup.models import PointStaff

#: Members may hand over orders at a collection point (``order.handover_at_point``);
#: *which* points is said by their ``PointStaff`` links.
GROUP_NAME = "Équipe des points de retrait"


def _group() -> Group:
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    permission = Permission.objects.get(content_type__app_label="order", codename="handover_at_point")
    group.permissions.add(permission)
    return group


def point_staff_add(*, point: CollectionPoint, user) -> PointStaff:
    """Let ``user`` hand over orders at ``point`` (a town point or a locker bank). Idempotent."""
    if point.kind == PointKind.SHOP_COUNTER:
        raise PickupError("Le comptoir d'un commerce est tenu par l'équipe du commerce, pas par le point de retrait.")
    with transaction.atomic():
        link, _ = PointStaff.objects.get_or_create(point=point, user=user)
        user.groups.add(_group())
    return link


def point_staff_remove(*, point: CollectionPoint, user) -> None:
    with transaction.atomic():
        PointStaff.objects.filter(point=point, user=user).delete()
        if not PointStaff.objects.filter(user=user).exists():
            user.groups.remove(_group())


def locker_system_username(*, point: CollectionPoint) -> str:
    return f"consigne-{point.pk}"


def locker_system_user(*, point: CollectionPoint):
    """The account in whose name a locker bank hands over an order when its code opens a door
    (the audit then says which bank did it)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=locker_system_username(point=point),
        defaults={"email": f"consigne-{point.pk}@halle.invalid", "first_name": "Consigne", "last_name": point.name[:150]},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    point_staff_add(point=point, user=user)
    return user
