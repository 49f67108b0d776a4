"""Who pays each discount euro of an order line: written once, at placement.

Oscar records each discount on the lines it reduced (``OrderLineDiscount`` →
``OrderDiscount`` → offer or voucher) but not who pays for it. Every such row gets a
``LineDiscountFunding`` here, split by the offer's campaign: the town, the shop, or both
by the campaign's percentage (the town's part rounded half up to the cent, the shop's the
rest). An offer without a campaign (made in Oscar's dashboard by a superuser) is the
town's, as before this app. ``marketplace.payments.orders`` reads the shop's part to lower
the merchant's basis; the town's part is the ledger's PROMOTION entry of that shop.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from marketplace.promotions.applying import to_cents
from marketplace.promotions.models import Campaign, Funder, LineDiscountFunding


def line_discount_cents_incl_tax(line, line_discount) -> int:
    amount = line_discount.amount
    if not line_discount.is_incl_tax and line.line_price_before_discounts_excl_tax:
        amount = amount * line.line_price_before_discounts_incl_tax / line.line_price_before_discounts_excl_tax
    return to_cents(amount)


def funding_split(*, amount_cents: int, campaign: Campaign | None) -> tuple[int, int, int]:
    """(town, shop, platform) cents of a discount of ``amount_cents``."""
    if campaign is None or campaign.funder == Funder.TOWN:
        return amount_cents, 0, 0
    if campaign.funder == Funder.SHOP:
        return 0, amount_cents, 0
    town = int((Decimal(amount_cents) * campaign.town_share_percent / 100).quantize(Decimal(1), ROUND_HALF_UP))
    return town, amount_cents - town, 0


def order_fundings_write(*, order) -> list[LineDiscountFunding]:
    """One funding row per discount of each of ``order``'s lines (placement's transaction)."""
    lines = list(order.lines.select_related("partner__shop").prefetch_related("discounts__order_discount"))
    offer_ids = {d.order_discount.offer_id for line in lines for d in line.discounts.all()}
    campaigns = {c.offer_id: c for c in Campaign.objects.filter(offer_id__in=offer_ids)}
    rows = []
    for line in lines:
        for line_discount in line.discounts.all():
            order_discount = line_discount.order_discount
            campaign = campaigns.get(order_discount.offer_id)
            amount = line_discount_cents_incl_tax(line, line_discount)
            town, shop, platform = funding_split(amount_cents=amount, campaign=campaign)
            rows.append(LineDiscountFunding(
                line=line, order=order, shop=line.partner.shop, campaign=campaign, offer_id=order_discount.offer_id,
                offer_name=order_discount.offer_name or "", voucher_code=order_discount.voucher_code or "",
                amount_cents=amount, town_cents=town, shop_cents=shop, platform_cents=platform,
            ))
    return LineDiscountFunding.objects.bulk_create(rows)
