"""The merchant's order pages write slot times as « 10h00 », like the e-mails."""
from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from shops.backoffice.access import SESSION_KEY
from tests.factories.logistics import CollectionPointFactory, SlotFactory
from tests.factories.pickup import merchant_of, order_with_parts

pytestmark = pytest.mark.django_db


def test_queue_order_page_and_picking_list_write_slot_times_10h00(client):
    point = CollectionPointFactory(name="Point retrait de la Halle")
    start = dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(10),
                                tzinfo=timezone.get_default_timezone())
    order = order_with_parts(count=1, point=point, slot=SlotFactory(point=point, starts_at=start,
                                                                     ends_at=start + dt.timedelta(hours=1)))
    part = order.shop_orders.get()
    client.force_login(merchant_of(part.shop))
    session = client.session
    session[SESSION_KEY] = part.shop.pk
    session.save()

    for url in (reverse("backoffice:orders"), reverse("backoffice:order-detail", args=[part.pk])):
        page = html.unescape(client.get(url).content.decode())
        assert "10h00–11h00" in page, url
        assert not re.search(r"\b1[01]:00\b", page), url
    picking = html.unescape(client.get(reverse("backoffice:picking-list", args=[part.slot_id])).content.decode())
    assert "10h00" in picking and "10:00" not in picking
