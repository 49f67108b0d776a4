"""Campaigns, budgets, who funds each discount euro, and voucher quotas.

A campaign wraps one Oscar ``ConditionalOffer``: Oscar's condition, benefit and ranges say
*what* is discounted (« 5 € dès 30 € », 10 % on a range of products, a voucher's offer);
Oscar has no hard cap in euros (its ``max_discount`` is read before the order, so the
order that crosses it keeps its discount), no notion of who pays, and no shop opt-in.
Those are the rows below.

Money is in integer cents, like ``marketplace.payments``.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import TimeStampedModel


class Funder(models.TextChoices):
    TOWN = "town", _("la ville")
    SHOP = "shop", _("le commerce")
    SPLIT = "split", _("partagé ville / commerce")


class LineFunder(models.TextChoices):
    """Who pays one euro of a line's discount (the platform: an offer Halle's operator made)."""

    TOWN = "town", _("ville")
    SHOP = "shop", _("commerce")
    PLATFORM = "platform", _("plateforme")


class WhenShort(models.TextChoices):
    PARTIAL = "partial", _("remise réduite à ce qui reste du budget")
    NONE = "none", _("pas de remise")


class Campaign(TimeStampedModel):
    """Halle's side of one Oscar offer: funding, opt-in, first order, owner shop.

    The name, dates and status stay on the offer (Oscar's applicator reads them); the
    budget, when there is one, is ``CampaignBudget``.
    """

    offer = models.OneToOneField("offer.ConditionalOffer", on_delete=models.CASCADE, related_name="campaign",
                                 verbose_name=_("offre Oscar"))
    funder = models.CharField(_("financée par"), max_length=8, choices=Funder.choices, default=Funder.TOWN)
    town_share_percent = models.PositiveSmallIntegerField(
        _("part de la ville (%)"), default=100,
        help_text=_("Pour un financement partagé : la part de chaque euro de remise payée par la ville."),
    )
    when_short = models.CharField(_("si le budget ne suffit plus"), max_length=8, choices=WhenShort.choices,
                                  default=WhenShort.PARTIAL)
    first_order_only = models.BooleanField(_("première commande seulement"), default=False)
    max_uses_per_customer = models.PositiveIntegerField(_("utilisations par client"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(_("utilisations au total"), null=True, blank=True)
    # A merchant's own offer: only that shop's lines, funded by it.
    owner_shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="own_campaigns", verbose_name=_("offre du commerce"))
    stock_limit = models.PositiveIntegerField(_("limite d'articles remisés"), null=True, blank=True)
    # An ambassadors' reward campaign: valid in the shops of this one.
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        constraints = [
            models.CheckConstraint(condition=Q(town_share_percent__lte=100), name="promotions_town_share_range"),
            models.CheckConstraint(
                condition=(Q(funder="town", town_share_percent=100) | Q(funder="shop", town_share_percent=0)
                           | Q(funder="split", town_share_percent__gt=0, town_share_percent__lt=100)),
                name="promotions_funder_share_consistent",
            ),
            models.CheckConstraint(condition=Q(owner_shop__isnull=True) | Q(funder="shop"),
                                   name="promotions_own_offer_shop_funded"),
        ]

    def __str__(self) -> str:
        return self.offer.name


class CampaignBudget(models.Model):
    """A campaign's budget in cents: what is held for baskets at checkout and what orders spent.

    ``reserved + spent <= budget`` always (the CheckConstraint is the last line; the
    services change both under this row's lock, ``marketplace.promotions.locks``).
    ``max_uses`` counts held and consumed reservations under the same lock.
    """

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="budget")
    budget_cents = models.PositiveBigIntegerField(_("budget (centimes)"))
    reserved_cents = models.BigIntegerField(_("réservé (centimes)"), default=0)
    spent_cents = models.BigIntegerField(_("dépensé (centimes)"), default=0)

    class Meta:
        verbose_name = _("budget de campagne")
        verbose_name_plural = _("budgets de campagne")
        constraints = [
            models.CheckConstraint(condition=Q(budget_cents__gt=0), name="promotions_budget_positive"),
            models.CheckConstraint(condition=Q(reserved_cents__gte=0, spent_cents__gte=0),
                                   name="promotions_budget_amounts_positive"),
            models.CheckConstraint(condition=Q(reserved_cents__lte=F("budget_cents") - F("spent_cents")),
                                   name="promotions_budget_never_overspent"),
        ]

    @property
    def left_cents(self) -> int:
        return self.budget_cents - self.reserved_cents - self.spent_cents


class ReservationStatus(models.TextChoices):
    HELD = "held", _("réservé")
    CONSUMED = "consumed", _("dépensé")
    RELEASED = "released", _("rendu")


class BudgetReservation(models.Model):
    """What one basket holds of one budget while its shopper pays (like a stock or slot hold)."""

    budget = models.ForeignKey(CampaignBudget, on_delete=models.CASCADE, related_name="reservations")
    basket_id = models.PositiveIntegerField(db_index=True)
    amount_cents = models.PositiveIntegerField()
    #: The discount the basket would get with an unlimited budget (to tell the shopper).
    wanted_cents = models.PositiveIntegerField(default=0)
    customer_key = models.CharField(max_length=254, blank=True)
    status = models.CharField(max_length=10, choices=ReservationStatus.choices, default=ReservationStatus.HELD)
    expires_at = models.DateTimeField()
    order = models.ForeignKey("order.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "basket_id"], condition=Q(status="held"),
                                    name="promotions_one_held_reservation_per_basket"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="promotions_reservation_due")]


class ParticipationStatus(models.TextChoices):
    INVITED = "invited", _("invité")
    OPTED_IN = "in", _("participe")
    OPTED_OUT = "out", _("ne participe pas")


class CampaignShop(models.Model):
    """A shop invited to a campaign, and its answer: the campaign discounts only opted-in shops' lines."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="campaign_participations")
    status = models.CharField(max_length=8, choices=ParticipationStatus.choices, default=ParticipationStatus.INVITED)
    invited_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["shop__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "shop"], name="promotions_one_participation")]


class LineDiscountFunding(models.Model):
    """Who pays one discount of one order line, in cents incl. VAT as placed.

    Written at placement for every ``OrderLineDiscount`` (``promotions_order_placed``);
    ``marketplace.payments.orders`` reads ``shop_cents`` for the merchant's basis, so
    this replaces the former global ``HALLE_DISCOUNT_FUNDER`` setting.
    """

    line = models.ForeignKey("order.Line", on_delete=models.CASCADE, related_name="discount_fundings")
    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="discount_fundings")
    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="fundings")
    offer_id = models.PositiveIntegerField(null=True, blank=True)
    offer_name = models.CharField(max_length=128, blank=True)
    voucher_code = models.CharField(max_length=128, blank=True)
    amount_cents = models.PositiveIntegerField()
    town_cents = models.PositiveIntegerField(default=0)
    shop_cents = models.PositiveIntegerField(default=0)
    platform_cents = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents=F("town_cents") + F("shop_cents") + F("platform_cents")),
                name="promotions_funding_adds_up",
            ),
        ]


