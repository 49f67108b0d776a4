"""The courier's side: the manifest, leaving, delivered and failed stops, isolation between couriers,
the shopper's e-mails (once each) and the failed parcel turned into a pickup at the town point."""
from __future__ import annotations

import pytest
from django.urls import reverse

from logistics.delivery.models import Round, RoundStatus, RoundStop, StopStatus
from logistics.delivery.services import stops
from logistics.delivery.services.rounds import window_rounds_plan
from logistics.pickup.models import ParcelPlacement, PickupCode
from marketplace.notifications.models import NotificationEvent, OrderNotification
from marketplace.order.models import ShopOrder, ShopOrderStatus
from marketplace.order.services import shop_order_collect
from marketplace.town.home import home_url_for
from tests.factories import UserFactory
from tests.factories.pickup import part_advance, point_staff_create
from tests.logistics.delivery.rounds_helpers import town_with_orders

pytestmark = pytest.mark.django_db
S = ShopOrderStatus


@pytest.fixture
def planned():
    """Two couriers, four orders, all parts ready at the depot, the window planned."""
    town, _zone, window, orders = town_with_orders(orders=4, parcels=3, couriers=2)
    for part in ShopOrder.objects.filter(order__in=orders):
        part_advance(part, to="ready")
    window_rounds_plan(window=window)
    rounds = list(Round.objects.filter(window=window).select_related("courier__user"))
    assert len(rounds) == 2
    return town, window, orders, rounds


def emails(order, event):
    return OrderNotification.objects.filter(order=order, event=event).count()


def test_a_courier_lands_on_their_rounds_after_login_and_sees_their_round(client, planned):
    _town, _window, _orders, (mine, _other) = planned
    user = mine.courier.user
    assert home_url_for(user=user) == reverse("courier:home")
    client.force_login(user)
    page = client.get(reverse("courier:home"))
    assert page.status_code == 200 and reverse("courier:round", args=[mine.pk]) in page.content.decode()
    manifest = client.get(reverse("courier:round", args=[mine.pk])).content.decode()
    stop = mine.stops.first()
    assert f"geo:{stop.booking.latitude},{stop.booking.longitude}" in manifest
    assert stop.booking.complement in manifest and stop.booking.instructions in manifest
    assert f"L-{stop.booking.order.number}-" in manifest


def test_only_couriers_open_the_courier_pages(client, planned):
    client.force_login(UserFactory())
    assert client.get(reverse("courier:home")).status_code == 403
    client.logout()
    assert client.get(reverse("courier:home")).status_code == 302


def test_a_courier_never_reaches_another_couriers_round_or_stops(client, planned):
    _town, _window, _orders, (mine, other) = planned
    client.force_login(mine.courier.user)
    theirs = other.stops.first()
    assert client.get(reverse("courier:round", args=[other.pk])).status_code == 404
    assert client.post(reverse("courier:round-start", args=[other.pk])).status_code == 404
    for name in ("courier:stop-deliver", "courier:stop-fail", "courier:stop-pickup"):
        response = client.post(reverse(name, args=[theirs.pk]), {"received_by": "X", "reason": "absent"})
        assert response.status_code == 404, name
    assert client.get(reverse("courier:round", args=[999999])).status_code == 404
    other.refresh_from_db()
    theirs.refresh_from_db()
    assert other.status == RoundStatus.PLANNED and theirs.status == StopStatus.PLANNED
    assert not ShopOrder.objects.filter(status=S.OUT_FOR_DELIVERY).exists()


def test_leaving_puts_the_rounds_orders_out_for_delivery_with_one_email_each(client, planned):
    _town, _window, _orders, (mine, other) = planned
    client.force_login(mine.courier.user)
    client.post(reverse("courier:round-start", args=[mine.pk]))
    client.post(reverse("courier:round-start", args=[mine.pk]))  # a retried tap
    mine_orders = {s.booking.order for s in mine.stops.all()}
    for order in mine_orders:
        assert set(order.shop_orders.values_list("status", flat=True)) == {S.OUT_FOR_DELIVERY}
        assert emails(order, NotificationEvent.OUT_FOR_DELIVERY) == 1
    for stop in other.stops.all():
        assert set(stop.booking.order.shop_orders.values_list("status", flat=True)) == {S.READY}


def test_delivered_stop_collects_the_parts_and_tells_the_shopper_once(client, planned):
    _town, _window, _orders, (mine, _other) = planned
    user = mine.courier.user
    stops.round_start(round_id=mine.pk, user=user)
    stop = mine.stops.first()
    client.force_login(user)
    for _ in range(2):  # a flaky network: the same tap twice
        client.post(reverse("courier:stop-deliver", args=[stop.pk]), {"received_by": "Mme Martin"})
    stop.refresh_from_db()
    order = stop.booking.order
    assert stop.status == StopStatus.DONE and stop.received_by == "Mme Martin" and stop.done_by == user
    assert set(order.shop_orders.values_list("status", flat=True)) == {S.COLLECTED}
    assert emails(order, NotificationEvent.ORDER_DELIVERED) == 1


