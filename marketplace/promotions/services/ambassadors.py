"""Ambassadors: the manager invites them, each gets a personal code and link; a referral's
reward is earned only when the order is collected (or delivered), lost when it is refunded,
and paid as a single-use voucher valid in the campaign's participating shops.

The order's transitions call ``referral_order_changed`` explicitly (``marketplace.order.
consequences``), in their own transaction; placement calls ``referral_record``, which refuses
self-referral (the ambassador's own account or e-mail address). The local Stripe server gives
no card fingerprint, so the « same card » rule is not checked here.
"""
from __future__ import annotations

import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from marketplace.promotions.applying import to_cents
from marketplace.promotions.models import Ambassador, Campaign, Funder, Referral, ReferralStatus
from marketplace.promotions.services.vouchers import (
    CODE_ALPHABET,
    VoucherInputError,
    code_taken,
    voucher_create,
)

ConditionalOffer = get_model("offer", "ConditionalOffer")


class AmbassadorInputError(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _code_for(name: str) -> str:
    stem = "".join(ch for ch in name.upper() if ch.isalnum())[:8] or "AMBASSADEUR"
    while True:
        code = f"{stem}-{''.join(secrets.choice(CODE_ALPHABET) for _ in range(4))}"
        if not code_taken(code=code):
            return code


def ambassador_invite(*, campaign: Campaign, email: str, display_name: str, reward_euros: Decimal,
                      code: str = "", invited_by=None) -> Ambassador:
    """Invite ``email`` (an account is made if there is none) as an ambassador of ``campaign``."""
    errors = {}
    email = (email or "").strip().lower()
    if "@" not in email:
        errors["email"] = _("Indiquez une adresse e-mail valable.")
    if not (display_name or "").strip():
        errors["display_name"] = _("Indiquez le nom affiché de l'ambassadeur.")
    if reward_euros is None or reward_euros <= 0:
        errors["reward_euros"] = _("La récompense doit être supérieure à 0 €.")
    if campaign.offer.offer_type != ConditionalOffer.VOUCHER:
        errors["campaign"] = _("Les ambassadeurs partagent un code : choisissez une campagne « avec un code ».")
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first() if not errors else None
    if user is not None and Ambassador.objects.filter(user=user, campaign=campaign).exists():
        errors["email"] = _("Cette personne est déjà ambassadrice de cette campagne.")
    if errors:
        raise AmbassadorInputError(errors)
    code = (code or "").strip().upper() or _code_for(display_name)
    with transaction.atomic():
        if user is None:
            user = User.objects.create_user(username=email[:150], email=email)
            user.set_unusable_password()
            user.save(update_fields=["password"])
        try:
            voucher = voucher_create(campaign=campaign, code=code, max_uses=1_000_000, max_uses_per_customer=1)
        except VoucherInputError as error:
            transaction.set_rollback(True)
            raise AmbassadorInputError({"code": error.messages[0]}) from None
        return Ambassador.objects.create(user=user, campaign=campaign, voucher=voucher, display_name=display_name.strip(),
                                         reward_cents=to_cents(reward_euros), invited_by=invited_by)


def referral_record(*, order) -> Referral | None:
    """At placement: the order used an ambassador's code. Refuses self-referral."""
    from marketplace.promotions.services.budget import PromotionChanged

    voucher_ids = list(order.discounts.filter(voucher_id__isnull=False).values_list("voucher_id", flat=True))
    if not voucher_ids:
        return None
    ambassador = Ambassador.objects.select_related("user").filter(voucher_id__in=voucher_ids).first()
    if ambassador is None:
        return None
    email = (order.user.email if order.user_id else order.guest_email or "").strip().lower()
    if ambassador.user_id == order.user_id or (email and email == (ambassador.user.email or "").lower()):
        raise PromotionChanged(_("Vous ne pouvez pas utiliser votre propre code d'ambassadeur : "
                                 "retirez-le de votre panier."))
    return Referral.objects.create(ambassador=ambassador, order=order, order_cents=to_cents(order.total_incl_tax),
                                   reward_cents=ambassador.reward_cents)


def _reward_campaign(campaign: Campaign, reward_cents: int) -> Campaign:
    """The town-funded voucher campaign that pays ``campaign``'s ambassadors ``reward_cents``."""
    existing = (Campaign.objects.filter(parent=campaign, offer__benefit__value=Decimal(reward_cents) / 100)
                .select_related("offer").first())
    if existing is not None:
        return existing
    from marketplace.promotions.services.campaigns import AMOUNT, CampaignInput, campaign_save

    offer = campaign.offer
    reward = campaign_save(data=CampaignInput(
        name=_("Récompense ambassadeur — %(name)s (%(euros)s €)") % {
            "name": offer.name[:60], "euros": f"{reward_cents / 100:.2f}".replace(".", ",")},
        starts_at=timezone.now(), ends_at=timezone.now() + timezone.timedelta(days=365),
        benefit=AMOUNT, value=Decimal(reward_cents) / 100, funder=Funder.TOWN,
    ))
    reward.parent = campaign
    reward.save(update_fields=["parent"])
    ConditionalOffer.objects.filter(pk=reward.offer_id).update(offer_type=ConditionalOffer.VOUCHER)
    reward.offer.offer_type = ConditionalOffer.VOUCHER
    return reward


def referral_order_changed(*, order) -> None:
    """Called by the order's transitions (its lock held): earn the reward once nothing is left
    to collect and something was collected; lose it when everything was cancelled/refunded."""
    from marketplace.order.models import ShopOrderStatus

    referral = Referral.objects.select_for_update().select_related("ambassador__campaign").filter(
        order_id=order.pk).first()
    if referral is None:
        return
    statuses = set(order.shop_orders.values_list("status", flat=True))
    handed = {ShopOrderStatus.COLLECTED, getattr(ShopOrderStatus, "DELIVERED", ShopOrderStatus.COLLECTED)}
    now = timezone.now()
    if statuses and statuses <= {ShopOrderStatus.CANCELLED}:
        if referral.status != ReferralStatus.LOST:
            referral.status, referral.decided_at = ReferralStatus.LOST, now
            if referral.reward_voucher_id:  # not usable any more
                type(referral.reward_voucher).objects.filter(pk=referral.reward_voucher_id).update(end_datetime=now)
            referral.save(update_fields=["status", "decided_at"])
        return
    if referral.status == ReferralStatus.PENDING and statuses & handed and statuses <= handed | {ShopOrderStatus.CANCELLED}:
        reward = _reward_campaign(referral.ambassador.campaign, referral.reward_cents)
        voucher = voucher_create(campaign=reward, code=_code_for("MERCI"), max_uses=1)
        referral.status, referral.decided_at, referral.reward_voucher = ReferralStatus.EARNED, now, voucher
        referral.save(update_fields=["status", "decided_at", "reward_voucher"])
