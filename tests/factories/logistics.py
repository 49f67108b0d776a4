"""Factories for collection points, lockers, slot templates, slots and holds."""
import datetime as dt

import factory
from django.utils import timezone

from logistics.models import (
    CollectionPoint,
    CompartmentSize,
    HoldStatus,
    LockerCompartment,
    PointClosure,
    PointKind,
    PointOpeningPeriod,
    Slot,
    SlotHold,
    SlotTemplate,
    Temperature,
)

PARIS = timezone.get_default_timezone()


def paris(year, month, day, hour=0, minute=0) -> dt.datetime:
    """An aware datetime read on the town's wall clock (Europe/Paris)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS)


class CollectionPointFactory(factory.django.DjangoModelFactory):
    """The town collection point by default; ``kind=PointKind.LOCKER_BANK`` for lockers."""

    class Meta:
        model = CollectionPoint

    kind = PointKind.TOWN_POINT
    shop = None
    name = factory.Sequence(lambda n: f"Point retrait {n}")
    address = "2 place de la Halle, 45210 Beaumont-sur-Loing"
    shelf_capacity = 40
    is_active = True


class PointOpeningPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointOpeningPeriod

    point = factory.SubFactory(CollectionPointFactory)
    weekday = 0
    opens = dt.time(8, 0)
    closes = dt.time(20, 0)


class PointClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointClosure

    point = factory.SubFactory(CollectionPointFactory)
    starts_at = factory.LazyFunction(lambda: paris(2026, 6, 9))
    ends_at = factory.LazyAttribute(lambda c: c.starts_at + dt.timedelta(days=1))
    reason = "Jour férié"


class LockerCompartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LockerCompartment

    point = factory.SubFactory(CollectionPointFactory, kind=PointKind.LOCKER_BANK)
    code = factory.Sequence(lambda n: f"C{n:03d}")
    size = CompartmentSize.M
    temperature = Temperature.AMBIENT


class SlotTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlotTemplate

    point = factory.SubFactory(CollectionPointFactory)
    weekday = 1
    start = dt.time(10, 0)
    end = dt.time(11, 0)
    capacity = 8


class SlotFactory(factory.django.DjangoModelFactory):
    """A one-hour slot tomorrow at 10:00 (town time) unless told otherwise."""

    class Meta:
        model = Slot

    point = factory.SubFactory(CollectionPointFactory)
    starts_at = factory.LazyFunction(
        lambda: dt.datetime.combine(
            timezone.localdate() + dt.timedelta(days=1), dt.time(10, 0), tzinfo=PARIS
        )
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=1))
    capacity = 10
    booked = 0
    held = 0


class SlotHoldFactory(factory.django.DjangoModelFactory):
    """A raw hold row (does not touch ``slot.held``: use ``slot_held`` for that)."""

    class Meta:
        model = SlotHold

    slot = factory.SubFactory(SlotFactory)
    basket_id = factory.Sequence(lambda n: 900_000 + n)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(minutes=15))
    status = HoldStatus.HELD


def slot_held(slot, basket_id, *, now=None, shop=None, point=None, minutes=15):
    """``slot`` (or a slot id, with ``point``) held for basket ``basket_id`` — the whole basket, or
    ``shop``'s part — through ``basket_slots_hold`` as the checkout holds it; a refusal rolls back
    like the checkout's transaction."""
    from django.db import transaction

    from logistics.services.holds import basket_slots_hold

    now = now or timezone.now()
    part = shop.pk if shop is not None else None
    with transaction.atomic():
        held = basket_slots_hold(
            basket_id=basket_id, wanted={part: (getattr(slot, "pk", slot), (point or slot.point).pk)},
            now=now, expires_at=now + dt.timedelta(minutes=minutes),
        )
    return held[part]
