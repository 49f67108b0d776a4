"""Units a merchant cannot supply: the part shrinks (or is cancelled when nothing is left),
the stock goes back, the shopper is told and refunded. A transition of the shop order like
the others of ``marketplace.order.services`` (same locks, checks and audit rows), kept apart
because its arithmetic (each line's price shared out over the units left) is its own."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from marketplace.order import consequences, locks
from marketplace.order.exceptions import LinesInvalid
from marketplace.order.models import CancelReason, Line, ShopOrder
from marketplace.order.models import ShopOrderStatus as S
from marketplace.order.services import _cancel_locked, _check_shop_staff, _maybe_ready_to_capture, _record, _refuse
from shops import stock

CENT = Decimal("0.01")


def _split(amount: Decimal, remaining: int, quantity: int) -> Decimal:
    return (amount * remaining / quantity).quantize(CENT, ROUND_HALF_UP) if quantity else Decimal("0.00")


def shop_order_lines_unavailable(
    *, shop_order: ShopOrder, user, quantities: Mapping[int, int], now: dt.datetime | None = None
) -> ShopOrder:
    """The merchant cannot supply some units: ``quantities`` maps line id → units missing (more).

    Allowed until the parcel is ready. The units go back to the offer's free
    stock (the allocation is released), the part's totals drop and it shows
    "partiellement indisponible"; the shopper is told and refunded
    (``consequences.shop_order_reduced``); if nothing is left, the part is cancelled
    instead (``consequences.order_cancelled``, reason ``merchant``). All or nothing.
    """
    now = now or timezone.now()
    wanted: dict[int, int] = {}
    for line_id, quantity in quantities.items():
        try:
            line_id, quantity = int(line_id), int(quantity)
        except (TypeError, ValueError):
            raise LinesInvalid("Les quantités doivent être des nombres entiers.") from None
        if quantity < 0:
            raise LinesInvalid("Une quantité indisponible ne peut pas être négative.")
        if quantity:
            wanted[line_id] = quantity
    if not wanted:
        raise LinesInvalid("Indiquez au moins un article indisponible.")
    with transaction.atomic():
        order = locks.order_lock(order_id=shop_order.order_id)
        locked = locks.shop_order_lock(shop_order_id=shop_order.pk)
        locked.order = order
        _check_shop_staff(user, locked.shop)
        if locked.status not in (S.NEW, S.ACCEPTED, S.PREPARING):
            raise _refuse(locked, "unavailable")
        lines = {line.pk: line for line in locked.lines.all()}
        unknown = set(wanted) - set(lines)
        if unknown:
            raise LinesInvalid("Cet article ne fait pas partie de cette commande.")
        removed: list[tuple[Line, int]] = []
        amount_incl = amount_excl = Decimal("0.00")
        for line_id in sorted(wanted):
            line, quantity = lines[line_id], wanted[line_id]
            remaining = line.quantity_remaining
            if quantity > remaining:
                left = ngettext(
                    "%(count)d unité reste à préparer", "%(count)d unités restent à préparer", remaining
                ) % {"count": remaining}
                raise LinesInvalid(f"« {line.title} » : {left}, impossible d'en retirer {quantity}.")
            after = remaining - quantity
            amount_incl += _split(line.line_price_incl_tax, remaining, line.quantity) - _split(
                line.line_price_incl_tax, after, line.quantity
            )
            amount_excl += _split(line.line_price_excl_tax, remaining, line.quantity) - _split(
                line.line_price_excl_tax, after, line.quantity
            )
            line.quantity_unavailable += quantity
            removed.append((line, quantity))
        stock.lines_allocation_reduce(reductions=removed)
        for line, _quantity in removed:
            line.save(update_fields=["quantity_unavailable", "num_allocated"])
        locked.total_incl_tax = max(Decimal("0.00"), locked.total_incl_tax - amount_incl)
        locked.total_excl_tax = max(Decimal("0.00"), locked.total_excl_tax - amount_excl)
        locked.has_unavailable_items = True
        locked.save(update_fields=["total_incl_tax", "total_excl_tax", "has_unavailable_items", "updated_at"])
        summary = ", ".join(f"{q} × {line.title}" for line, q in removed)
        if all(line.quantity_remaining == 0 for line in lines.values()):
            _cancel_locked(order, locked, reason=CancelReason.MERCHANT, user=user, now=now,
                           note=f"Tout est indisponible : {summary}")
            consequences.order_cancelled(order=order, shop_order=locked, reason=CancelReason.MERCHANT.value)
        else:
            _record(locked, locked.status, user, f"Indisponible : {summary}")
            consequences.shop_order_reduced(shop_order=locked)
        _maybe_ready_to_capture(order, now)
    return locked
