"""Orders with one part per shop (placed by ``tests.factories.orders.order_placed``), their
merchants and collection-point staff, for the pickup and notification tests."""
from __future__ import annotations

from decimal import Decimal

from logistics.pickup.models import PointStaff
from tests.factories.accounts import UserFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.partner import StockRecordFactory
from tests.factories.shops import ShopFactory


def point_staff_create(*, point, user=None) -> PointStaff:
    return PointStaff.objects.create(point=point, user=user or UserFactory())


# --- orders with shop parts (the order workflow's factory) ------------------------------


def merchant_of(shop):
    """A staff member of ``shop`` (created once per shop)."""
    from shops.staff.services import shop_staff_join

    user = UserFactory(username=f"commercant-{shop.slug}")
    if not shop.partner.users.filter(pk=user.pk).exists():
        shop_staff_join(shop=shop, user=user, role="staff")
    return user


def order_with_parts(*, shops=None, count: int = 3, mode: str = "point", point=None, slot=None, quantity: int = 2,
                     quantities=None, user=None, guest_email: str = "client@example.test", price: str = "4.50",
                     paid: bool = False):
    """A placed order (``tests.factories.orders.order_placed``) with one part per shop (``count``
    new shops by default), ``quantity`` units (or ``quantities[i]`` for shop i) of a new offer
    each; collected at ``point`` (``mode="point"``) or at each shop (``mode="shop"``)."""
    from marketplace.order.models import FulfilmentMode
    from tests.factories.orders import order_placed

    from logistics.models import Slot
    from tests.factories.logistics import SlotFactory

    if shops is None:
        shops = [ShopFactory() for _ in range(len(quantities) if quantities is not None else count)]
    shops = list(shops)
    quantities = list(quantities) if quantities is not None else [quantity] * len(shops)
    if mode == "point" and point is not None and slot is None:  # orders of one point share its slot
        slot = Slot.objects.filter(point=point).order_by("starts_at").first() or SlotFactory(point=point)
    offers = [
        StockRecordFactory(shop=shop, product=ProductFactory(), price=Decimal(price), num_in_stock=max(10, q))
        for shop, q in zip(shops, quantities, strict=True)
    ]
    return order_placed(
        items=list(zip(offers, quantities, strict=True)),
        mode=FulfilmentMode.AT_POINT if mode == "point" else FulfilmentMode.AT_SHOPS,
        point=point,
        slot=slot,
        user=user,
        guest_email=guest_email,
        paid=paid,
    )


def part_advance(shop_order, *, to: str, user=None, now=None):
    """Walk a part through the merchant's workflow up to ``to`` (accepted … dropped)."""
    from marketplace.order import services

    steps = ["accepted", "preparing", "ready", "dropped"]
    actions = {
        "accepted": services.shop_order_accept,
        "preparing": services.shop_order_prepare,
        "ready": services.shop_order_ready,
        "dropped": services.shop_order_drop,
    }
    user = user or merchant_of(shop_order.shop)
    shop_order.refresh_from_db()
    start = steps.index(shop_order.status) + 1 if shop_order.status in steps else 0
    for step in steps[start: steps.index(to) + 1]:
        shop_order = actions[step](shop_order=shop_order, user=user, now=now)
    return shop_order
