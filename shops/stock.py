"""A shop's stock: the only module that writes stock levels and reservations and locks their rows.

``StockRecord.num_in_stock`` is what the shop has; ``num_allocated`` what is reserved
for it: units held for a basket while its shopper pays (``StockHold`` rows, which count
in ``num_allocated`` until released or converted) and units allocated to placed order
lines until they are collected or given back. The rule is **never less in stock than
reserved**: ``stock_level_errors`` states it once for the back-office, the CSV import
and the till API; allocations enforce it in the ``UPDATE`` itself (``stock_change``);
the ``CheckConstraint`` ``stockrecord_allocated_within_stock`` is the last line, its
violation turned into the same French message.

Every caller (back-office, CSV import, POS API, checkout holds, order placement, the
merchant's workflow, hold expiry) comes here, inside its own ``transaction.atomic()``.
Locks are taken in the one order documented in ``marketplace.order.locks``
(``StockHold`` rows, then ``StockRecord`` rows by id); rows of one kind in id order, so
two transactions never wait on each other in a cycle.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from marketplace.partner.models import StockHold, StockHoldStatus, StockRecord
from shops.guards import shop_writes_guarded

STOCK_NEGATIVE = "Le stock ne peut pas être négatif."
PRICE_NEGATIVE = "Le prix ne peut pas être négatif."
STOCK_BELOW_RESERVED = "Le stock ne peut pas être inférieur aux quantités déjà réservées ({reserved})."
#: When the database constraint, not the check above, refused (a reservation in between).
STOCK_BELOW_RESERVED_NOW = "Le stock ne peut pas être inférieur aux quantités déjà réservées."


# --- the rule ------------------------------------------------------------------------------


def stock_level_errors(*, reserved: int | None, num_in_stock: int | None = None,
                       price: Decimal | None = None) -> list[tuple[str, str]]:
    """What is wrong with setting an offer to ``num_in_stock`` and ``price`` while ``reserved``
    units are reserved: ``(field, French message)`` pairs, none when the change is allowed."""
    errors = []
    if price is not None and price < 0:
        errors.append(("price", PRICE_NEGATIVE))
    if num_in_stock is not None:
        if num_in_stock < 0:
            errors.append(("num_in_stock", STOCK_NEGATIVE))
        elif num_in_stock < (reserved or 0):
            errors.append(("num_in_stock", STOCK_BELOW_RESERVED.format(reserved=reserved or 0)))
    return errors


# --- row locks -------------------------------------------------------------------------------


def offers_lock(*, partner_id: int, ids: Iterable[int] = (), skus: Iterable[str] = ()) -> list[StockRecord]:
    """The shop's offers of ``ids`` or ``skus``, locked in id order (another shop's never match)."""
    rows = StockRecord.objects.select_for_update(of=("self",)).filter(partner_id=partner_id)
    ids, skus = list(ids), list(skus)
    if ids:
        rows = rows.filter(pk__in=ids)
    elif skus:
        rows = rows.filter(partner_sku__in=skus)
    else:
        return []
    return list(rows.order_by("pk"))


def stock_holds_of_basket_lock(*, basket_id: str) -> list[StockHold]:
    """The basket's stock holds still ``held``, by id."""
    return list(
        StockHold.objects.select_for_update(of=("self",))
        .filter(basket_id=basket_id, status=StockHoldStatus.HELD)
        .order_by("pk")
    )


def stock_holds_expired_lock(*, now: dt.datetime, limit: int) -> list[StockHold]:
    """Up to ``limit`` expired held stock holds nobody else is locking (never waits)."""
    return list(
        StockHold.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=StockHoldStatus.HELD, expires_at__lte=now)
        .order_by("pk")[:limit]
    )


# --- levels: the merchant sets price and stock ----------------------------------------------


@dataclass(frozen=True)
class LevelChange:
    """A new price (incl. VAT) and/or stock for one offer; ``None`` keeps the current value."""

    price: Decimal | None = None
    num_in_stock: int | None = None


