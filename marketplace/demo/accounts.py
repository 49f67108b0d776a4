"""Demo accounts: a shopper, one merchant per shop (a multi-shop basket must be
preparable to its end: a shop without staff would leave the pickup code unsent),
the town collection point's staff, the town-centre manager."""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from shops.models import Shop
from shops.staff.services import shop_staff_join

DEMO_PASSWORD = "halle-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    detail: str = ""


def _user(email: str, first: str, last: str, *, password_hash: str | None = None, **flags):
    """``password_hash``: one hash shared by many accounts (hashing is slow on purpose)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"username": email.split("@")[0], "first_name": first, "last_name": last, **flags}
    )
    if created:
        user.password = password_hash or make_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def demo_accounts_ensure() -> list[DemoAccount]:
    """Create the demo accounts if missing (idempotent) and describe them."""
    accounts = [DemoAccount("Client", _user("client@halle.test", "Claire", "Client").email, DEMO_PASSWORD)]
    password_hash = make_password(DEMO_PASSWORD)
    # The seeded shops; a shop opened from an application (marketplace.demo.gestion) has its own owner.
    for number, shop in enumerate(Shop.objects.filter(application__isnull=True).order_by("pk"), start=1):
        merchant = _user(f"commercant{number}@halle.test", "Commerçant", str(number), password_hash=password_hash)
        shop_staff_join(shop=shop, user=merchant, role="owner")
        accounts.append(DemoAccount("Commerçant", merchant.email, DEMO_PASSWORD, shop.name))
    from logistics.models import CollectionPoint, PointKind
    from logistics.pickup.services.staff import point_staff_add

    point = CollectionPoint.objects.filter(kind=PointKind.TOWN_POINT, is_active=True).order_by("pk").first()
    if point is not None:
        agent = _user("point-retrait@halle.test", "Paul", "Point")
        point_staff_add(point=point, user=agent)
        accounts.append(DemoAccount("Point de retrait", agent.email, DEMO_PASSWORD, f"{point.name} — /retrait/point/"))
    # The manager is the town's staff, not a superuser: /gestion/ and Oscar's dashboard, not
    # the Django admin (an older demo database made it a superuser: put right here).
    manager = _user("manager@halle.test", "Manon", "Manager", is_staff=True)
    if manager.is_superuser or not manager.is_staff:
        manager.is_superuser, manager.is_staff = False, True
        manager.save(update_fields=["is_superuser", "is_staff"])
    accounts.append(DemoAccount("Manager du centre-ville", manager.email, DEMO_PASSWORD, "/gestion/"))
    admin = _user("admin@halle.test", "Alex", "Admin", password_hash=password_hash, is_staff=True, is_superuser=True)
    accounts.append(DemoAccount("Administrateur technique", admin.email, DEMO_PASSWORD, "/admin/ (superutilisateur)"))
    from django.utils import timezone

    from marketplace.demo.delivery import delivery_demo_accounts

    accounts += delivery_demo_accounts(password_hash=password_hash, today=timezone.localdate())
    return accounts
