"""Read-side queries about orders and shop orders (merchant queue, pickup, payments).

Everything a merchant sees goes through a function taking the merchant's shop:
another shop's part or line is never returned (a 404 for the views).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.models import Slot
from marketplace.order.models import (
    OPEN_STATUSES,
    FulfilmentMode,
    Line,
    Order,
    ShopOrder,
    ShopOrderStatus,
)
from shops.models import Shop

S = ShopOrderStatus


def shop_order_ready_for_handover(shop_order: ShopOrder, *, mode: str) -> bool:
    """Whether this part waits for the shopper (ready at the shop; dropped at a point)."""
    return shop_order.status == (S.READY if mode == FulfilmentMode.AT_SHOPS else S.DROPPED)


def order_all_parts_ready(*, order: Order) -> bool:
    """Every part still due is waiting for the shopper, and at least one is.

    A part is waiting when it is ready at its shop (collection at each shop) or
    dropped at the collection point or locker (collection in one place).
    Cancelled parts are ignored, collected ones count as done. Uses the
    prefetched ``shop_orders`` when present.
    """
    parts = [p for p in order.shop_orders.all() if p.status != S.CANCELLED]
    waiting = [p for p in parts if shop_order_ready_for_handover(p, mode=order.fulfilment_mode)]
    return bool(waiting) and all(p in waiting or p.status == S.COLLECTED for p in parts)


def order_amount_due(*, order: Order) -> Decimal:
    """What the shopper owes now: the parts not cancelled, after unavailable items (incl. VAT)."""
    total = order.shop_orders.exclude(status=S.CANCELLED).aggregate(t=Sum("total_incl_tax"))["t"]
    return total or Decimal("0.00")


def order_parts_prefetch() -> Prefetch:
    """An order's parts with their shop, slot, point, hold and lines (by shop name), each line with its
    discounts (``marketplace.order.amounts`` reads them), for ``prefetch_related``."""
    from marketplace.order.amounts import line_discounts_prefetch  # amounts reads the models this module does

    return Prefetch(
        "shop_orders",
        queryset=ShopOrder.objects.select_related("shop", "slot", "collection_point", "slot_hold")
        .prefetch_related(Prefetch("lines", queryset=Line.objects.order_by("pk").prefetch_related(
            line_discounts_prefetch())))
        .order_by("shop__name", "pk"),
    )


def order_with_parts_get(*, order_id: int) -> Order:
    """An order with its parts, their shops, slots, points and lines (5 queries whatever the size)."""
    return Order.objects.select_related("collection_point", "user").prefetch_related(order_parts_prefetch()).get(pk=order_id)


def shop_orders_of_shop(*, shop: Shop, statuses: Iterable[str] | None = None) -> QuerySet[ShopOrder]:
    """``shop``'s parts with their order, slot and point fetched; soonest slot first."""
    parts = ShopOrder.objects.filter(shop=shop)
    if statuses is not None:
        parts = parts.filter(status__in=list(statuses))
    return parts.select_related("order", "slot__point", "collection_point").order_by(
        "slot__starts_at", "order__number", "pk"
    )


@dataclass
class SlotGroup:
    slot: Slot
    shop_orders: list[ShopOrder]

    @property
    def is_late(self) -> bool:
        return self.slot.starts_at <= timezone.now()


def shop_orders_queue(
    *, shop: Shop, statuses: Iterable[str] = (S.NEW, S.ACCEPTED, S.PREPARING, S.READY),
    since: dt.datetime | None = None,
    slot_id: int | None = None,
) -> list[SlotGroup]:
    """The merchant's "Commandes à préparer": this shop's parts grouped by slot, soonest first.

    Default: the parts still in the shop (new to ready). Each part carries its
    lines (this shop's only) and its order; 2 queries whatever the number of orders.
    ``since``: only slots ending after that instant; ``slot_id``: that slot only.
    """
    parts = shop_orders_of_shop(shop=shop, statuses=statuses).prefetch_related(
        Prefetch("lines", queryset=Line.objects.order_by("pk"))
    )
    if since is not None:
        parts = parts.filter(slot__ends_at__gt=since)
    if slot_id is not None:
        parts = parts.filter(slot_id=slot_id)
    groups: dict[int, SlotGroup] = {}
    for part in parts:
        if part.slot_id is None:  # delivered: grouped by window (``logistics.delivery.backoffice``)
            continue
        group = groups.get(part.slot_id)
        if group is None:
            group = groups[part.slot_id] = SlotGroup(slot=part.slot, shop_orders=[])
        group.shop_orders.append(part)
    return list(groups.values())


def shop_orders_history(
    *, shop: Shop, query: str = "", placed_from: dt.date | None = None, placed_to: dt.date | None = None,
    status: str = "",
) -> QuerySet[ShopOrder]:
    """Every part of ``shop``'s orders, newest first, with its order and customer (one query per
    page whatever the number of orders; ``units`` annotated): the merchant's history, where orders
    stay once dropped, collected or cancelled.

    ``query``: part of the order number, or of the customer's name or e-mail address;
    ``placed_from`` / ``placed_to``: days (town time, both included) the order was placed;
    ``status``: one ``ShopOrderStatus``. Always within ``shop``: no filter reaches another shop.
    """
    parts = ShopOrder.objects.filter(shop=shop)
    query = query.strip()
    if query:
        words = Q(order__number__icontains=query) | Q(order__guest_email__icontains=query) | Q(
            order__user__email__icontains=query
        )
        for word in query.split():
            words |= Q(order__user__first_name__icontains=word) | Q(order__user__last_name__icontains=word)
        parts = parts.filter(words)
    tz = timezone.get_default_timezone()
    if placed_from is not None:
        parts = parts.filter(order__date_placed__gte=dt.datetime.combine(placed_from, dt.time(0, 0), tzinfo=tz))
    if placed_to is not None:
        end = dt.datetime.combine(placed_to + dt.timedelta(days=1), dt.time(0, 0), tzinfo=tz)
        parts = parts.filter(order__date_placed__lt=end)
    if status:
        parts = parts.filter(status=status)
    supplied = (
        Line.objects.filter(shop_order=OuterRef("pk")).order_by().values("shop_order")
        .annotate(n=Sum(F("quantity") - F("quantity_unavailable"))).values("n")
    )
    return (
        parts.select_related("order__user", "slot", "collection_point")
        .annotate(units=Coalesce(Subquery(supplied, output_field=IntegerField()), Value(0)))
        .order_by("-order__date_placed", "-pk")
    )