def test_delivered_without_a_name_is_refused_in_french_and_changes_nothing(client, planned):
    _town, _window, _orders, (mine, _other) = planned
    stops.round_start(round_id=mine.pk, user=mine.courier.user)
    stop = mine.stops.first()
    client.force_login(mine.courier.user)
    page = client.post(reverse("courier:stop-deliver", args=[stop.pk]), {"received_by": "  "}, follow=True)
    assert "Indiquez le nom de la personne" in page.content.decode()
    stop.refresh_from_db()
    assert stop.status == StopStatus.PLANNED
    assert set(stop.booking.order.shop_orders.values_list("status", flat=True)) == {S.OUT_FOR_DELIVERY}


def test_an_unknown_failure_reason_or_a_stop_before_leaving_is_refused(client, planned):
    _town, _window, _orders, (mine, _other) = planned
    stop = mine.stops.first()
    client.force_login(mine.courier.user)
    page = client.post(reverse("courier:stop-fail", args=[stop.pk]), {"reason": "absent"}, follow=True)
    assert "Démarrez d&#x27;abord la tournée" in page.content.decode()
    stops.round_start(round_id=mine.pk, user=mine.courier.user)
    page = client.post(reverse("courier:stop-fail", args=[stop.pk]), {"reason": "lune"}, follow=True)
    assert "Choisissez le motif" in page.content.decode()
    stop.refresh_from_db()
    assert stop.status == StopStatus.PLANNED


def test_a_failed_delivery_becomes_a_pickup_at_the_town_point_with_a_code(client, planned):
    town, _window, _orders, (mine, _other) = planned
    user = mine.courier.user
    stops.round_start(round_id=mine.pk, user=user)
    stop = mine.stops.first()
    order = stop.booking.order
    fee_before = stop.booking.fee
    client.force_login(user)
    for _ in range(2):
        client.post(reverse("courier:stop-fail", args=[stop.pk]), {"reason": "absent"})
    stop.refresh_from_db()
    assert stop.status == StopStatus.FAILED and stop.failure_reason == "absent"
    assert set(order.shop_orders.values_list("status", flat=True)) == {S.DROPPED}
    assert set(order.shop_orders.values_list("collection_point", flat=True)) == {town.point.pk}
    code = PickupCode.objects.get(order=order, is_open=True)
    assert ParcelPlacement.objects.filter(order=order, point=town.point, ended_at__isnull=True).exists()
    assert emails(order, NotificationEvent.DELIVERY_FAILED) == 1
    assert emails(order, NotificationEvent.ORDER_READY) == 0  # the failure e-mail carries the code
    stop.booking.refresh_from_db()
    assert stop.booking.fee == fee_before  # nothing more to pay
    # At the point, the staff hand it over as any pickup.
    staff = point_staff_create(point=town.point).user
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="handover_at_point"))
    staff = type(staff).objects.get(pk=staff.pk)
    for part in order.shop_orders.all():
        shop_order_collect(shop_order=part, user=staff)
    assert set(order.shop_orders.values_list("status", flat=True)) == {S.COLLECTED}
    assert code.code


def test_the_round_is_done_once_every_stop_is_done_or_failed(planned):
    _town, _window, _orders, (mine, _other) = planned
    user = mine.courier.user
    stops.round_start(round_id=mine.pk, user=user)
    for i, stop in enumerate(RoundStop.objects.filter(round=mine)):
        if i % 2:
            stops.stop_fail(stop_id=stop.pk, user=user, reason="refused")
        else:
            stops.stop_deliver(stop_id=stop.pk, user=user, received_by="Voisin")
    mine.refresh_from_db()
    assert mine.status == RoundStatus.DONE and mine.finished_at is not None


def test_a_failed_delivery_left_at_the_point_expires_under_the_no_show_rules(planned, settings):
    import datetime as dt

    from logistics.pickup.services.no_shows import no_shows_expire
    from marketplace.order.models import CancelReason

    _town, _window, _orders, (mine, _other) = planned
    user = mine.courier.user
    stops.round_start(round_id=mine.pk, user=user)
    stop = mine.stops.first()
    failed_at = stop.booking.window.starts_at
    stops.stop_fail(stop_id=stop.pk, user=user, reason="absent", now=failed_at)
    order = stop.booking.order
    days = settings.HALLE_NO_SHOW_DAYS
    assert no_shows_expire(now=failed_at + dt.timedelta(days=days) - dt.timedelta(minutes=1)) == 0
    assert no_shows_expire(now=failed_at + dt.timedelta(days=days, minutes=1)) == order.shop_orders.count()
    assert set(order.shop_orders.values_list("cancel_reason", flat=True)) == {CancelReason.NO_SHOW}


def test_the_manifest_takes_as_many_queries_for_three_stops_as_for_two(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _town, _zone, window, orders = town_with_orders(orders=5, parcels=3, couriers=2)
    window_rounds_plan(window=window)
    sizes = {}
    rounds = list(Round.objects.filter(window=window).select_related("courier__user"))
    for round_ in rounds:
        client.force_login(round_.courier.user)
        client.get(reverse("courier:round", args=[round_.pk]))  # the first page caches the menu, makes the basket
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("courier:round", args=[round_.pk])).status_code == 200
        sizes[round_.stops.count()] = len(queries)
    assert set(sizes) == {2, 3} and len(set(sizes.values())) == 1, sizes
