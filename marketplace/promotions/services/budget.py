"""A campaign's budget: reserved at the checkout hold, spent at placement, given back.

Like the basket's stock and slot holds, a basket's discount is *reserved* from each
campaign's budget when the shopper chooses a slot (``basket_budget_reserve``, in the
hold's transaction), *spent* when the order is placed (``order_budget_spend``, in the
placement's), *released* when the hold expires (``budget_reservations_expire``, beat) and
*given back* when items are removed or a part is cancelled (``order_budget_update``, from
the order's consequences). Every change is a read-modify-write of ``CampaignBudget``
under its row lock (``marketplace.promotions.locks``), checked by the CheckConstraint
``reserved + spent <= budget``. This is the hard cap Oscar lacks: its ``max_discount`` is
read before the order, so the order that crosses it keeps its discount.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.promotions import locks
from marketplace.promotions.applying import discounts_by_offer_cents, offers_apply, to_cents
from marketplace.promotions.models import (
    BudgetReservation,
    Campaign,
    CampaignBudget,
    CampaignOrderSpend,
    ReservationStatus,
)


class PromotionChanged(Exception):
    """The basket's discount is no longer covered (budget spent meanwhile, code used up)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _budgeted_offer_ids(offer_ids) -> dict[int, int]:
    """Budget id by offer id, for the offers that have a budgeted campaign."""
    return dict(CampaignBudget.objects.filter(campaign__offer_id__in=list(offer_ids))
                .values_list("campaign__offer_id", "pk"))


def basket_budget_reserve(*, basket, expires_at: dt.datetime, now: dt.datetime | None = None) -> list:
    """Reserve the basket's discounts from their campaigns' budgets until ``expires_at``.

    Call inside the checkout hold's transaction, after the stock and slot holds. The
    basket's offers are applied again under the budgets' locks, each budgeted campaign's
    discount capped by what is left (or dropped, per the campaign); the reservation is
    exactly that discount, replacing the basket's previous one. Returns the shortfalls
    (the campaigns that give less than their full discount), for the shopper.
    """
    from marketplace.basket.applicator import Applicator

    now = now or timezone.now()
    applied = getattr(basket, "offer_applications", None)
    if applied is None or not len(applied):
        # No discount on the basket as its pages showed it: nothing to reserve (no query). A
        # reservation of an earlier hold, if any, goes back at its expiry or at placement.
        return []
    budget_of_offer = _budgeted_offer_ids(app["offer"].pk for app in applied)
    own = {r.budget_id: r for r in locks.reservations_of_basket_lock(basket_id=basket.pk)}
    if not budget_of_offer and not own:
        return []
    applicator = Applicator()
    owner = basket.owner if basket.owner_id else AnonymousUser()
    offers = applicator.get_offers(basket, owner)
    budgets = locks.budgets_lock(budget_ids=set(budget_of_offer.values()) | set(own))
    own_cents = {budget_id: r.amount_cents for budget_id, r in own.items() if r.expires_at > now}
    basket.reset_offer_applications()
    offers_apply(basket=basket, offers=offers, budgets=budgets, own_cents=own_cents)
    wanted = {s.name: s.wanted_cents for s in basket.promotion_shortfalls}
    discounts = discounts_by_offer_cents(basket)
    new_rows, changed = [], []
    for budget in budgets.values():
        reservation = own.get(budget.pk)
        new = discounts.get(budget.campaign.offer_id, 0)
        budget.reserved_cents += new - (reservation.amount_cents if reservation else 0)
        wanted_cents = wanted.get(budget.campaign.offer.name, new)
        if reservation is None and new:
            new_rows.append(BudgetReservation(budget=budget, basket_id=basket.pk, amount_cents=new, expires_at=expires_at,
                                              wanted_cents=wanted_cents, customer_key=_customer_key(basket)))
        elif reservation is not None:
            reservation.amount_cents, reservation.wanted_cents = new, wanted_cents
            reservation.expires_at = expires_at
            reservation.status = ReservationStatus.HELD if new else ReservationStatus.RELEASED
            changed.append(reservation)
    # One statement each, whatever the number of campaigns (the CheckConstraint still holds per row).
    CampaignBudget.objects.bulk_update(list(budgets.values()), ["reserved_cents"])
    BudgetReservation.objects.bulk_update(changed, ["amount_cents", "wanted_cents", "expires_at", "status"])
    BudgetReservation.objects.bulk_create(new_rows)
    return basket.promotion_shortfalls


def _customer_key(basket) -> str:
    return f"user:{basket.owner_id}" if basket.owner_id else ""


