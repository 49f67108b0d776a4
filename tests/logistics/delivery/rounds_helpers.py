"""Shared set-up of the round tests: a town delivering, orders booked in one window."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from logistics.delivery.models import DeliveryBooking, Round
from logistics.routing.problem import Plan, Route, Visit, VisitKind
from tests.factories.delivery import delivery_ready, order_delivered
from tests.factories.town import town_built

TOWN_POINT = (Decimal("48.100000"), Decimal("2.700000"))


def town_with_orders(*, orders: int = 5, parcels: int = 3, couriers: int = 2, shops: int = 2,
                     multi_shop: bool = False, **zone_fields):
    """``orders`` delivery orders (of shop A, or of every shop when ``multi_shop``) spread over a
    few hundred metres, in a window whose roster is ``couriers`` vehicles of ``parcels``."""
    town = town_built(shops=shops, stock=100, price=Decimal("20.00"))
    town.point.latitude, town.point.longitude = TOWN_POINT
    town.point.save()
    for i, shop in enumerate(town.shops):
        shop.latitude, shop.longitude = TOWN_POINT[0] + Decimal("0.002") * (i + 1), TOWN_POINT[1]
        shop.save()
    zone, window = delivery_ready(town, parcels=parcels, couriers=couriers, minimum_order=Decimal(0), **zone_fields)
    placed = []
    for i in range(orders):
        items = [(offer, 1) for offer in town.offers] if multi_shop else [(town.offers[0], 1)]
        order = order_delivered(items=items, window=window, guest_email=f"client{i}@example.test")
        DeliveryBooking.objects.filter(order=order).update(
            latitude=TOWN_POINT[0] + Decimal("0.001") * (i % 3), longitude=TOWN_POINT[1] + Decimal("0.0015") * i)
        placed.append(order)
    window.refresh_from_db()
    return town, zone, window, placed


def plan_of_stored_rounds(*, window, built) -> Plan:
    """The stored rounds read back as a routing plan (the order of visits only), for the checker."""
    ids = {}
    for job_id, (booking, part) in built.jobs.items():
        ids[(booking.pk, part.pk if part else None)] = job_id
    routes = []
    for round_ in Round.objects.filter(window=window).prefetch_related("stops"):
        visits = tuple(
            Visit(job_id=ids[(stop.booking_id, stop.shop_order_id)],
                  kind=VisitKind.PICKUP if stop.kind == "pickup" else VisitKind.DELIVERY,
                  arrival=0, start=0, load_after=(stop.load_after,))
            for stop in round_.stops.all()
        )
        routes.append(Route(vehicle_id=f"v{round_.shift_id}", visits=visits, departure=0, return_time=0, distance=0))
    return Plan(routes=tuple(routes))


def after(window, minutes: int = 1):
    return window.cutoff_at + dt.timedelta(minutes=minutes)
