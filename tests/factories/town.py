"""A small town ready for checkout: shops open every day, their counters, a town point, a locker bank, slots."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from logistics.models import CollectionPoint, PointKind, PointOpeningPeriod, Slot
from marketplace.partner.models import StockRecord
from shops.models import OpeningPeriod, Shop
from tests.factories.logistics import CollectionPointFactory, LockerCompartmentFactory, SlotFactory
from tests.factories.partner import StockRecordFactory
from tests.factories.payments import ShopPaymentAccountFactory
from tests.factories.shops import ShopFactory

ALL_DAY = (dt.time(0, 0), dt.time(23, 59))


@dataclass
class Town:
    shops: list[Shop]
    offers: list[StockRecord]  # one per shop, same order
    counters: dict[int, CollectionPoint]  # by shop id
    point: CollectionPoint
    lockers: CollectionPoint
    slots: dict[int, list[Slot]] = field(default_factory=dict)  # by point id, soonest first

    def slot(self, point: CollectionPoint, index: int = 0) -> Slot:
        return self.slots[point.pk][index]


def _open_all_week(**owner) -> None:
    model = OpeningPeriod if "shop" in owner else PointOpeningPeriod
    model.objects.bulk_create([model(weekday=day, opens=ALL_DAY[0], closes=ALL_DAY[1], **owner) for day in range(7)])


def _slots(point: CollectionPoint, *, count: int, capacity: int) -> list[Slot]:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    tz = timezone.get_default_timezone()
    return [
        SlotFactory(point=point, capacity=capacity,
                    starts_at=dt.datetime.combine(tomorrow, dt.time(10 + i), tzinfo=tz))
        for i in range(count)
    ]


def town_built(*, shops: int = 3, stock: int = 20, capacity: int = 8, price: Decimal = Decimal("5.00")) -> Town:
    """``shops`` shops open every day (60 min preparation), each with one offer of ``stock`` units.

    Every point has 3 slots tomorrow at 10:00, 11:00 and 12:00 of ``capacity`` orders.
    """
    shop_list = [ShopFactory(name=f"Commerce {chr(65 + i)}") for i in range(shops)]
    for shop in shop_list:  # each can be paid (an account in the database; none on a Stripe server)
        ShopPaymentAccountFactory(shop=shop)
    offers = [StockRecordFactory(shop=shop, price=price, num_in_stock=stock) for shop in shop_list]
    counters = {}
    for shop in shop_list:
        _open_all_week(shop=shop)
        counters[shop.pk] = CollectionPoint.objects.create(
            kind=PointKind.SHOP_COUNTER, shop=shop, name=f"Comptoir {shop.name}", address=shop.address
        )
    point = CollectionPointFactory(name="Point retrait de la Halle")
    lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK, name="Consignes du Beffroi", shelf_capacity=0)
    LockerCompartmentFactory(point=lockers, code="B1")
    LockerCompartmentFactory(point=lockers, code="B2")
    for shared in (point, lockers):
        _open_all_week(point=shared)
    town = Town(shops=shop_list, offers=offers, counters=counters, point=point, lockers=lockers)
    for p in [*counters.values(), point, lockers]:
        town.slots[p.pk] = _slots(p, count=3, capacity=capacity)
    return town


def basket_of(items, *, owner=None):
    """An open basket with (offer, quantity) lines, its strategy set (as the middleware would)."""
    from marketplace.basket.models import Basket
    from marketplace.partner.strategy import Selector

    basket = Basket.objects.create(owner=owner)
    basket.strategy = Selector().strategy()
    for offer, quantity in items:
        basket.add_product(offer.product, quantity, stockrecord=offer)
    basket._lines = None  # re-read with the shops fetched
    return basket