def order_budget_spend(*, order, basket, now: dt.datetime | None = None) -> None:
    """Turn the basket's reservations into the order's spending (placement's transaction).

    The order's discount per budgeted campaign (Oscar's ``OrderDiscount``) is spent; it is
    what was reserved, since placement re-applies offers with this basket's reservation.
    If it is more (a hold taken before the campaign started), the extra must fit in what
    is left, else ``PromotionChanged`` (the placement rolls back).
    """
    spent_of_offer: dict[int, Decimal] = defaultdict(Decimal)
    for application in basket.offer_applications:  # what Oscar's creator wrote as the order's discounts
        spent_of_offer[application["offer"].pk] += application["discount"]
    own = {r.budget_id: r for r in locks.reservations_of_basket_lock(basket_id=basket.pk)}
    budget_of_offer = _budgeted_offer_ids(spent_of_offer)
    budgets = locks.budgets_lock(budget_ids=set(budget_of_offer.values()) | set(own))
    spends, done = [], []
    for budget in budgets.values():
        offer_id = budget.campaign.offer_id
        spent = to_cents(spent_of_offer.get(offer_id, 0))
        reservation = own.get(budget.pk)
        held = reservation.amount_cents if reservation is not None else 0
        if spent - held > budget.left_cents:
            raise PromotionChanged(_(
                "Le budget de la promotion « %(name)s » est épuisé depuis le choix du créneau : "
                "choisissez à nouveau votre créneau pour voir la remise qui reste."
            ) % {"name": budget.campaign.offer.name})
        budget.reserved_cents -= held
        budget.spent_cents += spent
        if reservation is not None:
            reservation.status = ReservationStatus.CONSUMED if spent else ReservationStatus.RELEASED
            reservation.order = order
            reservation.customer_key = reservation.customer_key or f"email:{(order.guest_email or '').lower()}"
            done.append(reservation)
        if spent:
            spends.append(CampaignOrderSpend(campaign_id=budget.campaign_id, order=order, placed_cents=spent,
                                             spent_cents=spent))
    CampaignBudget.objects.bulk_update(list(budgets.values()), ["reserved_cents", "spent_cents"])
    BudgetReservation.objects.bulk_update(done, ["status", "order", "customer_key"])
    CampaignOrderSpend.objects.bulk_create(spends)


def budget_reservations_expire(*, now: dt.datetime | None = None, batch_size: int = 500) -> int:
    """Give back the budget held by every expired reservation; returns how many were released.

    SKIP LOCKED on the reservations, so two runs never release the same one; idempotent.
    """
    now = now or timezone.now()
    released = 0
    while True:
        with transaction.atomic():
            reservations = locks.reservations_expired_lock(now=now, limit=batch_size)
            if not reservations:
                return released
            budgets = locks.budgets_lock(budget_ids={r.budget_id for r in reservations})
            back: dict[int, int] = defaultdict(int)
            for reservation in reservations:
                back[reservation.budget_id] += reservation.amount_cents
                reservation.status = ReservationStatus.RELEASED
            BudgetReservation.objects.bulk_update(reservations, ["status"])
            for budget_id, cents in back.items():
                budget = budgets[budget_id]
                budget.reserved_cents -= cents
                budget.save(update_fields=["reserved_cents"])
            released += len(reservations)
            if len(reservations) < batch_size:
                return released


def _current_discount_cents(order) -> dict[int, tuple[int, int]]:
    """Per offer id: (line discounts placed, line discounts still due now) in cents.

    A cancelled part keeps nothing; a line keeps its units still supplied (prorated as
    ``marketplace.payments`` prorates the line's price).
    """
    from marketplace.order.models import ShopOrderStatus
    from marketplace.payments.split import prorate_cents

    cancelled = set(order.shop_orders.filter(status=ShopOrderStatus.CANCELLED).values_list("shop_id", flat=True))
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    lines = order.lines.select_related("partner__shop").prefetch_related("discounts__order_discount")
    for line in lines:
        shop = getattr(line.partner, "shop", None)
        kept = 0 if shop is None or shop.pk in cancelled else line.quantity - line.quantity_unavailable
        for line_discount in line.discounts.all():
            cents = to_cents(line_discount.amount)
            totals[line_discount.order_discount.offer_id][0] += cents
            totals[line_discount.order_discount.offer_id][1] += prorate_cents(amount_cents=cents, kept=kept,
                                                                              total=line.quantity)
    return {offer_id: (placed, now) for offer_id, (placed, now) in totals.items()}


def order_budget_update(*, order) -> None:
    """Give the campaigns back what the order no longer spends (items removed, parts cancelled).

    Called by the order's consequences in the transition's transaction (the order is
    locked). Recomputed from the order's current state, so calling it twice changes nothing.
    """
    spends = locks.order_spends_lock(order_id=order.pk)
    if not spends:
        return
    current = _current_discount_cents(order)
    campaigns = dict(Campaign.objects.filter(pk__in=[s.campaign_id for s in spends]).values_list("pk", "offer_id"))
    budget_ids = dict(CampaignBudget.objects.filter(campaign_id__in=campaigns).values_list("campaign_id", "pk"))
    budgets = locks.budgets_lock(budget_ids=budget_ids.values())
    for spend in spends:
        placed_lines, now_lines = current.get(campaigns[spend.campaign_id], (0, 0))
        if placed_lines <= 0 or now_lines >= placed_lines:
            due = spend.placed_cents
        elif now_lines <= 0:
            due = 0
        else:
            due = min(spend.placed_cents, (spend.placed_cents * now_lines + placed_lines // 2) // placed_lines)
        delta = due - spend.spent_cents
        if not delta:
            continue
        budget = budgets[budget_ids[spend.campaign_id]]
        budget.spent_cents += delta
        budget.save(update_fields=["spent_cents"])
        spend.spent_cents = due
        spend.save(update_fields=["spent_cents"])