class CampaignOrderSpend(models.Model):
    """What one order costs one budgeted campaign now (lowered when items are removed or parts
    cancelled, so the budget gets it back; recomputed from the order, idempotent)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="order_spends")
    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="campaign_spends")
    placed_cents = models.PositiveIntegerField()
    spent_cents = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "order"], name="promotions_one_spend_per_order"),
            models.CheckConstraint(condition=Q(spent_cents__lte=F("placed_cents")), name="promotions_spend_within_placed"),
        ]


class VoucherBatch(TimeStampedModel):
    """Codes generated together (printed flyers), exported as CSV."""

    name = models.CharField(_("nom"), max_length=128)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="voucher_batches")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]


class VoucherQuota(models.Model):
    """Hard limits of one Oscar voucher code, taken at placement under this row's lock.

    Oscar checks a voucher's availability on the basket and records its use after the
    order, unconditionally: two last checkouts both pass. Here ``uses <= max_uses`` is a
    CheckConstraint and the use is counted in the placement's transaction.
    """

    voucher = models.OneToOneField("voucher.Voucher", on_delete=models.CASCADE, related_name="quota")
    batch = models.ForeignKey(VoucherBatch, on_delete=models.CASCADE, null=True, blank=True, related_name="quotas")
    max_uses = models.PositiveIntegerField(_("utilisations par code"))
    max_uses_per_customer = models.PositiveIntegerField(_("utilisations par client"), null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(uses__lte=F("max_uses")), name="promotions_voucher_within_uses"),
            models.CheckConstraint(condition=Q(max_uses__gt=0), name="promotions_voucher_uses_positive"),
        ]


class VoucherUse(models.Model):
    quota = models.ForeignKey(VoucherQuota, on_delete=models.CASCADE, related_name="use_rows")
    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="+")
    customer_key = models.CharField(max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["quota", "order"], name="promotions_voucher_once_per_order")]


class Ambassador(TimeStampedModel):
    """A local influencer, association or club the manager invited to share a campaign's code.

    Their personal code is an Oscar voucher of the campaign (a shopper using it gets the
    campaign's benefit); each order placed with it is a ``Referral``, whose reward is earned
    only once the order is collected (or delivered) and lost if it is refunded.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassadorships")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ambassadors")
    voucher = models.OneToOneField("voucher.Voucher", on_delete=models.PROTECT, related_name="ambassador")
    display_name = models.CharField(_("nom affiché"), max_length=120)
    reward_cents = models.PositiveIntegerField(_("récompense par commande retirée (centimes)"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["display_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "campaign"], name="promotions_one_ambassador_per_campaign"),
            models.CheckConstraint(condition=Q(reward_cents__gt=0), name="promotions_reward_positive"),
        ]

    def __str__(self) -> str:
        return self.display_name


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("en attente du retrait")
    EARNED = "earned", _("gagnée")
    LOST = "lost", _("perdue (commande remboursée)")


class Referral(models.Model):
    """One order placed with an ambassador's code (no shopper's personal data is shown)."""

    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="referrals")
    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="referral")
    order_cents = models.PositiveIntegerField()
    reward_cents = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=ReferralStatus.choices, default=ReferralStatus.PENDING)
    reward_voucher = models.OneToOneField("voucher.Voucher", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
