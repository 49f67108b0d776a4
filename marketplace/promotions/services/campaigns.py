"""Creating and changing campaigns, inviting shops, shops opting in or out.

A campaign is written as Oscar's offer rows (a ``Range`` of its categories or products, a
``Condition`` — from a minimum spend, or any participating item —, a ``Benefit`` —
percentage or amount off the participating lines —, a ``ConditionalOffer``, a site offer or
a voucher offer when it works with codes) plus Halle's ``Campaign`` and ``CampaignBudget``.
Every input is checked first; a refusal (``CampaignInputError``, French messages by field)
writes nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from marketplace.promotions.models import (
    Campaign,
    CampaignBudget,
    CampaignShop,
    Funder,
    ParticipationStatus,
    WhenShort,
)
from marketplace.promotions.services.vouchers import VoucherInputError, code_taken, voucher_create

Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")

PERCENTAGE, AMOUNT = "percentage", "amount"
BENEFIT_TYPES = {PERCENTAGE: Benefit.PERCENTAGE, AMOUNT: Benefit.FIXED}


class CampaignInputError(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class CampaignInput:
    name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    benefit: str  # PERCENTAGE or AMOUNT
    value: Decimal
    minimum: Decimal = Decimal(0)  # minimum spend in participating shops
    budget_euros: Decimal | None = None
    funder: str = Funder.TOWN
    town_share_percent: int = 100
    when_short: str = WhenShort.PARTIAL
    first_order_only: bool = False
    max_uses_per_customer: int | None = None
    max_uses: int | None = None
    description: str = ""
    categories: list = field(default_factory=list)
    products: list = field(default_factory=list)
    code: str = ""  # works with this code (a voucher campaign)
    code_uses: int = 100
    owner_shop: object = None
    stock_limit: int | None = None


def campaign_input_errors(*, data: CampaignInput, campaign: Campaign | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (data.name or "").strip():
        errors["name"] = _("Donnez un nom à la campagne.")
    if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
        errors["ends_at"] = _("La fin de la campagne doit être après son début.")
    if data.benefit not in BENEFIT_TYPES:
        errors["benefit"] = _("Choisissez un pourcentage ou un montant de remise.")
    elif data.value is None or data.value <= 0:
        errors["value"] = _("La remise doit être supérieure à 0.")
    elif data.benefit == PERCENTAGE and data.value > 100:
        errors["value"] = _("Un pourcentage de remise ne peut pas dépasser 100 %.")
    if data.minimum is not None and data.minimum < 0:
        errors["minimum"] = _("Le montant minimum ne peut pas être négatif.")
    if data.budget_euros is not None and data.budget_euros <= 0:
        errors["budget_euros"] = _("Le budget doit être supérieur à 0 €.")
    if data.funder == Funder.SPLIT and not 0 < (data.town_share_percent or 0) < 100:
        errors["town_share_percent"] = _("Pour un financement partagé, la part de la ville est entre 1 et 99 %.")
    if data.funder not in Funder.values:
        errors["funder"] = _("Choisissez qui finance la campagne.")
    if data.owner_shop is not None and data.funder != Funder.SHOP:
        errors["funder"] = _("L'offre d'un commerce est financée par ce commerce.")
    for name in ("max_uses_per_customer", "max_uses", "stock_limit"):
        if getattr(data, name) is not None and getattr(data, name) < 1:
            errors[name] = _("Laissez vide ou indiquez au moins 1.")
    code = (data.code or "").strip().upper()
    if code and campaign is None:
        if code_taken(code=code):
            errors["code"] = _("Le code « %(code)s » est déjà utilisé.") % {"code": code}
        elif not all(ch.isalnum() or ch in "-_" for ch in code):
            errors["code"] = _("Un code ne contient que des lettres, des chiffres, « - » ou « _ ».")
    if data.owner_shop is not None:
        foreign = [p for p in data.products if not p.stockrecords.filter(partner__shop=data.owner_shop).exists()]
        if foreign:
            errors["products"] = _("Choisissez seulement des produits que vous vendez.")
    return errors


def _share(data: CampaignInput) -> int:
    return {Funder.TOWN: 100, Funder.SHOP: 0}.get(data.funder, data.town_share_percent)


def _range_written(data: CampaignInput, offer_range=None):
    offer_range = offer_range or Range(name=data.name[:128])
    offer_range.name = f"{data.name[:100]} #{timezone.now():%Y%m%d%H%M%S%f}" if offer_range.pk is None else offer_range.name
    offer_range.includes_all_products = not data.categories and not data.products
    offer_range.save()
    offer_range.included_categories.set(data.categories)
    offer_range.included_products.set(data.products)
    return offer_range


def campaign_save(*, data: CampaignInput, campaign: Campaign | None = None, user=None) -> Campaign:
    """Create (``campaign`` None) or change a campaign. Raises ``CampaignInputError``."""
    errors = campaign_input_errors(data=data, campaign=campaign)
    if errors:
        raise CampaignInputError(errors)
    with transaction.atomic():
        offer = campaign.offer if campaign else ConditionalOffer()
        offer_range = _range_written(data, offer.benefit.range if campaign else None)
        condition = offer.condition if campaign else Condition()
        condition.range = offer_range
        condition.type, condition.value = (
            (Condition.VALUE, data.minimum) if data.minimum else (Condition.COUNT, Decimal(1)))
        condition.save()
        benefit = offer.benefit if campaign else Benefit()
        benefit.range, benefit.type, benefit.value = offer_range, BENEFIT_TYPES[data.benefit], data.value
        benefit.max_affected_items = data.stock_limit
        benefit.save()
        offer.name = data.name.strip()[:128]
        offer.description = data.description
        offer.start_datetime, offer.end_datetime = data.starts_at, data.ends_at
        offer.condition, offer.benefit = condition, benefit
        offer.exclusive = False
        if campaign is None:
            offer.offer_type = ConditionalOffer.VOUCHER if data.code else ConditionalOffer.SITE
        offer.save()
        campaign = campaign or Campaign(offer=offer, created_by=user)
        campaign.funder, campaign.town_share_percent = data.funder, _share(data)
        campaign.when_short, campaign.first_order_only = data.when_short, data.first_order_only
        campaign.max_uses_per_customer, campaign.max_uses = data.max_uses_per_customer, data.max_uses
        campaign.owner_shop, campaign.stock_limit = data.owner_shop, data.stock_limit
        campaign.save()
        _budget_written(campaign, data.budget_euros)
        if data.code:
            try:
                voucher_create(campaign=campaign, code=data.code, max_uses=data.code_uses,
                               max_uses_per_customer=data.max_uses_per_customer)
            except VoucherInputError as error:
                transaction.set_rollback(True)
                raise CampaignInputError({"code": error.messages[0]}) from None
    return campaign


def _budget_written(campaign: Campaign, euros: Decimal | None) -> None:
    """The budget may not drop below what is already reserved and spent (checked under its lock)."""
    from marketplace.promotions import locks

    if euros is None:
        return
    cents = int(Decimal(euros) * 100)
    existing = CampaignBudget.objects.filter(campaign=campaign).values_list("pk", flat=True).first()
    if existing is None:
        CampaignBudget.objects.create(campaign=campaign, budget_cents=cents)
        return
    budget = locks.budgets_lock(budget_ids=[existing])[existing]
    if cents < budget.reserved_cents + budget.spent_cents:
        transaction.set_rollback(True)
        raise CampaignInputError({"budget_euros": _(
            "Le budget ne peut pas être inférieur à ce qui est déjà réservé ou dépensé (%(used)s €)."
        ) % {"used": f"{(budget.reserved_cents + budget.spent_cents) / 100:.2f}".replace(".", ",")}})
    budget.budget_cents = cents
    budget.save(update_fields=["budget_cents"])


def campaign_shops_invite(*, campaign: Campaign, shops) -> int:
    """Invite shops (those already invited keep their answer); returns how many are new."""
    existing = set(campaign.participations.values_list("shop_id", flat=True))
    new = [CampaignShop(campaign=campaign, shop=shop) for shop in shops if shop.pk not in existing]
    CampaignShop.objects.bulk_create(new)
    return len(new)


def campaign_participation_set(*, campaign: Campaign, shop, opted_in: bool, user=None) -> CampaignShop:
    """A merchant answers an invitation (only invited shops can: ``CampaignShop.DoesNotExist`` else)."""
    with transaction.atomic():
        participation = CampaignShop.objects.select_for_update().get(campaign=campaign, shop=shop)
        participation.status = ParticipationStatus.OPTED_IN if opted_in else ParticipationStatus.OPTED_OUT
        participation.decided_at, participation.decided_by = timezone.now(), user
        participation.save(update_fields=["status", "decided_at", "decided_by"])
    return participation
