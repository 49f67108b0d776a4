"""Reads of promotions: the manager's list and campaign page, the monthly statement, the
merchant's invitations, the basket's discounts per shop.

The statement's town amounts are computed per line exactly as ``marketplace.payments``
computes the PROMOTION entries (``prorate(gross) − prorate(paid)`` on the units still
sold), so for the orders whose money has moved its town total equals the ledger's to the
cent; a line's town amount is shared between its town-funded discounts by their placed
amounts, the last one taking the rounding remainder.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from marketplace.payments.split import prorate_cents, to_cents
from marketplace.promotions.models import (
    Campaign,
    CampaignBudget,
    CampaignOrderSpend,
    CampaignShop,
    LineDiscountFunding,
    ParticipationStatus,
    ReservationStatus,
)


def campaigns_listed():
    """Every campaign of the town (not merchants' own offers nor ambassadors' reward campaigns),
    newest first, with offer and budget."""
    return (Campaign.objects.filter(owner_shop__isnull=True, parent__isnull=True).select_related("offer", "budget")
            .annotate(shops_in=Count("participations", distinct=True,
                                     filter=Q(participations__status=ParticipationStatus.OPTED_IN)),
                      orders=Count("order_spends", distinct=True, filter=Q(order_spends__spent_cents__gt=0))))


def budget_of(campaign) -> CampaignBudget | None:
    try:
        return campaign.budget
    except CampaignBudget.DoesNotExist:
        return None


@dataclass
class ShopSales:
    name: str
    during_cents: int
    before_cents: int


@dataclass
class CampaignReport:
    campaign: Campaign
    orders: int
    discount_cents: int
    reserved_cents: int
    spent_cents: int
    left_cents: int | None
    multi_shop_orders: int
    held_baskets: int
    shops: list[ShopSales] = field(default_factory=list)


def _sales_by_shop(shop_ids, start, end) -> dict[int, int]:
    from marketplace.order.models import Line

    rows = (Line.objects.filter(partner__shop__in=shop_ids, order__date_placed__gte=start, order__date_placed__lt=end)
            .values("partner__shop").annotate(total=Sum("line_price_incl_tax")))
    return {row["partner__shop"]: to_cents(row["total"] or 0) for row in rows}


def campaign_report(*, campaign: Campaign, now: dt.datetime | None = None) -> CampaignReport:
    """Cost and effect of one campaign; a fixed number of queries."""
    now = now or timezone.now()
    spends = CampaignOrderSpend.objects.filter(campaign=campaign)
    totals = spends.aggregate(orders=Count("pk", filter=Q(spent_cents__gt=0)), spent=Sum("spent_cents"))
    multi = (spends.filter(spent_cents__gt=0).annotate(parts=Count("order__shop_orders"))
             .filter(parts__gt=1).count())
    budget = budget_of(campaign)
    held = budget.reservations.filter(status=ReservationStatus.HELD, expires_at__gt=now).count() if budget else 0
    start = campaign.offer.start_datetime or campaign.created_at
    end = min(campaign.offer.end_datetime or now, now)
    length = max(end - start, dt.timedelta(0))
    participations = list(CampaignShop.objects.filter(campaign=campaign, status=ParticipationStatus.OPTED_IN)
                          .select_related("shop"))
    ids = [p.shop_id for p in participations]
    during, before = _sales_by_shop(ids, start, end), _sales_by_shop(ids, start - length, start)
    return CampaignReport(
        campaign=campaign, orders=totals["orders"] or 0, discount_cents=totals["spent"] or 0,
        reserved_cents=budget.reserved_cents if budget else 0, spent_cents=budget.spent_cents if budget else 0,
        left_cents=budget.left_cents if budget else None, multi_shop_orders=multi, held_baskets=held,
        shops=[ShopSales(name=p.shop.name, during_cents=during.get(p.shop_id, 0), before_cents=before.get(p.shop_id, 0))
               for p in participations],
    )


@dataclass
class StatementRow:
    order_number: str
    placed_at: dt.datetime
    shop_name: str
    line_title: str
    discount_cents: int  # as placed
    funder: str
    town_cents: int  # as placed
    shop_cents: int
    refunded_cents: int  # of the discount, given back since (items removed, parts cancelled)
    town_now_cents: int  # what the town pays now


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


def _line_town_now(line, fundings_of_line, cancelled: set[int]) -> dict[int, int]:
    """Per funding id: the town's cents now, as the ledger's PROMOTION of that line."""
    kept = 0 if line.partner.shop.pk in cancelled else line.quantity - line.quantity_unavailable
    paid = to_cents(line.line_price_incl_tax)
    shop_funded = sum(f.shop_cents for f in fundings_of_line)
    gross = max(to_cents(line.line_price_before_discounts_incl_tax) - shop_funded, paid)
    town_now = prorate_cents(amount_cents=gross, kept=kept, total=line.quantity) - prorate_cents(
        amount_cents=paid, kept=kept, total=line.quantity)
    town_placed = sum(f.town_cents for f in fundings_of_line)
    shares, given = {}, 0
    town_fundings = [f for f in fundings_of_line if f.town_cents]
    for i, funding in enumerate(town_fundings):
        if i == len(town_fundings) - 1:
            shares[funding.pk] = town_now - given
        else:
            shares[funding.pk] = town_now * funding.town_cents // town_placed if town_placed else 0
            given += shares[funding.pk]
    return shares


def campaign_statement(*, campaign: Campaign, start: dt.datetime, end: dt.datetime) -> list[StatementRow]:
    """Every discount of ``campaign`` on orders placed in [start, end), for the public accountant."""
    from marketplace.order.models import ShopOrderStatus

    order_ids = set(LineDiscountFunding.objects.filter(
        campaign=campaign, order__date_placed__gte=start, order__date_placed__lt=end).values_list("order_id", flat=True))
    fundings = list(LineDiscountFunding.objects.filter(order_id__in=order_ids)
                    .select_related("line__partner__shop", "order").order_by("order__date_placed", "order_id", "pk"))
    cancelled_of = defaultdict(set)
    from marketplace.order.models import ShopOrder

    for order_id, shop_id in ShopOrder.objects.filter(order_id__in=order_ids, status=ShopOrderStatus.CANCELLED
                                                      ).values_list("order_id", "shop_id"):
        cancelled_of[order_id].add(shop_id)
    by_line = defaultdict(list)
    for funding in fundings:
        by_line[funding.line_id].append(funding)
    rows = []
    for line_fundings in by_line.values():
        line = line_fundings[0].line
        shares = _line_town_now(line, line_fundings, cancelled_of[line.order_id])
        kept = 0 if line.partner.shop.pk in cancelled_of[line.order_id] else line.quantity - line.quantity_unavailable
        for funding in line_fundings:
            if funding.campaign_id != campaign.pk:
                continue
            now_cents = prorate_cents(amount_cents=funding.amount_cents, kept=kept, total=line.quantity)
            rows.append(StatementRow(
                order_number=funding.order.number, placed_at=funding.order.date_placed,
                shop_name=line.partner.shop.name, line_title=line.title, discount_cents=funding.amount_cents,
                funder=campaign.get_funder_display(), town_cents=funding.town_cents, shop_cents=funding.shop_cents,
                refunded_cents=funding.amount_cents - now_cents, town_now_cents=shares.get(funding.pk, 0),
            ))
    return rows


def shop_invitations(*, shop) -> list[CampaignShop]:
    """The campaigns a shop is invited to (running or to come), with their offer and budget."""
    now = timezone.now()
    return list(CampaignShop.objects.filter(shop=shop).filter(
        Q(campaign__offer__end_datetime__isnull=True) | Q(campaign__offer__end_datetime__gte=now)
    ).select_related("campaign__offer", "campaign__budget").order_by("campaign__offer__start_datetime", "pk"))


def shop_own_offers(*, shop) -> list[Campaign]:
    return list(Campaign.objects.filter(owner_shop=shop).select_related("offer__benefit").order_by("-pk"))