class LevelsRefused(Exception):
    """Nothing was written: ``errors`` maps an offer's key (id or SKU, as given) to its
    ``(field, message)`` pairs; ``unknown`` lists the keys of no offer of the shop;
    ``refused_by_database`` when the constraint refused (a reservation made meanwhile)."""

    def __init__(self, *, errors: dict, unknown: Sequence = (), refused_by_database: bool = False):
        super().__init__("stock levels refused")
        self.errors, self.unknown, self.refused_by_database = errors, list(unknown), refused_by_database


def offers_levels_set(
    *, partner_id: int, changes: Mapping[int | str, LevelChange], by_sku: bool = False,
    now: dt.datetime | None = None,
) -> list[StockRecord]:
    """Apply ``changes`` (keyed by offer id, or by SKU with ``by_sku``) to one shop's offers, all
    or nothing, under their row locks: every change is checked against what is reserved at
    that moment (a checkout may have reserved units since the merchant's page was shown).
    Raises ``LevelsRefused``; returns the offers written."""
    now = now or timezone.now()
    with transaction.atomic():
        keys = list(changes)
        offers = (offers_lock(partner_id=partner_id, skus=keys) if by_sku
                  else offers_lock(partner_id=partner_id, ids=keys))
        key_of = (lambda o: o.partner_sku) if by_sku else (lambda o: o.pk)
        found = {key_of(offer) for offer in offers}
        errors: dict = {}
        for offer in offers:
            change = changes[key_of(offer)]
            problems = stock_level_errors(reserved=offer.num_allocated, num_in_stock=change.num_in_stock,
                                          price=change.price)
            if problems:
                errors[key_of(offer)] = problems
            if change.price is not None:
                offer.price = change.price
            if change.num_in_stock is not None:
                offer.num_in_stock = change.num_in_stock
            offer.date_updated = now
        unknown = [key for key in keys if key not in found]
        if errors or unknown:
            raise LevelsRefused(errors=errors, unknown=unknown)
        try:
            with transaction.atomic():
                _levels_write(offers, now=now)
        except IntegrityError:
            raise LevelsRefused(errors={}, refused_by_database=True) from None
    return offers


def _levels_write(offers: Sequence[StockRecord], *, now: dt.datetime) -> None:
    """Write price and stock of many offers: one ``UPDATE … FROM (VALUES …)`` per 2,000 on PostgreSQL."""
    if connection.vendor != "postgresql":
        StockRecord.objects.bulk_update(offers, ["price", "num_in_stock", "date_updated"], batch_size=500)
        return
    table = StockRecord._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(offers), 2000):
            batch = offers[start : start + 2000]
            values = ", ".join(["(%s::integer, %s::numeric, %s::integer)"] * len(batch))
            params = [v for o in batch for v in (o.pk, o.price, o.num_in_stock)]
            cursor.execute(
                f'UPDATE "{table}" AS sr SET price = v.price, num_in_stock = v.stock, date_updated = %s '
                f"FROM (VALUES {values}) AS v(id, price, stock) WHERE sr.id = v.id",
                [now, *params],
            )


@shop_writes_guarded
def offer_update(*, offer: StockRecord, price: Decimal | None = None, num_in_stock: int | None = None) -> StockRecord:
    """Change the price (incl. VAT) and/or stock of one offer, never below what is reserved.

    Raises ``ValidationError`` keyed by field (``price``, ``num_in_stock``); nothing is written then.
    """
    try:
        (locked,) = offers_levels_set(
            partner_id=offer.partner_id, changes={offer.pk: LevelChange(price=price, num_in_stock=num_in_stock)}
        )
    except LevelsRefused as refused:
        if refused.refused_by_database:
            reserved = StockRecord.objects.values_list("num_allocated", flat=True).get(pk=offer.pk)
            raise ValidationError({"num_in_stock": STOCK_BELOW_RESERVED.format(reserved=reserved or 0)}) from None
        if refused.unknown:
            raise StockRecord.DoesNotExist(f"offer {offer.pk} of partner {offer.partner_id}") from None
        fields: dict[str, list[str]] = defaultdict(list)
        for field, message in refused.errors[offer.pk]:
            fields[field].append(message)
        raise ValidationError(dict(fields)) from None
    return locked


