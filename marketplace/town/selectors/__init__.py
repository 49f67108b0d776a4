"""Reads of the town app: the home page's content (``content``), the manager's day
(``today``), shops' applications (``applications``), assisted mode (``assist``)."""
from marketplace.town.selectors.content import (
    FEATURED_RANGE_SLUG,
    events_upcoming,
    products_featured,
    promotions_current,
)

__all__ = ["FEATURED_RANGE_SLUG", "events_upcoming", "products_featured", "promotions_current"]