def shop_order_of_shop_get(*, shop: Shop, shop_order_id: int) -> ShopOrder:
    """One of ``shop``'s parts with its lines; ``ShopOrder.DoesNotExist`` for any other id."""
    return (
        ShopOrder.objects.select_related("order", "slot", "collection_point", "shop")
        .prefetch_related(
            Prefetch("lines", queryset=Line.objects.select_related("product").order_by("pk")),
            "events__user",
        )
        .get(pk=shop_order_id, shop=shop)
    )


def shop_orders_open_count(*, shop: Shop) -> int:
    return ShopOrder.objects.filter(shop=shop, status__in=OPEN_STATUSES).count()


def shop_orders_by_day_count(*, shop_ids: Iterable[int], days: Iterable[dt.date]) -> dict[tuple[int, dt.date], int]:
    """Parts (not cancelled) of each shop whose slot (or delivery window) starts on each day (town time), in one
    query: the daily cap counts these. ``(shop id, day)`` → parts; pairs without any are left out."""
    shop_ids, days = list(shop_ids), set(days)
    if not shop_ids or not days:
        return {}
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(min(days), dt.time(0, 0), tzinfo=tz)
    end = dt.datetime.combine(max(days) + dt.timedelta(days=1), dt.time(0, 0), tzinfo=tz)
    # A delivered part has no slot: its day is its delivery window's.
    starts = Coalesce("slot__starts_at", "order__delivery__window__starts_at")
    rows = (
        ShopOrder.objects.annotate(starts=starts).filter(shop_id__in=shop_ids, starts__gte=start, starts__lt=end)
        .exclude(status=S.CANCELLED)
        .annotate(day=TruncDate("starts", tzinfo=tz))
        .values("shop_id", "day")
        .annotate(n=Count("pk"))
        .values_list("shop_id", "day", "n")
        .order_by()
    )
    return {(shop_id, day): n for shop_id, day, n in rows if day in days}


def orders_with_amount_due(orders: QuerySet[Order]) -> QuerySet[Order]:
    """``orders`` as the shopper's history lists them, in a constant number of queries:

    - ``amount_due``: what each costs now (its parts not cancelled, after unavailable items, as
      the order pages show);
    - ``amount_charged_cents``: what the card was actually charged, less refunds, once captured
      (None before: the card is only authorised; 0 when the authorisation was released);
    - ``items_count``: the units supplied (ordered, less those a shop could not supply, in parts
      not cancelled), not the units ordered;
    - each order's parts (their status only), for ``order_shopper_status``.
    """
    from marketplace.payments.models import PaymentStatus

    money = DecimalField(max_digits=12, decimal_places=2)
    due = (
        ShopOrder.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(total=Sum(Case(When(status=S.CANCELLED, then=Value(Decimal("0.00"))), default=F("total_incl_tax"),
                                 output_field=money)))
        .values("total")
    )
    supplied = (
        Line.objects.filter(order=OuterRef("pk"))
        .exclude(shop_order__status=S.CANCELLED)
        .order_by()
        .values("order")
        .annotate(n=Sum(F("quantity") - F("quantity_unavailable")))
        .values("n")
    )
    return orders.annotate(
        # An order without parts (never the case after checkout) shows what was placed.
        amount_due=Coalesce(Subquery(due, output_field=money), F("total_incl_tax"), output_field=money),
        items_count=Coalesce(Subquery(supplied, output_field=IntegerField()), Value(0)),
        amount_charged_cents=Case(
            When(payment__status=PaymentStatus.CAPTURED,
                 then=F("payment__amount_captured_cents") - F("payment__amount_refunded_cents")),
            When(payment__status__in=[PaymentStatus.RELEASED, PaymentStatus.FAILED], then=Value(0)),
            default=None,
            output_field=IntegerField(),
        ),
    ).prefetch_related(Prefetch("shop_orders", queryset=ShopOrder.objects.only("pk", "order_id", "status")))


def order_shopper_status(*, order: Order) -> str:
    """The order's state as its shopper reads it, in French, from its parts' states (uses the
    prefetched ``shop_orders``): one word for the whole order, however many shops are in it."""
    parts = [p for p in order.shop_orders.all() if p.status != S.CANCELLED]
    if not parts:
        return _("Annulée")
    collected = [p for p in parts if p.status == S.COLLECTED]
    if len(collected) == len(parts):
        return _("Retirée")
    if collected:
        return _("En partie retirée")
    if order_all_parts_ready(order=order):
        return _("Prête à retirer")
    if all(p.status == S.NEW for p in parts):
        return _("En attente de confirmation des commerces")
    return _("En préparation")
