"""The merchant's "Commandes à préparer": queue by slot, only this shop's lines, the workflow buttons."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from logistics.pickup.models import Handover, PickupCode
from marketplace.order.models import FulfilmentMode, ShopOrder, ShopOrderStatus
from marketplace.partner.models import StockRecord
from tests.factories import StockRecordFactory
from tests.factories.backoffice import merchant
from tests.factories.orders import order_placed

pytestmark = pytest.mark.django_db
S = ShopOrderStatus


@pytest.fixture
def shared_order(staff_a):
    _user_a, shop_a = staff_a
    _user_b, shop_b = merchant(username="marchand-b")
    offer_a = StockRecordFactory(shop=shop_a, partner_sku="A-PAIN", product__title="Pain de campagne")
    offer_b = StockRecordFactory(shop=shop_b, partner_sku="B-VIN", product__title="Vin de Loire")
    order = order_placed(items=[(offer_a, 3), (offer_b, 2)])
    return order, order.shop_orders.get(shop=shop_a), order.shop_orders.get(shop=shop_b)


def step(client, part, action, **fields):
    return client.post(reverse("backoffice:order-step", args=[part.pk]), {"action": action, **fields}, follow=True)


def test_the_queue_shows_this_shops_part_only(logged_a, shared_order):
    order, part_a, _part_b = shared_order
    html = logged_a.get(reverse("backoffice:orders")).content.decode()
    assert f"Commande {order.number}" in html
    assert reverse("backoffice:order-detail", args=[part_a.pk]) in html
    assert "Nouvelle" in html
    detail = logged_a.get(reverse("backoffice:order-detail", args=[part_a.pk])).content.decode()
    assert "Pain de campagne" in detail and "A-PAIN" in detail
    assert "Vin de Loire" not in detail and "B-VIN" not in detail


def test_the_queue_costs_the_same_queries_for_one_or_many_orders(logged_a, staff_a):
    _user, shop_a = staff_a
    _user_b, shop_b = merchant(username="marchand-b")
    offer_a, offer_b = StockRecordFactory(shop=shop_a), StockRecordFactory(shop=shop_b)
    order_placed(items=[(offer_a, 1), (offer_b, 1)])
    url = reverse("backoffice:orders")
    logged_a.get(url)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert logged_a.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for _ in range(8):
        order_placed(items=[(offer_a, 2), (offer_b, 1)], mode=FulfilmentMode.AT_POINT)
    assert queries() == one


def _ready_elsewhere(order, part):
    """The order's other parts made ready by their merchants (the code comes when all wait)."""
    from tests.factories.pickup import part_advance

    for other in order.shop_orders.exclude(pk=part.pk):
        part_advance(other, to="ready")


def test_a_merchant_walks_a_part_from_new_to_handed_over_with_the_shoppers_code(logged_a, shared_order):
    order, part_a, _ = shared_order
    for action, status, shown in (
        ("accept", S.ACCEPTED, "acceptée"),
        ("prepare", S.PREPARING, "Préparation de la commande"),
        ("ready", S.READY, "prête"),
    ):
        response = step(logged_a, part_a, action)
        assert response.status_code == 200
        assert shown in response.content.decode()
        assert ShopOrder.objects.get(pk=part_a.pk).status == status
    detail = logged_a.get(reverse("backoffice:order-detail", args=[part_a.pk])).content.decode()
    assert 'name="code"' in detail and "Code de retrait du client" in detail
    _ready_elsewhere(order, part_a)
    code = PickupCode.objects.get(order=order).code

    response = step(logged_a, part_a, "collect", code=code)

    assert "remise au client" in response.content.decode()
    assert ShopOrder.objects.get(pk=part_a.pk).status == S.COLLECTED


def test_the_backoffice_handover_checks_the_code_and_is_audited(logged_a, staff_a, shared_order):
    user_a, shop_a = staff_a
    order, part_a, part_b = shared_order
    for action in ("accept", "prepare", "ready"):
        step(logged_a, part_a, action)
    _ready_elsewhere(order, part_a)
    code = PickupCode.objects.get(order=order).code
    wrong = "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY"

    for sent, message in (("", "Saisissez le code de retrait"), (wrong, "Aucune commande à remettre ici")):
        response = step(logged_a, part_a, "collect", code=sent)
        assert message in response.content.decode().replace("&#x27;", "'")
        assert ShopOrder.objects.get(pk=part_a.pk).status == S.READY  # nothing handed over
        assert not Handover.objects.exists()

    step(logged_a, part_a, "collect", code=code)

    handover = Handover.objects.get()
    assert ShopOrder.objects.get(pk=part_a.pk).status == S.COLLECTED
    assert ShopOrder.objects.get(pk=part_b.pk).status == S.READY  # the other shop's part stays
    assert (handover.order_id, handover.by_user_id, handover.complete) == (order.pk, user_a.pk, False)
    assert list(handover.shop_orders.values_list("pk", flat=True)) == [part_a.pk]
    assert handover.point.shop_id == shop_a.pk
    assert [p["shop_order"] for p in handover.parts] == [part_a.pk]


