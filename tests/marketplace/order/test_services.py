"""The merchant's workflow on a shop order: transitions, who may act, stock and slots given back,
consequences called."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from logistics.models import HoldStatus, Slot, SlotHold
from marketplace.notifications.models import NotificationEvent, OrderNotification
from marketplace.order import services
from marketplace.order.exceptions import LinesInvalid, NotShopStaff, OrderError, TransitionNotAllowed
from marketplace.order.models import CancelReason, FulfilmentMode, ShopOrder, ShopOrderStatus
from marketplace.partner.models import StockRecord
from tests.factories import StockRecordFactory, UserFactory
from tests.factories.backoffice import merchant
from tests.factories.orders import order_placed
from tests.support.consequences import ConsequenceCalls as Received

pytestmark = pytest.mark.django_db
S = ShopOrderStatus


@pytest.fixture
def two_shops():
    user_a, shop_a = merchant(username="marchand-a")
    user_b, shop_b = merchant(username="marchand-b")
    offer_a = StockRecordFactory(shop=shop_a, price=Decimal("4.00"), num_in_stock=10)
    offer_a2 = StockRecordFactory(shop=shop_a, price=Decimal("2.50"), num_in_stock=10)
    offer_b = StockRecordFactory(shop=shop_b, price=Decimal("10.00"), num_in_stock=10)
    return {"a": (user_a, shop_a), "b": (user_b, shop_b), "offers": (offer_a, offer_a2, offer_b)}


@pytest.fixture
def order(two_shops):
    offer_a, offer_a2, offer_b = two_shops["offers"]
    return order_placed(items=[(offer_a, 3), (offer_a2, 2), (offer_b, 1)])


def part_of(order, shop) -> ShopOrder:
    return order.shop_orders.get(shop=shop)


def test_placed_order_has_one_new_part_per_shop_with_its_own_lines(order, two_shops):
    (_, shop_a), (_, shop_b) = two_shops["a"], two_shops["b"]
    part_a, part_b = part_of(order, shop_a), part_of(order, shop_b)
    assert part_a.status == part_b.status == S.NEW
    assert {line.partner_id for line in part_a.lines.all()} == {shop_a.partner_id}
    assert part_a.lines.count() == 2 and part_b.lines.count() == 1
    assert part_a.total_incl_tax == Decimal("17.00")
    assert part_b.total_incl_tax == Decimal("10.00")


def test_the_happy_path_at_the_shop_counter_ends_with_stock_consumed(order, two_shops):
    user_a, shop_a = two_shops["a"]
    offer_a = two_shops["offers"][0]
    part = part_of(order, shop_a)
    for step in (services.shop_order_accept, services.shop_order_prepare, services.shop_order_ready):
        part = step(shop_order=part, user=user_a)
    assert part.status == S.READY and part.ready_at is not None

    part = services.shop_order_collect(shop_order=part, user=user_a)

    assert part.status == S.COLLECTED
    offer_a.refresh_from_db()
    assert (offer_a.num_in_stock, offer_a.num_allocated) == (7, 0)
    assert [e.to_status for e in part.events.all()] == [S.NEW, S.ACCEPTED, S.PREPARING, S.READY, S.COLLECTED]
    assert part.events.last().user == user_a


def test_at_a_collection_point_the_parcel_is_dropped_then_collected_by_point_staff(two_shops):
    user_a, shop_a = two_shops["a"]
    order = order_placed(items=[(two_shops["offers"][0], 1)], mode=FulfilmentMode.AT_POINT)
    part = part_of(order, shop_a)
    point_staff = UserFactory(username="accueil-point")
    point_staff.user_permissions.add(Permission.objects.get(codename="handover_at_point"))
    for step in (services.shop_order_accept, services.shop_order_prepare, services.shop_order_ready):
        part = step(shop_order=part, user=user_a)
    with pytest.raises(TransitionNotAllowed, match="impossible de la marquer retirée"):
        services.shop_order_collect(shop_order=part, user=point_staff)

    part = services.shop_order_drop(shop_order=part, user=user_a)
    with pytest.raises(NotShopStaff, match="équipe du point de retrait"):
        services.shop_order_collect(shop_order=part, user=user_a)
    part = services.shop_order_collect(shop_order=part, user=point_staff)

    assert part.status == S.COLLECTED


def test_a_part_collected_at_its_shop_cannot_be_dropped_at_a_point(order, two_shops):
    user_a, shop_a = two_shops["a"]
    part = part_of(order, shop_a)
    for step in (services.shop_order_accept, services.shop_order_prepare, services.shop_order_ready):
        part = step(shop_order=part, user=user_a)
    with pytest.raises(TransitionNotAllowed, match="comptoir du commerce"):
        services.shop_order_drop(shop_order=part, user=user_a)
    assert ShopOrder.objects.get(pk=part.pk).status == S.READY


@pytest.mark.parametrize(
    ("reach", "action", "message"),
    [
        ([], services.shop_order_prepare, "impossible de commencer sa préparation"),
        ([], services.shop_order_ready, "impossible de la marquer prête"),
        ([services.shop_order_accept], services.shop_order_accept, "(acceptée) : impossible de l'accepter"),
        ([services.shop_order_accept, services.shop_order_prepare, services.shop_order_ready],
         services.shop_order_prepare, "(prête) : impossible de commencer sa préparation"),
    ],
)
def test_illegal_transitions_are_refused_in_french_and_change_nothing(order, two_shops, reach, action, message):
    user_a, shop_a = two_shops["a"]
    part = part_of(order, shop_a)
    for step in reach:
        part = step(shop_order=part, user=user_a)
    events = part.events.count()

    with pytest.raises(TransitionNotAllowed, match=message.replace("(", r"\(").replace(")", r"\)")):
        action(shop_order=part, user=user_a)

    fresh = ShopOrder.objects.get(pk=part.pk)
    assert fresh.status == part.status
    assert fresh.events.count() == events


def test_staff_of_another_shop_cannot_touch_a_part(order, two_shops):
    user_b, _ = two_shops["b"]
    part_a = part_of(order, two_shops["a"][1])
    for action in (services.shop_order_accept, services.shop_order_cancel):
        with pytest.raises(NotShopStaff):
            action(shop_order=part_a, user=user_b)
    with pytest.raises(NotShopStaff):
        services.shop_order_lines_unavailable(
            shop_order=part_a, user=user_b, quantities={part_a.lines.first().pk: 1}
        )
    assert ShopOrder.objects.get(pk=part_a.pk).status == S.NEW


def test_ready_to_capture_is_called_once_in_the_transaction_when_the_last_part_is_accepted(
    order, two_shops, django_capture_on_commit_callbacks
):
    (user_a, shop_a), (user_b, shop_b) = two_shops["a"], two_shops["b"]
    with Received("order_ready_to_capture") as received:
        with django_capture_on_commit_callbacks(execute=True):
            services.shop_order_accept(shop_order=part_of(order, shop_a), user=user_a)
        assert received.calls == []
        with django_capture_on_commit_callbacks(execute=True):
            services.shop_order_accept(shop_order=part_of(order, shop_b), user=user_b)
            assert [c["order"].pk for c in received.calls] == [order.pk]  # before commit: in the change
        with django_capture_on_commit_callbacks(execute=True):
            services.shop_order_prepare(shop_order=part_of(order, shop_b), user=user_b)
    assert [c["order"].pk for c in received.calls] == [order.pk]  # once
    order.refresh_from_db()
    assert order.ready_to_capture_at is not None


def test_marking_items_unavailable_reduces_the_part_returns_the_stock_and_tells_the_amount(
    order, two_shops, django_capture_on_commit_callbacks
):
    user_a, shop_a = two_shops["a"]
    offer_a = two_shops["offers"][0]
    part = part_of(order, shop_a)
    line = part.lines.get(stockrecord=offer_a)  # 3 × 4.00
    with Received("shop_order_reduced") as received:
        with django_capture_on_commit_callbacks(execute=True):
            part = services.shop_order_lines_unavailable(shop_order=part, user=user_a, quantities={line.pk: 2})

    line.refresh_from_db()
    offer_a.refresh_from_db()
    assert (line.quantity, line.quantity_unavailable, line.quantity_remaining, line.num_allocated) == (3, 2, 1, 1)
    assert offer_a.num_allocated == 1
    assert part.has_unavailable_items and part.status == S.NEW
    assert part.total_incl_tax == Decimal("9.00")
    [call] = received.calls
    assert call["shop_order"].pk == part.pk
    payload = OrderNotification.objects.get(order=order, event=NotificationEvent.PART_UNAVAILABLE).payload
    assert (payload["amount"], payload["lines"]) == ("8,00", [{"title": line.title, "quantity": 2}])


def test_unavailable_amounts_add_up_to_the_line_price_whatever_the_steps(two_shops):
    user_a, shop_a = two_shops["a"]
    offer = StockRecordFactory(shop=shop_a, price=Decimal("3.33"), num_in_stock=10)
    order = order_placed(items=[(offer, 3), (two_shops["offers"][0], 1)])
    part = part_of(order, shop_a)
    line = part.lines.get(stockrecord=offer)
    line.line_price_incl_tax = Decimal("10.00")  # a discounted line: 3 units for 10.00
    line.save()
    part.total_incl_tax = Decimal("14.00")
    part.save()
    services.shop_order_lines_unavailable(shop_order=part, user=user_a, quantities={line.pk: 1})
    services.shop_order_lines_unavailable(shop_order=part, user=user_a, quantities={line.pk: 1})
    part = services.shop_order_lines_unavailable(shop_order=part, user=user_a, quantities={line.pk: 1})
    assert part.total_incl_tax == Decimal("4.00")


def test_everything_unavailable_cancels_the_part_and_calls_order_cancelled(
    order, two_shops, django_capture_on_commit_callbacks
):
    (user_b, shop_b) = two_shops["b"]
    part = part_of(order, shop_b)
    line = part.lines.get()
    with Received("order_cancelled") as cancelled, Received("shop_order_reduced") as reduced:
        with django_capture_on_commit_callbacks(execute=True):
            part = services.shop_order_lines_unavailable(shop_order=part, user=user_b, quantities={line.pk: 1})
    assert part.status == S.CANCELLED and part.cancel_reason == CancelReason.MERCHANT
    assert reduced.calls == []
    assert [(c["shop_order"].pk, c["reason"]) for c in cancelled.calls] == [(part.pk, "merchant")]
    hold = SlotHold.objects.get(pk=part.slot_hold_id)
    assert hold.status == HoldStatus.RELEASED
    assert Slot.objects.get(pk=part.slot_id).booked == 0


@pytest.mark.parametrize(
    ("quantities", "message"),
    [
        ({}, "au moins un article"),
        ({"x": 1}, "nombres entiers"),
        ("line", "restent à préparer, impossible d'en retirer 4"),
        ({999999: 1}, "ne fait pas partie de cette commande"),
        ("negative", "négative"),
    ],
)
def test_bad_unavailable_quantities_are_refused_and_change_nothing(order, two_shops, quantities, message):
    user_a, shop_a = two_shops["a"]
    part = part_of(order, shop_a)
    line = part.lines.get(stockrecord=two_shops["offers"][0])
    if quantities == "line":
        quantities = {line.pk: 4}
    elif quantities == "negative":
        quantities = {line.pk: -1}
    before = list(StockRecord.objects.order_by("pk").values_list("num_allocated", flat=True))

    with pytest.raises(LinesInvalid, match=message):
        services.shop_order_lines_unavailable(shop_order=part, user=user_a, quantities=quantities)

    line.refresh_from_db()
    assert line.quantity_unavailable == 0
    assert list(StockRecord.objects.order_by("pk").values_list("num_allocated", flat=True)) == before


def test_another_parts_line_cannot_be_marked_unavailable(order, two_shops):
    user_a, shop_a = two_shops["a"]
    line_b = part_of(order, two_shops["b"][1]).lines.get()
    with pytest.raises(LinesInvalid, match="ne fait pas partie"):
        services.shop_order_lines_unavailable(
            shop_order=part_of(order, shop_a), user=user_a, quantities={line_b.pk: 1}
        )


def test_merchant_cancel_gives_stock_and_slot_back(order, two_shops, django_capture_on_commit_callbacks):
    user_a, shop_a = two_shops["a"]
    offer_a, offer_a2, _ = two_shops["offers"]
    part = part_of(order, shop_a)
    with Received("order_cancelled") as cancelled:
        with django_capture_on_commit_callbacks(execute=True):
            part = services.shop_order_cancel(shop_order=part, user=user_a)
    assert part.status == S.CANCELLED
    assert StockRecord.objects.get(pk=offer_a.pk).num_allocated == 0
    assert StockRecord.objects.get(pk=offer_a2.pk).num_allocated == 0
    assert Slot.objects.get(pk=part.slot_id).booked == 0
    assert [c["reason"] for c in cancelled.calls] == ["merchant"]
    with pytest.raises(TransitionNotAllowed, match="annulée"):
        services.shop_order_cancel(shop_order=part, user=user_a)


def test_the_shared_point_booking_is_released_only_when_every_part_is_cancelled(two_shops):
    (user_a, shop_a), (user_b, shop_b) = two_shops["a"], two_shops["b"]
    order = order_placed(items=[(two_shops["offers"][0], 1), (two_shops["offers"][2], 1)], mode=FulfilmentMode.AT_POINT)
    slot = order.shop_orders.first().slot
    services.shop_order_cancel(shop_order=part_of(order, shop_a), user=user_a)
    assert Slot.objects.get(pk=slot.pk).booked == 1
    services.shop_order_cancel(shop_order=part_of(order, shop_b), user=user_b)
    assert Slot.objects.get(pk=slot.pk).booked == 0


def test_the_shopper_cancels_while_nothing_is_prepared(two_shops, django_capture_on_commit_callbacks):
    shopper = UserFactory(username="client")
    order = order_placed(items=[(two_shops["offers"][0], 1), (two_shops["offers"][2], 1)], user=shopper)
    services.shop_order_accept(shop_order=part_of(order, two_shops["a"][1]), user=two_shops["a"][0])
    with Received("order_cancelled") as cancelled:
        with django_capture_on_commit_callbacks(execute=True):
            services.order_cancel(order=order, user=shopper)
    assert set(order.shop_orders.values_list("status", flat=True)) == {S.CANCELLED}
    assert [(c["shop_order"], c["reason"]) for c in cancelled.calls] == [(None, "shopper")]
    assert StockRecord.objects.filter(num_allocated__gt=0).count() == 0


def test_the_shopper_cannot_cancel_once_a_shop_prepares_or_someone_elses_order(two_shops):
    shopper = UserFactory(username="client")
    order = order_placed(items=[(two_shops["offers"][0], 1), (two_shops["offers"][2], 1)], user=shopper)
    user_a, shop_a = two_shops["a"]
    part = services.shop_order_accept(shop_order=part_of(order, shop_a), user=user_a)
    services.shop_order_prepare(shop_order=part, user=user_a)

    with pytest.raises(OrderError, match="n'est pas la vôtre"):
        services.order_cancel(order=order, user=UserFactory(username="autre"))
    with pytest.raises(OrderError, match="La préparation a commencé chez"):
        services.order_cancel(order=order, user=shopper)
    assert not order.shop_orders.filter(status=S.CANCELLED).exists()


def test_a_no_show_cancels_a_ready_part_without_a_user(order, two_shops):
    user_a, shop_a = two_shops["a"]
    part = part_of(order, shop_a)
    with pytest.raises(TransitionNotAllowed):
        services.shop_order_cancel(shop_order=part, user=None, reason=CancelReason.NO_SHOW)
    for step in (services.shop_order_accept, services.shop_order_prepare, services.shop_order_ready):
        part = step(shop_order=part, user=user_a)
    part = services.shop_order_cancel(shop_order=part, user=None, reason=CancelReason.NO_SHOW)
    assert part.cancel_reason == CancelReason.NO_SHOW
    assert StockRecord.objects.get(pk=two_shops["offers"][0].pk).num_allocated == 0


def test_anonymous_user_is_refused(order, two_shops):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotShopStaff):
        services.shop_order_accept(shop_order=part_of(order, two_shops["a"][1]), user=AnonymousUser())