@shop_writes_guarded
def offers_bulk_update(*, shop, changes: Mapping[int, tuple[Decimal | None, int | None]]) -> int:
    """Apply ``{offer_id: (price, stock)}`` to ``shop``'s offers, all or nothing.

    Raises ``ValidationError`` whose ``error_dict`` is keyed by offer id (as a string)
    when any change is refused; then nothing is written.
    """
    try:
        offers = offers_levels_set(
            partner_id=shop.partner_id,
            changes={pk: LevelChange(price=price, num_in_stock=stock) for pk, (price, stock) in changes.items()},
        )
    except LevelsRefused as refused:
        if refused.unknown:
            raise ValidationError("Une des offres n'appartient pas à ce commerce.") from None
        if refused.refused_by_database:
            raise ValidationError(STOCK_BELOW_RESERVED_NOW) from None
        raise ValidationError(
            {str(pk): [message for _field, message in problems] for pk, problems in refused.errors.items()}
        ) from None
    return len(offers)


def offer_create(*, product, partner_id: int, sku: str, price: Decimal, num_in_stock: int) -> StockRecord:
    """A new offer of ``product`` by the shop of ``partner_id``, nothing reserved yet."""
    problems = stock_level_errors(reserved=0, num_in_stock=num_in_stock, price=price)
    if problems:
        raise ValidationError({field: message for field, message in problems})
    return StockRecord.objects.create(
        product=product, partner_id=partner_id, partner_sku=sku, price_currency="EUR",
        price=price, num_in_stock=num_in_stock, num_allocated=0,
    )


# --- reservations: checkout holds, order lines, collection ----------------------------------


def stock_change(*, deltas: Mapping[int, int]) -> list[int]:
    """Apply ``num_allocated += delta`` per stock record id, in id order; returns the ids refused.

    A positive delta is allocated only if that many units are free
    (``num_in_stock - num_allocated >= delta``), in the same statement: under READ COMMITTED
    PostgreSQL re-checks the condition after waiting for a concurrent writer, so two
    checkouts can never both take the last unit. A negative one gives units back. Stops at
    the first refusal: the caller raises and its transaction rolls back.
    """
    refused: list[int] = []
    allocated = Coalesce(F("num_allocated"), 0)
    for stockrecord_id in sorted(deltas):
        delta = deltas[stockrecord_id]
        if delta == 0:
            continue
        rows = StockRecord.objects.filter(pk=stockrecord_id)
        if delta > 0:
            rows = rows.filter(num_in_stock__isnull=False, num_in_stock__gte=allocated + delta)
        updated = rows.update(num_allocated=allocated + delta)
        if updated != 1:
            refused.append(stockrecord_id)
            break
    return refused


def stock_consume(*, quantities: Mapping[int, int]) -> None:
    """Units handed over leave the shop: ``num_in_stock`` and ``num_allocated`` both drop, in id order."""
    for stockrecord_id in sorted(quantities):
        quantity = quantities[stockrecord_id]
        if quantity:
            StockRecord.objects.filter(pk=stockrecord_id).update(
                num_in_stock=F("num_in_stock") - quantity,
                num_allocated=Coalesce(F("num_allocated"), 0) - quantity,
            )


@dataclass
class BasketStockHeld:
    """What ``basket_stock_hold`` did: the holds it replaced, and the offer refused (if any)."""

    previous: list[StockHold]
    refused: int | None = None


