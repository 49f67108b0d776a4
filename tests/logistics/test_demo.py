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
