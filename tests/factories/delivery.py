"""Factories for delivery zones, addresses, couriers, vehicles, windows and shifts.

Capacity is never set by hand: ``window_with_capacity`` puts couriers on shift through
``shift_add`` so the window's capacity is what its roster gives.
"""
import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from logistics.delivery.models import (
    Address,
    Courier,
    DeliveryWindow,
    DeliveryWindowTemplate,
    DeliveryZone,
    SpeedProfile,
    Vehicle,
    ZoneKind,
)
from logistics.delivery.services.addresses import search_text
from logistics.geo import text_normalised
from tests.factories.accounts import UserFactory
from tests.factories.logistics import PARIS, CollectionPointFactory

#: The demo town's point, the centre of the factories' radius zones.
TOWN_LAT, TOWN_LON = Decimal("48.100000"), Decimal("2.700000")


class DeliveryZoneFactory(factory.django.DjangoModelFactory):
    """Postcode 45210 plus 2 km around the town point, every day, 4.90 € (free from 60 €)."""

    class Meta:
        model = DeliveryZone

    name = factory.Sequence(lambda n: f"Centre-ville {n}")
    kind = ZoneKind.POSTCODES
    postcodes = factory.LazyFunction(lambda: ["45210"])
    communes = factory.LazyFunction(list)
    center_latitude = TOWN_LAT
    center_longitude = TOWN_LON
    radius_m = 2000
    fee = Decimal("4.90")
    minimum_order = Decimal("15.00")
    free_from = Decimal("60.00")
    weekdays = factory.LazyFunction(lambda: list(range(7)))
    depot = factory.SubFactory(CollectionPointFactory)


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    ban_id = factory.Sequence(lambda n: f"45210_0001_{n:05d}")
    numero = factory.Sequence(lambda n: str(n + 1))
    rep = ""
    nom_voie = "Rue de la Halle"
    code_postal = "45210"
    nom_commune = "Beaumont-sur-Loing"
    latitude = TOWN_LAT
    longitude = TOWN_LON
    search = factory.LazyAttribute(
        lambda a: search_text(numero=a.numero, rep=a.rep, street=a.nom_voie, postcode=a.code_postal,
                              commune=a.nom_commune)
    )


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    name = factory.Sequence(lambda n: f"Vélo cargo {n}")
    profile = SpeedProfile.CARGO_BIKE
    capacity_parcels = 10


class CourierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Courier

    user = factory.SubFactory(UserFactory)
    phone = "+33612345678"


class DeliveryWindowTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryWindowTemplate
        skip_postgeneration_save = True

    weekday = 3
    start = dt.time(14, 0)
    end = dt.time(16, 0)
    cutoff_minutes = 120

    @factory.post_generation
    def zones(self, create, extracted, **kwargs):
        if create and extracted:
            self.zones.add(*extracted)


class DeliveryWindowFactory(factory.django.DjangoModelFactory):
    """Tomorrow 14:00–16:00 (town time), cut-off at noon, no shift (capacity 0)."""

    class Meta:
        model = DeliveryWindow

    template = factory.SubFactory(DeliveryWindowTemplateFactory)
    starts_at = factory.LazyFunction(
        lambda: dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(14, 0), tzinfo=PARIS)
    )
    ends_at = factory.LazyAttribute(lambda w: w.starts_at + dt.timedelta(hours=2))
    cutoff_at = factory.LazyAttribute(lambda w: w.starts_at - dt.timedelta(hours=2))


def window_with_capacity(*, zone, parcels: int = 10, couriers: int = 1, **kwargs) -> DeliveryWindow:
    """A window serving ``zone`` whose roster gives ``parcels`` per courier (through ``shift_add``)."""
    from logistics.delivery.services.windows import shift_add

    template = kwargs.pop("template", None) or DeliveryWindowTemplateFactory(zones=[zone])
    window = DeliveryWindowFactory(template=template, **kwargs)
    for _ in range(couriers):
        shift_add(window_id=window.pk, courier=CourierFactory(), vehicle=VehicleFactory(capacity_parcels=parcels))
    window.refresh_from_db()
    return window


STREET = "Rue de la Halle"


def streets_loaded(*, numbers: int = 20, street: str = STREET, postcode: str = "45210",
                   town: str = "Beaumont-sur-Loing", lat=TOWN_LAT, lon=TOWN_LON) -> list[Address]:
    """``numbers`` addresses of one street (1, 2, …), a few metres apart, in the local address base."""
    return [
        AddressFactory(ban_id=f"{postcode}_{text_normalised(street).replace(' ', '')[:10]}_{n:05d}", numero=str(n),
                       nom_voie=street, code_postal=postcode, nom_commune=town,
                       latitude=lat + Decimal(n) / 10000, longitude=lon)
        for n in range(1, numbers + 1)
    ]


def delivery_ready(town, *, parcels: int = 10, couriers: int = 1, **zone_fields):
    """The ``town`` (``tests.factories.town.town_built``) delivers: a zone whose rounds start at its
    town point, its main street in the address base, a window tomorrow 14:00–16:00 with a roster
    of ``couriers`` riding ``parcels`` each. Returns ``(zone, window)``."""
    zone = DeliveryZoneFactory(depot=town.point, **zone_fields)
    streets_loaded()
    window = window_with_capacity(zone=zone, parcels=parcels, couriers=couriers)
    return zone, window


#: The address the delivery tests type (in the zone).
HOME = {"street": "12 Rue de la Halle", "postcode": "45210", "town": "Beaumont-sur-Loing",
        "complement": "Bât. B, 2e étage, code 1234A", "instructions": "Sonner deux fois"}


def order_delivered(*, items, window=None, user=None, guest_email: str = "client@example.test"):
    """An order of ``items`` ((offer, quantity) pairs) delivered at ``HOME`` in ``window`` (a new
    zone and window by default), through the checkout's delivery hold and ``order_place``."""
    from django.contrib.auth.models import AnonymousUser

    from marketplace.checkout.services import order_place
    from marketplace.checkout.services.delivery import checkout_delivery_hold
    from marketplace.order.models import FulfilmentMode
    from shops.models import OpeningPeriod
    from tests.factories.orders import _payable
    from tests.factories.town import basket_of

    shops = list({offer.partner.shop.pk: offer.partner.shop for offer, _ in items}.values())
    _payable(shops)
    for shop in shops:  # open around the clock too: any window of tomorrow is feasible
        OpeningPeriod.objects.bulk_create(
            [OpeningPeriod(shop=shop, weekday=d, opens=dt.time(0), closes=dt.time(23, 59)) for d in range(7)])
    if window is None:
        streets_loaded()
        window = window_with_capacity(zone=DeliveryZoneFactory(minimum_order=Decimal(0)), parcels=20)
    basket = basket_of(items, owner=user if user is not None and user.is_authenticated else None)
    checkout_delivery_hold(basket=basket, window_id=window.pk, **HOME)
    shopper = user if user is not None else AnonymousUser()
    return order_place(basket=basket, user=shopper, mode=FulfilmentMode.DELIVERY, point=None,
                       guest_email="" if shopper.is_authenticated else guest_email)
