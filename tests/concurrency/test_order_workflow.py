"""The merchants of one order act at the same moment: each transition once, one capture signal."""
from __future__ import annotations

import pytest
from django.db import connection

from marketplace.order import services
from marketplace.order.exceptions import TransitionNotAllowed
from marketplace.order.models import ShopOrder, ShopOrderStatus
from tests.concurrency.threads import run_together
from tests.factories import StockRecordFactory
from tests.factories.backoffice import merchant
from tests.factories.orders import order_placed
from tests.support.consequences import ConsequenceCalls

pytestmark = pytest.mark.django_db(transaction=True)


def test_parts_accepted_at_the_same_time_mark_ready_to_capture_exactly_once():
    assert connection.vendor == "postgresql"
    staff = [merchant(username=f"marchand-{i}") for i in range(6)]
    order = order_placed(items=[(StockRecordFactory(shop=shop), 1) for _, shop in staff])
    parts = {so.shop_id: so for so in order.shop_orders.all()}
    with ConsequenceCalls("order_ready_to_capture") as ready:
        results = run_together(
            12,  # each merchant clicks "accept" twice
            lambda i: services.shop_order_accept(shop_order=parts[staff[i % 6][1].pk], user=staff[i % 6][0]),
        )
    received = [c["order"].pk for c in ready.committed]

    accepted = [r for r in results if isinstance(r, ShopOrder)]
    refused = [r for r in results if isinstance(r, TransitionNotAllowed)]
    assert len(accepted) == 6 and len(refused) == 6, results
    assert received == [order.pk]
    assert set(order.shop_orders.values_list("status", flat=True)) == {ShopOrderStatus.ACCEPTED}
