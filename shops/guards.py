"""A suspended shop changes nothing: its write services refuse, whoever calls them
(back-office views, the till API, tasks, commands), not only the views.

``shop_writes_guarded`` wraps a service whose keyword arguments name the shop, one of
its offers, imports, photos, closures or invitations; it reads the shop's status from
the database at the start of the call, so a suspension committed before the call is
always seen. It takes no lock (writes must not queue behind one another, and the order
placement locks stock rows before shops): a write that read the shop active just
before the suspension committed counts as having happened before it.
"""
from __future__ import annotations

import functools

from django.core.exceptions import ValidationError

SUSPENDED = (
    "Ce commerce est suspendu par le centre-ville : aucune modification n'est possible. "
    "Contactez le centre-ville pour en savoir plus."
)


class ShopSuspended(ValidationError):
    """The write was refused because the shop is suspended (a ``ValidationError``, so every
    caller already shows it as a French message)."""

    def __init__(self):
        super().__init__(SUSPENDED, code="shop_suspended")


def _shop_filter(kwargs: dict) -> dict | None:
    if kwargs.get("shop") is not None:
        return {"pk": kwargs["shop"].pk}
    for name in ("offer", "stock_import", "photo", "closure", "invitation"):
        obj = kwargs.get(name)
        if obj is None:
            continue
        if name == "offer":
            return {"partner_id": obj.partner_id}
        return {"pk": obj.shop_id}
    return None


def shop_is_suspended(**kwargs) -> bool:
    """Whether the shop named by ``kwargs`` (see ``shop_writes_guarded``) is suspended now."""
    from shops.models import Shop, ShopStatus

    lookup = _shop_filter(kwargs)
    if lookup is None:
        raise TypeError("shop_writes_guarded: no shop, offer, stock_import, photo, closure or invitation given")
    return Shop.objects.filter(status=ShopStatus.SUSPENDED, **lookup).exists()


def shop_writable_check(**kwargs) -> None:
    """Raise ``ShopSuspended`` if the shop named by ``kwargs`` is suspended."""
    if shop_is_suspended(**kwargs):
        raise ShopSuspended()


def shop_writes_guarded(service):
    """Refuse ``service`` (keyword-only arguments) for a suspended shop."""

    @functools.wraps(service)
    def guarded(*args, **kwargs):
        shop_writable_check(**kwargs)
        return service(*args, **kwargs)

    return guarded