def basket_stock_hold(*, basket_id: str, needed: Mapping[int, int], expires_at: dt.datetime) -> BasketStockHeld:
    """Replace the basket's stock holds by ``needed`` units per offer (locks: holds, then offers).

    Inside the caller's transaction; when an offer has too few free units, its id is in
    ``refused`` and the caller must roll back (nothing is half held).
    """
    previous = stock_holds_of_basket_lock(basket_id=basket_id)
    deltas: dict[int, int] = defaultdict(int)
    for hold in previous:
        deltas[hold.stockrecord_id] -= hold.quantity
    for stockrecord_id, quantity in needed.items():
        deltas[stockrecord_id] += quantity
    refused = stock_change(deltas=deltas)
    if refused:
        return BasketStockHeld(previous=previous, refused=refused[0])
    if previous:
        StockHold.objects.filter(pk__in=[h.pk for h in previous]).update(status=StockHoldStatus.RELEASED)
    StockHold.objects.bulk_create(
        [StockHold(stockrecord_id=sr_id, basket_id=basket_id, quantity=q, expires_at=expires_at)
         for sr_id, q in sorted(needed.items())]
    )
    return BasketStockHeld(previous=previous)


def stock_free_units(*, stockrecord_id: int, besides: Iterable[StockHold] = ()) -> int:
    """Units of an offer not reserved, counting ``besides`` (a basket's own holds) as free."""
    record = StockRecord.objects.only("num_in_stock", "num_allocated").get(pk=stockrecord_id)
    already = sum(h.quantity for h in besides if h.stockrecord_id == stockrecord_id)
    return max(0, (record.num_in_stock or 0) - (record.num_allocated or 0) + already)


def stock_holds_convert(*, holds: Sequence[StockHold]) -> None:
    """The order is placed: the held units stay allocated, now to its lines."""
    StockHold.objects.filter(pk__in=[h.pk for h in holds]).update(status=StockHoldStatus.CONVERTED)


def stock_holds_expire(*, now: dt.datetime | None = None, batch_size: int = 500) -> int:
    """Give back the units of every stock hold expired at ``now``; returns how many holds.

    Safe when two runs overlap: each batch locks its holds with SKIP LOCKED.
    """
    now = now or timezone.now()
    released = 0
    while True:
        with transaction.atomic():
            holds = stock_holds_expired_lock(now=now, limit=batch_size)
            if not holds:
                return released
            deltas: dict[int, int] = defaultdict(int)
            for hold in holds:
                deltas[hold.stockrecord_id] -= hold.quantity
            stock_change(deltas=deltas)
            StockHold.objects.filter(pk__in=[h.pk for h in holds]).update(status=StockHoldStatus.RELEASED)
            released += len(holds)
        if len(holds) < batch_size:
            return released


def lines_allocation_release(*, lines: Sequence) -> None:
    """Units still allocated to order ``lines`` go back to their offers' free stock (cancellation)."""
    deltas: dict[int, int] = defaultdict(int)
    for line in lines:
        if line.stockrecord_id and line.num_allocated and not line.allocation_cancelled:
            deltas[line.stockrecord_id] -= line.num_allocated
        line.num_allocated = 0
        line.allocation_cancelled = True
        line.save(update_fields=["num_allocated", "allocation_cancelled"])
    stock_change(deltas=deltas)


def lines_allocation_consume(*, lines: Sequence) -> None:
    """The lines are handed over: their allocated units leave the shop's stock."""
    quantities: dict[int, int] = defaultdict(int)
    for line in lines:
        if line.stockrecord_id and line.num_allocated and not line.allocation_cancelled:
            quantities[line.stockrecord_id] += line.num_allocated
            line.num_allocated = 0
            line.save(update_fields=["num_allocated"])
    stock_consume(quantities=quantities)


def lines_allocation_reduce(*, reductions: Sequence[tuple[object, int]]) -> None:
    """``(line, quantity)``: that many units of each order line will not be supplied; up to that
    many of its allocated units go back to the offer's free stock (in offer id order). The
    lines' ``num_allocated`` is updated in memory: the caller saves them."""
    deltas: dict[int, int] = defaultdict(int)
    for line, quantity in reductions:
        if line.stockrecord_id and not line.allocation_cancelled and line.num_allocated:
            give_back = min(quantity, line.num_allocated)
            deltas[line.stockrecord_id] -= give_back
            line.num_allocated -= give_back
    stock_change(deltas=deltas)
