import datetime as dt

import pytest
from django.utils import timezone

from logistics.models import CollectionPoint, LockerCompartment, PointKind, Slot, SlotTemplate
from marketplace.demo.town import logistics_seed
from shops.models import Shop
from tests.factories import ShopFactory

pytestmark = pytest.mark.django_db


def test_logistics_seed_creates_the_town_points_once_with_a_week_of_slots():
    shops = [ShopFactory(), ShopFactory()]
    today = timezone.localdate()
    logistics_seed(shops=shops, today=today)
    counts = (CollectionPoint.objects.count(), SlotTemplate.objects.count(), Slot.objects.count())
    logistics_seed(shops=list(Shop.objects.all()), today=today)

    assert (CollectionPoint.objects.count(), SlotTemplate.objects.count(), Slot.objects.count()) == counts
    town = CollectionPoint.objects.get(kind=PointKind.TOWN_POINT)
    assert town.name == "Point retrait de la Halle"
    lockers = CollectionPoint.objects.get(kind=PointKind.LOCKER_BANK, name="Consignes du Beffroi")
    compartments = LockerCompartment.objects.filter(point=lockers)
    assert compartments.count() == 6 and compartments.filter(temperature="chilled").count() == 2
    assert {c.size for c in compartments} == {"S", "M", "L"}
    assert CollectionPoint.objects.filter(kind=PointKind.SHOP_COUNTER).count() == 2
    assert town.slot_templates.count() == 5 * 9
    slots = Slot.objects.filter(point=town)
    assert slots.exists() and all(s.capacity == 8 for s in slots)
    assert all(today <= timezone.localtime(s.starts_at).date() < today + dt.timedelta(days=7) for s in slots)
    assert all(1 <= timezone.localtime(s.starts_at).weekday() <= 5 for s in slots)


def test_logistics_seed_gives_each_shop_counter_slots_within_its_opening_hours():
    from tests.factories import OpeningPeriodFactory

    shop = ShopFactory()
    OpeningPeriodFactory(shop=shop, weekday=2, opens=dt.time(9, 30), closes=dt.time(12, 30))
    OpeningPeriodFactory(shop=shop, weekday=2, opens=dt.time(14, 0), closes=dt.time(16, 0))
    logistics_seed(shops=[shop], today=timezone.localdate())

    counter = CollectionPoint.objects.get(kind=PointKind.SHOP_COUNTER, shop=shop)
    starts = sorted((t.start, t.end) for t in counter.slot_templates.all())
    assert starts == [(dt.time(h), dt.time(h + 1)) for h in (10, 11, 14, 15)]
    assert {t.capacity for t in counter.slot_templates.all()} == {4}
    slots = Slot.objects.filter(point=counter)
    assert slots.count() == 4  # one Wednesday in the coming week
