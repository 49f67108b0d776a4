"""Read-side queries about shops."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.catalogue.models import Product
from marketplace.partner.models import StockRecord
from marketplace.search.selectors import products_listed
from shops.models import Closure, OpeningPeriod, Shop, ShopPhoto, ShopStatus, Weekday


def shops_for_user(*, user) -> QuerySet[Shop]:
    """Shops whose staff ``user`` is (through ``Partner.users``); none for anonymous."""
    if not user.is_authenticated:
        return Shop.objects.none()
    return Shop.objects.filter(partner__users=user)


def shops_listed(*, at: dt.datetime | None = None, trade: str | None = None) -> QuerySet[Shop]:
    """Shops shown to shoppers, with what ``shop_is_open`` needs already fetched.

    ``upcoming_closures`` holds the closures not yet over at ``at``, oldest first:
    evaluate ``shop_is_open`` with the same ``at`` (or a later one).
    """
    at = at or timezone.now()
    shops = Shop.objects.filter(status=ShopStatus.ACTIVE)
    if trade:
        shops = shops.filter(trade=trade)
    return shops.select_related("partner").prefetch_related(
        "opening_periods",
        Prefetch(
            "closures",
            queryset=Closure.objects.filter(ends_at__gt=at).order_by("starts_at", "pk"),
            to_attr="upcoming_closures",
        ),
    )


def shop_is_open(*, shop: Shop, at: dt.datetime | None = None) -> bool:
    """Whether ``shop`` is open at ``at``, honouring exceptional closures.

    Opening hours are wall-clock times of the town (``settings.TIME_ZONE``),
    whatever time zone is active for the request. Uses the prefetched
    ``opening_periods`` and ``upcoming_closures`` of ``shops_listed`` when
    present, so a list of shops costs no query per shop.
    """
    at = timezone.localtime(at or timezone.now(), timezone.get_default_timezone())
    closures = getattr(shop, "upcoming_closures", None)
    if closures is None:
        closures = shop.closures.filter(starts_at__lte=at, ends_at__gt=at)
    if any(c.starts_at <= at < c.ends_at for c in closures):
        return False
    periods: list[OpeningPeriod] = list(shop.opening_periods.all())
    return any(period.contains(at) for period in periods)


def shop_directory_listed(
    *, at: dt.datetime | None = None, trade: str | None = None, open_now: bool = False
) -> list[tuple[Shop, bool]]:
    """The shoppers' directory: (shop, open at ``at``) pairs, in three queries whatever the count."""
    at = at or timezone.now()
    entries = [(shop, shop_is_open(shop=shop, at=at)) for shop in shops_listed(at=at, trade=trade)]
    if open_now:
        entries = [(shop, is_open) for shop, is_open in entries if is_open]
    return entries


def shop_page_get(*, slug: str, at: dt.datetime | None = None) -> Shop:
    """The shop shown at ``slug`` to shoppers, with hours, closures and photos fetched.

    Raises ``Shop.DoesNotExist`` for an unknown slug and for a suspended shop.
    """
    return (
        shops_listed(at=at)
        .prefetch_related(Prefetch("photos", queryset=ShopPhoto.objects.order_by("display_order", "pk")))
        .get(slug=slug)
    )


def shop_products_listed(*, shop: Shop) -> QuerySet[Product]:
    """Products of ``shop`` that shoppers can buy, ready for product cards (see ``products_listed``)."""
    offers = StockRecord.objects.filter(product=OuterRef("pk"), partner_id=shop.partner_id)
    return products_listed(partner_id=shop.partner_id).filter(Exists(offers))


_CLOSED = _("fermé")


@dataclass(frozen=True)
class DayHours:
    weekday: int
    name: str  # "mardi"
    periods: tuple[tuple[dt.time, dt.time], ...]

    @property
    def is_closed(self) -> bool:
        return not self.periods

    @property
    def text(self) -> str:
        """For example "7:00–13:00, 15:30–19:30", or "fermé"."""
        if not self.periods:
            return str(_CLOSED)
        return ", ".join(f"{_clock(opens)}–{_clock(closes)}" for opens, closes in self.periods)


