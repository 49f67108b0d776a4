"""The analytics counters of an add to basket, each in one statement.

Oscar's receiver updates the product's counter and, when no row was updated,
inserts one: a query to build, then a race between two first adds of a product
(the loser only logs). Ours is one ``INSERT … ON CONFLICT DO UPDATE`` per counter.
"""
from __future__ import annotations

from oscar.apps.analytics.models import ProductRecord, UserRecord
from oscar.apps.analytics.receivers import receive_basket_addition as oscar_receive_basket_addition
from oscar.apps.basket.signals import basket_addition

from marketplace.core.db import row_counter_increment


def basket_addition_count(sender, product, user, **kwargs) -> None:
    if kwargs.get("raw", False):
        return
    row_counter_increment(ProductRecord, key="product", value=product, counter="num_basket_additions")
    if user is not None and user.is_authenticated:
        row_counter_increment(UserRecord, key="user", value=user, counter="num_basket_additions")


def connect() -> None:
    """In place of Oscar's receiver (imported above, so it is connected before we
    disconnect it, whatever the order the apps are made ready in)."""
    basket_addition.disconnect(oscar_receive_basket_addition)
    basket_addition.connect(basket_addition_count, dispatch_uid="halle_basket_addition_count")
