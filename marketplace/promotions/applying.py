"""Applying offers to a basket with Halle's campaign rules on top of Oscar's.

Oscar's applicator applies each offer's benefit to every line its ranges match. A
campaign adds what Oscar cannot express:

* **participating shops**: only the lines of shops that opted in (a merchant's own offer:
  only its shop's lines). The condition and the benefit see a view of the basket with
  only those lines, so « 5 € dès 30 € » counts 30 € of participating shops' lines;
* **a hard budget**: the discount is capped by what is left of the budget for this basket
  (what nobody has reserved or spent, plus this basket's own reservation) through the
  benefits' own ``max_total_discount`` argument; when the campaign says « none » rather
  than a reduced discount, the offer is skipped if its full discount does not fit;
* **first order only, uses per customer, total uses**.

Offers without a campaign are applied exactly as Oscar does. The rules cost a fixed number
of queries (campaigns, participations, this basket's reservations), whatever the number of
campaigns.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, prefetch_related_objects
from django.utils import timezone
from oscar.apps.offer.results import OfferApplications

from .models import (
    BudgetReservation,
    Campaign,
    CampaignBudget,
    CampaignOrderSpend,
    CampaignShop,
    ParticipationStatus,
    ReservationStatus,
    WhenShort,
)

CENT = Decimal("0.01")
BUDGETABLE_BENEFITS = ("Percentage", "Absolute")


def to_cents(amount) -> int:
    return int((Decimal(amount) / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class Rule:
    campaign: Campaign
    shop_ids: set[int]
    left_cents: int | None  # None: no budget
    eligible: bool = True


@dataclass
class Shortfall:
    """A campaign that gives less than its full discount because its budget is nearly spent."""

    name: str
    wanted_cents: int
    given_cents: int


@dataclass
class _State:
    rules: dict[int, Rule] = field(default_factory=dict)


class ParticipatingLines:
    """The basket as one campaign sees it: only the lines of its participating shops.

    Everything else (currency, owner, totals) is the basket's; the lines are the basket's
    own objects, so the discounts Oscar's benefit applies land on the real lines.
    """

    def __init__(self, basket, shop_ids: set[int]):
        self._basket = basket
        self._lines = [line for line in basket.all_lines()
                       if line.stockrecord_id and _shop_id(line) in shop_ids]

    def all_lines(self):
        return self._lines

    def __getattr__(self, name):
        return getattr(self._basket, name)


def _shop_id(line) -> int | None:
    shop = getattr(line.stockrecord.partner, "shop", None)
    return shop.pk if shop is not None else None


def _customer_key(owner) -> str:
    return f"user:{owner.pk}" if owner is not None and getattr(owner, "pk", None) else ""


def rules_get(*, offers, basket, budgets: dict[int, CampaignBudget] | None = None,
              own_cents: dict[int, int] | None = None, now=None) -> dict[int, Rule]:
    """The campaign rules of ``offers`` (by offer id) for ``basket``.

    ``budgets`` (locked, by budget id) and ``own_cents`` (this basket's held reservations by
    budget id) are given by the checkout hold under its locks; otherwise they are read.
    """
    offer_ids = [offer.pk for offer in offers if offer.pk]
    if not offer_ids:
        return {}
    now = now or timezone.now()
    campaigns = list(
        Campaign.objects.filter(offer_id__in=offer_ids).select_related("budget").annotate(
            uses_taken=Count("budget__reservations", filter=(
                Q(budget__reservations__status=ReservationStatus.CONSUMED)
                | Q(budget__reservations__status=ReservationStatus.HELD, budget__reservations__expires_at__gt=now))
                & ~Q(budget__reservations__basket_id=basket.pk or 0)))
    )
    if not campaigns:
        return {}
    shops: dict[int, set[int]] = defaultdict(set)
    for campaign_id, shop_id in CampaignShop.objects.filter(  # a reward campaign: its parent's shops
        campaign__in={c.parent_id or c.pk for c in campaigns if c.owner_shop_id is None},
        status=ParticipationStatus.OPTED_IN,
    ).values_list("campaign_id", "shop_id"):
        shops[campaign_id].add(shop_id)
    if own_cents is None:
        own_cents = dict(BudgetReservation.objects.filter(
            basket_id=basket.pk or 0, status=ReservationStatus.HELD, expires_at__gt=now,
        ).values_list("budget_id", "amount_cents")) if basket.pk else {}
    owner = basket.owner if getattr(basket, "owner_id", None) else None
    first_order_known: bool | None = None
    per_customer: dict[int, int] = {}
    if owner is not None and any(c.max_uses_per_customer for c in campaigns):
        per_customer = dict(CampaignOrderSpend.objects.filter(
            campaign__in=campaigns, order__user=owner, spent_cents__gt=0,
        ).values("campaign_id").annotate(n=Count("pk")).values_list("campaign_id", "n"))
    rules = {}
    for campaign in campaigns:
        budget = _budget_of(campaign, budgets)
        left = None
        if budget is not None:
            left = max(0, budget.left_cents + own_cents.get(budget.pk, 0))
        rule = Rule(campaign=campaign, left_cents=left,
                    shop_ids={campaign.owner_shop_id} if campaign.owner_shop_id
                    else shops[campaign.parent_id or campaign.pk])
        if campaign.first_order_only:
            if owner is None:
                rule.eligible = False
            else:
                if first_order_known is None:
                    first_order_known = not owner.orders.exists()
                rule.eligible = first_order_known
        if campaign.max_uses_per_customer and per_customer.get(campaign.pk, 0) >= campaign.max_uses_per_customer:
            rule.eligible = False
        if campaign.max_uses and campaign.uses_taken >= campaign.max_uses:
            rule.eligible = False
        rules[campaign.offer_id] = rule
    return rules


def _budget_of(campaign: Campaign, budgets: dict[int, CampaignBudget] | None) -> CampaignBudget | None:
    try:
        budget = campaign.budget
    except CampaignBudget.DoesNotExist:
        return None
    if budgets is not None and budget.pk in budgets:
        return budgets[budget.pk]
    return budget


def _uncapped_cents(offer, view) -> int | None:
    """The discount the benefit would give with no cap (percentage and amount benefits)."""
    benefit = offer.benefit.proxy()
    kind = type(benefit).__name__
    lines = benefit.get_applicable_lines(offer, view)
    limit = benefit._effective_max_affected_items()
    total, items = Decimal(0), 0
    for price, line in lines:
        qty = min(line.quantity_without_offer_discount(offer), max(0, limit - items))
        if qty <= 0:
            continue
        items += qty
        total += price * qty
    if kind.startswith("Percentage"):
        return to_cents(min(benefit.value, Decimal(100)) / 100 * total)
    if kind.startswith("Absolute"):
        return to_cents(min(benefit.value, total))
    return None


class _KnownRange:
    """Which of the basket's products a campaign's range contains, read for all campaigns at once.

    Oscar asks ``range.contains_product(product)`` one query at a time, per offer and line,
    on every page with the basket (and its proxies forget the range they loaded). For the
    campaigns' ranges (products, categories or everything, as ``services.campaigns`` writes
    them) the answers for the basket's products are read in a fixed number of queries; a
    product not read here (or a range with classes, excluded categories or a proxy) is asked
    of Oscar as before.
    """

    def __init__(self, range_obj, answers: dict[int, bool]):
        self.range, self.answers = range_obj, answers

    def __call__(self, product) -> bool:
        answer = self.answers.get(product.pk)
        if answer is None:
            return type(self.range).contains_product(self.range, product)
        return answer


def _ranges_known(offers, basket) -> dict[int, object]:
    from oscar.core.loading import get_model

    Range = get_model("offer", "Range")
    RangeProduct = get_model("offer", "RangeProduct")
    ProductCategory = get_model("catalogue", "ProductCategory")
    ids = {o.condition.range_id for o in offers} | {o.benefit.range_id for o in offers}
    ids.discard(None)
    products = {line.product.pk: line.product for line in basket.all_lines()}
    if not ids or not products:
        return {}
    pids = set(products) | {p.parent_id for p in products.values() if p.parent_id}
    ranges = {r.pk: r for r in Range.objects.filter(pk__in=ids)}
    odd = set(Range.classes.through.objects.filter(range_id__in=ids).values_list("range_id", flat=True))
    odd |= set(Range.excluded_categories.through.objects.filter(range_id__in=ids).values_list("range_id", flat=True))
    included = set(RangeProduct.objects.filter(range_id__in=ids, product_id__in=pids).values_list("range_id", "product_id"))
    excluded = set(Range.excluded_products.through.objects.filter(range_id__in=ids, product_id__in=pids)
                   .values_list("range_id", "product_id"))
    category_paths = defaultdict(list)
    for range_id, path in Range.included_categories.through.objects.filter(range_id__in=ids).values_list(
            "range_id", "category__path"):
        category_paths[range_id].append(path)
    product_paths = defaultdict(list)
    if category_paths:
        for product_id, path in ProductCategory.objects.filter(product_id__in=pids).values_list("product_id", "category__path"):
            product_paths[product_id].append(path)
    known = {}
    for range_id, range_obj in ranges.items():
        if range_id in odd or range_obj.proxy_class:
            continue
        answers = {}
        for pk, product in products.items():
            own = {pk, product.parent_id} - {None}
            if range_obj.includes_all_products:
                answers[pk] = not any((range_id, p) in excluded for p in own)
            else:
                answers[pk] = (any((range_id, p) in included for p in own) or any(
                    path.startswith(category) for p in own for path in product_paths[p]
                    for category in category_paths[range_id]))
        range_obj.contains_product = _KnownRange(range_obj, answers)
        known[range_id] = range_obj
    return known


def _offer_prepared(offer, known) -> None:
    """The offer's condition and benefit as Oscar's proxies, with their known ranges cached:
    ``proxy()`` then returns them as they are, for the applicator and the upsell messages."""
    for name in ("condition", "benefit"):
        part = getattr(offer, name)
        proxied = part.proxy()
        if proxied.range_id in known:
            proxied._state.fields_cache["range"] = known[proxied.range_id]
        setattr(offer, name, proxied)


def offers_apply(*, basket, offers, budgets=None, own_cents=None) -> None:
    """Oscar's ``Applicator.apply_offers`` with the campaigns' rules (see the module's docstring).

    Sets ``basket.offer_applications`` as Oscar does, and ``basket.promotion_shortfalls``:
    the campaigns whose discount the budget reduced or removed (to tell the shopper).
    """
    rules = rules_get(offers=offers, basket=basket, budgets=budgets, own_cents=own_cents)
    if rules:
        campaign_offers = [offer for offer in offers if offer.pk in rules]
        known = _ranges_known(campaign_offers, basket)
        for offer in campaign_offers:
            _offer_prepared(offer, known)
        # Oscar's line consumer counts each applied offer's combinations, per line and offer.
        prefetch_related_objects([o for o in offers if o.pk], "combinations")
    applications = OfferApplications()
    shortfalls: list[Shortfall] = []
    for offer in offers:
        rule = rules.get(offer.pk)
        if rule is None:
            _oscar_apply(offer, basket, applications)
        elif rule.eligible:
            shortfall = _campaign_apply(offer, basket, rule, applications)
            if shortfall is not None:
                shortfalls.append(shortfall)
    basket.offer_applications = applications
    basket.promotion_shortfalls = shortfalls


def _oscar_apply(offer, basket, applications) -> None:
    applied = 0
    while applied < offer.get_max_applications(basket.owner):
        result = offer.apply_benefit(basket)
        applied += 1
        if not result.is_successful:
            break
        applications.add(offer, result)
        if result.is_final:
            break


def _campaign_apply(offer, basket, rule: Rule, applications) -> Shortfall | None:
    view = ParticipatingLines(basket, rule.shop_ids)
    if not view.all_lines():
        return None
    condition = offer.condition.proxy()
    benefit = offer.benefit.proxy()
    left = rule.left_cents
    wanted_total = given_total = 0
    applied = 0
    while applied < offer.get_max_applications(basket.owner):
        if not condition.is_satisfied(offer, view):
            break
        cap = None
        if left is not None:
            wanted = _uncapped_cents(offer, view)
            if wanted is None or wanted == 0:
                break
            wanted_total += wanted
            if left <= 0 or (rule.campaign.when_short == WhenShort.NONE and wanted > left):
                break
            cap = Decimal(left) * CENT
        result = benefit.apply(view, condition, offer, max_total_discount=cap)
        applied += 1
        if not result.is_successful:
            break
        applications.add(offer, result)
        if left is not None:
            given = to_cents(result.discount)
            given_total += given
            left -= given
        if result.is_final:
            break
    if rule.left_cents is not None and given_total < wanted_total:
        return Shortfall(name=offer.name, wanted_cents=wanted_total, given_cents=given_total)
    return None


def discounts_by_offer_cents(basket) -> dict[int, int]:
    """What each offer takes off the basket, in cents (after ``offers_apply``)."""
    totals: dict[int, int] = defaultdict(int)
    for application in basket.offer_applications.applications.values():
        totals[application["offer"].pk] += to_cents(application["discount"])
    return dict(totals)
