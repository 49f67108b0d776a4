"""The click-and-collect checkout's use cases, by concern: ``basket`` (its lines by shop, its
total), ``slots`` (where and when it can be collected), ``holds`` (choosing a slot holds it
and the stock), ``placement`` (the order written from the holds) and ``complete`` (the card
authorised, the order placed, the card released on failure). Views, tasks, the benchmark
and tests call these names."""
from .basket import BASKET_CHANGED, EMPTY_BASKET, BasketPart, basket_parts, basket_total
from .complete import CARD_AUTHORISED, checkout_complete
from .holds import CheckoutHolds, checkout_hold, hold_minutes
from .placement import order_place
from .slots import (
    POINT_KINDS,
    SlotOffer,
    checkout_slot_offers,
    collection_point_get,
    shop_counter_points,
)

__all__ = [
    "BASKET_CHANGED",
    "CARD_AUTHORISED",
    "EMPTY_BASKET",
    "POINT_KINDS",
    "BasketPart",
    "CheckoutHolds",
    "SlotOffer",
    "basket_parts",
    "basket_total",
    "checkout_complete",
    "checkout_hold",
    "checkout_slot_offers",
    "collection_point_get",
    "hold_minutes",
    "order_place",
    "shop_counter_points",
]
