"""Read-side queries of the basket."""
from __future__ import annotations

from marketplace.core.page_cache import database_signature


def basket_page_signature(*, basket_id: int) -> str | None:
    """A digest of every row the basket page of guest basket ``basket_id`` shows (one call,
    see migration basket 0013), or None when it is not an open guest basket or there is
    no PostgreSQL."""
    return database_signature("halle_basket_page_signature", basket_id)