def _clock(value: dt.time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def _periods_merged(periods: list[tuple[dt.time, dt.time]]) -> tuple[tuple[dt.time, dt.time], ...]:
    """Periods in order, overlapping or touching ones merged (9–12 and 11–13 read 9–13)."""
    merged: list[tuple[dt.time, dt.time]] = []
    for opens, closes in sorted(periods):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return tuple(merged)


def shop_weekly_hours(*, shop: Shop) -> list[DayHours]:
    """The week from Monday to Sunday, each day with its opening periods in order.

    Uses the prefetched ``opening_periods`` of ``shops_listed`` when present.
    """
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = {day: [] for day in Weekday.values}
    for period in shop.opening_periods.all():
        by_day[period.weekday].append((period.opens, period.closes))
    return [
        DayHours(weekday=day, name=str(Weekday(day).label), periods=_periods_merged(by_day[day]))
        for day in Weekday.values
    ]


def shop_closures_upcoming(*, shop: Shop, at: dt.datetime | None = None) -> list[Closure]:
    """Exceptional closures not over yet at ``at`` (current ones included), soonest first."""
    at = at or timezone.now()
    closures = getattr(shop, "upcoming_closures", None)
    if closures is None:
        closures = shop.closures.filter(ends_at__gt=at).order_by("starts_at", "pk")
    return [c for c in closures if c.ends_at > at]


# --- Merchant back-office (reads) --------------------------------------------------
# Every query below is scoped to one shop, itself obtained through ``shops_for_user``.


def backoffice_shop_get(*, user, shop_id: int | None) -> Shop | None:
    """The shop ``user`` works on: ``shop_id`` if ``user`` is its staff, else their only shop.

    ``None`` when ``shop_id`` is not one of the user's shops and the user has several
    (they must pick one) or none.
    """
    shops = shops_for_user(user=user)
    if shop_id is not None:
        shop = shops.filter(pk=shop_id).select_related("partner").first()
        if shop is not None:
            return shop
    candidates = list(shops.select_related("partner")[:2])
    return candidates[0] if len(candidates) == 1 else None


def _available():
    from django.db.models import F, Value
    from django.db.models.functions import Coalesce

    return F("num_in_stock") - Coalesce(F("num_allocated"), Value(0))


class StockFilter:
    ALL = ""
    LOW = "bas"
    OUT = "rupture"
    ARCHIVED = "archives"


def shop_offers_listed(*, shop: Shop, query: str = "", stock: str = "") -> QuerySet[StockRecord]:
    """The shop's offers (its ``StockRecord``s) with their product, by title; searchable by title or SKU.

    ``available`` (stock minus reservations) is annotated. ``stock``: "" (on sale),
    ``bas`` (available ≤ alert threshold), ``rupture`` (available ≤ 0), ``archives``.
    """
    from django.db.models import F, Q

    offers = (
        StockRecord.objects.filter(partner_id=shop.partner_id)
        .select_related("product", "product__product_class")
        .annotate(available=_available())
    )
    if stock == StockFilter.ARCHIVED:
        offers = offers.filter(product__is_public=False)
    else:
        offers = offers.filter(product__is_public=True)
    if stock == StockFilter.LOW:
        offers = offers.filter(low_stock_threshold__isnull=False, available__lte=F("low_stock_threshold"))
    elif stock == StockFilter.OUT:
        offers = offers.filter(available__lte=0)
    query = query.strip()
    if query:
        offers = offers.filter(Q(product__title__icontains=query) | Q(partner_sku__icontains=query))
    return offers.order_by("product__title", "pk")


def shop_offers_low_stock(*, shop: Shop) -> QuerySet[StockRecord]:
    """Offers on sale whose available stock is at or below their alert threshold, emptiest first."""
    return shop_offers_listed(shop=shop, stock=StockFilter.LOW).order_by("available", "product__title", "pk")


def shop_offer_get(*, shop: Shop, offer_id: int) -> StockRecord:
    """One of ``shop``'s offers; ``StockRecord.DoesNotExist`` for any other id."""
    return (
        StockRecord.objects.select_related("product", "product__product_class")
        .annotate(available=_available())
        .get(pk=offer_id, partner_id=shop.partner_id)
    )


def shop_offers_exported(*, shop: Shop) -> QuerySet[StockRecord]:
    """Every offer of ``shop`` (archived ones included) for the CSV export."""
    return (
        StockRecord.objects.filter(partner_id=shop.partner_id)
        .select_related("product")
        .order_by("partner_sku", "pk")
    )


def shop_stock_imports_listed(*, shop: Shop):
    from shops.models import StockImport

    return StockImport.objects.filter(shop=shop).defer("rows").select_related("user")


def shop_offer_by_sku(*, shop: Shop, sku: str) -> StockRecord:
    """``shop``'s offer with SKU ``sku``; ``StockRecord.DoesNotExist`` otherwise (another shop's SKU too)."""
    return StockRecord.objects.select_related("product").get(partner_id=shop.partner_id, partner_sku=sku)


def shop_offers_by_skus(*, shop: Shop, skus: list[str]) -> dict[str, StockRecord]:
    """``{sku: offer}`` for those of ``skus`` that are ``shop``'s, in one query."""
    offers = StockRecord.objects.select_related("product").filter(partner_id=shop.partner_id, partner_sku__in=skus)
    return {offer.partner_sku: offer for offer in offers}
