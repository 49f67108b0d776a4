"""Read-side queries of the basket."""
from __future__ import annotations

from django.db import connection


def basket_page_signature(*, basket_id: int) -> str | None:
    """A digest of every row the basket page of guest basket ``basket_id`` shows (one call,
    see migration basket 0013), or None when it is not an open guest basket or there is
    no PostgreSQL."""
    if connection.vendor != "postgresql" or not 0 < basket_id <= 2**31 - 1:  # an integer primary key
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT halle_basket_page_signature(%s)", [basket_id])
        row = cursor.fetchone()
    return row[0] if row else None