def test_a_part_collected_at_a_point_is_dropped_there(logged_a, staff_a):
    _user, shop_a = staff_a
    order = order_placed(items=[(StockRecordFactory(shop=shop_a), 1)], mode=FulfilmentMode.AT_POINT)
    part = order.shop_orders.get()
    for action in ("accept", "prepare", "ready"):
        step(logged_a, part, action)
    detail = logged_a.get(reverse("backoffice:order-detail", args=[part.pk])).content.decode()
    assert "Déposée au point de retrait" in detail and "Remise au client" not in detail
    assert "À déposer au point de retrait avant le créneau" in detail
    step(logged_a, part, "drop")
    assert ShopOrder.objects.get(pk=part.pk).status == S.DROPPED
    detail = logged_a.get(reverse("backoffice:order-detail", args=[part.pk])).content.decode()
    assert "À déposer au point de retrait avant le créneau" not in detail  # done already


def test_a_part_with_every_item_unavailable_reads_cancelled_not_partly_unavailable(logged_a, staff_a):
    _user, shop_a = staff_a
    order = order_placed(items=[(StockRecordFactory(shop=shop_a), 2)], mode=FulfilmentMode.AT_POINT)
    part = order.shop_orders.get()
    line = part.lines.get()

    logged_a.post(reverse("backoffice:order-unavailable", args=[part.pk]), {f"line-{line.pk}": "2"})

    assert ShopOrder.objects.get(pk=part.pk).status == S.CANCELLED
    detail = logged_a.get(reverse("backoffice:order-detail", args=[part.pk])).content.decode()
    assert "Annulée" in detail and "2 indisponibles" in detail
    assert "partiellement indisponible" not in detail
    assert "À déposer au point de retrait avant le créneau" not in detail


def test_an_illegal_or_unknown_step_is_explained_and_changes_nothing(logged_a, shared_order):
    _order, part_a, _ = shared_order
    response = step(logged_a, part_a, "ready")
    assert "impossible de la marquer prête" in response.content.decode().replace("&#x27;", "'")
    response = step(logged_a, part_a, "detruire")
    assert "Action inconnue" in response.content.decode()
    assert ShopOrder.objects.get(pk=part_a.pk).status == S.NEW


def test_marking_items_unavailable_from_the_page(logged_a, shared_order):
    order, part_a, _ = shared_order
    line = part_a.lines.get()
    response = logged_a.post(reverse("backoffice:order-unavailable", args=[part_a.pk]), {f"line-{line.pk}": "1"}, follow=True)
    assert "articles retirés" in response.content.decode()
    line.refresh_from_db()
    assert line.quantity_unavailable == 1
    html = logged_a.get(reverse("backoffice:orders")).content.decode()
    assert "partiellement indisponible" in html
    assert StockRecord.objects.get(pk=line.stockrecord_id).num_allocated == 2


@pytest.mark.parametrize(("value", "message"), [("abc", "nombres entiers"), ("9", "impossible d"), ("-1", "négative")])
def test_bad_unavailable_quantities_are_explained(logged_a, shared_order, value, message):
    _order, part_a, _ = shared_order
    line = part_a.lines.get()
    response = logged_a.post(reverse("backoffice:order-unavailable", args=[part_a.pk]), {f"line-{line.pk}": value}, follow=True)
    assert message in response.content.decode().replace("&#x27;", "'")
    line.refresh_from_db()
    assert line.quantity_unavailable == 0


def test_another_shops_line_cannot_be_removed_through_an_own_part(logged_a, shared_order):
    _order, part_a, part_b = shared_order
    line_b = part_b.lines.get()
    response = logged_a.post(reverse("backoffice:order-unavailable", args=[part_a.pk]), {f"line-{line_b.pk}": "1"}, follow=True)
    assert "ne fait pas partie de cette commande" in response.content.decode()
    line_b.refresh_from_db()
    assert line_b.quantity_unavailable == 0


def test_the_picking_list_lists_the_slots_parts_and_lines(logged_a, shared_order):
    order, part_a, _ = shared_order
    html = logged_a.get(reverse("backoffice:picking-list", args=[part_a.slot_id])).content.decode()
    assert f"Commande {order.number}" in html and "Pain de campagne" in html and "Vin de Loire" not in html
    assert logged_a.get(reverse("backoffice:picking-list", args=[999999])).status_code == 404


def test_cancelling_gives_the_stock_back(logged_a, shared_order):
    _order, part_a, _ = shared_order
    response = step(logged_a, part_a, "cancel")
    assert "les articles reviennent en stock" in response.content.decode()
    assert ShopOrder.objects.get(pk=part_a.pk).status == S.CANCELLED
    assert StockRecord.objects.get(pk=part_a.lines.get().stockrecord_id).num_allocated == 0
