"""The demo town's promotions (idempotent): a town-funded campaign with a budget and a few
participating shops, one merchant's own offer, a voucher campaign with a printed batch, and
one ambassador (ambassadeur@halle.test) — all through the promotions services."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from marketplace.demo.accounts import DEMO_PASSWORD
from marketplace.promotions.models import Ambassador, Campaign, ParticipationStatus
from marketplace.promotions.services.ambassadors import ambassador_invite
from marketplace.promotions.services.campaigns import (
    AMOUNT,
    PERCENTAGE,
    CampaignInput,
    campaign_save,
    campaign_shops_invite,
)
from marketplace.promotions.services.vouchers import voucher_batch_generate
from shops.models import Shop

TOWN_CAMPAIGN = "Semaine du commerce local"
CODE_CAMPAIGN = "Les amis du centre-ville"
AMBASSADOR_EMAIL = "ambassadeur@halle.test"


@dataclass(frozen=True)
class DemoPromotions:
    ambassador_email: str
    ambassador_code: str


def _campaign(name: str, **fields) -> Campaign:
    existing = Campaign.objects.filter(offer__name=name).first()
    if existing is not None:
        return existing
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    return campaign_save(data=CampaignInput(name=name, starts_at=now - dt.timedelta(days=2),
                                            ends_at=now + dt.timedelta(days=30), **fields))


def promotions_demo_ensure() -> DemoPromotions | None:
    shops = list(Shop.objects.filter(application__isnull=True).order_by("pk")[:6])
    if not shops:
        return None
    town = _campaign(TOWN_CAMPAIGN, benefit=AMOUNT, value=Decimal("5.00"), minimum=Decimal("30.00"),
                     budget_euros=Decimal("500.00"),
                     description="5 € offerts dès 30 € d'achats dans les commerces participants, offerts par la ville.")
    campaign_shops_invite(campaign=town, shops=shops)
    town.participations.filter(shop__in=shops[:4]).update(status=ParticipationStatus.OPTED_IN, decided_at=timezone.now())
    first = shops[0]
    own_products = list(first.partner.stockrecords.select_related("product").order_by("pk")[:3])
    if own_products and not Campaign.objects.filter(owner_shop=first).exists():
        now = timezone.now()
        campaign_save(data=CampaignInput(
            name=f"−10 % chez {first.name}"[:128], starts_at=now - dt.timedelta(days=1), ends_at=now + dt.timedelta(days=14),
            benefit=PERCENTAGE, value=Decimal(10), funder="shop", town_share_percent=0, owner_shop=first,
            products=[s.product for s in own_products]))
    coded = Campaign.objects.filter(offer__name=CODE_CAMPAIGN).first()
    if coded is None:
        coded = _campaign(CODE_CAMPAIGN, benefit=AMOUNT, value=Decimal("3.00"), budget_euros=Decimal("300.00"),
                          code="AMIS", code_uses=1000, max_uses_per_customer=1,
                          description="3 € offerts avec un code d'ambassadeur ou des flyers du marché.")
        campaign_shops_invite(campaign=coded, shops=shops)
        coded.participations.update(status=ParticipationStatus.OPTED_IN, decided_at=timezone.now())
        voucher_batch_generate(campaign=coded, name="Flyers du marché", count=20, prefix="MARCHE")
    ambassador = Ambassador.objects.filter(user__email=AMBASSADOR_EMAIL, campaign=coded).first()
    if ambassador is None:
        ambassador = ambassador_invite(campaign=coded, email=AMBASSADOR_EMAIL, display_name="Club de foot de la ville",
                                       reward_euros=Decimal("2.00"), code="CLUBFOOT")
        ambassador.user.password = make_password(DEMO_PASSWORD)
        ambassador.user.save(update_fields=["password"])
    return DemoPromotions(ambassador_email=AMBASSADOR_EMAIL, ambassador_code=ambassador.voucher.code)
