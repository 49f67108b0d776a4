"""Campaigns built through the promotions services, as the manager's space makes them."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from marketplace.promotions.models import ParticipationStatus
from marketplace.promotions.services.campaigns import (
    AMOUNT,
    CampaignInput,
    campaign_save,
    campaign_shops_invite,
)


def campaign_made(*, shops=(), name: str = "Semaine du commerce local", value: str = "5.00",
                  benefit: str = AMOUNT, minimum: str = "0", budget: str | None = "200.00", opted_in: bool = True,
                  **fields):
    """A running campaign (since yesterday, for a week) whose ``shops`` are invited and opted in."""
    now = timezone.now()
    data = CampaignInput(
        name=name, starts_at=fields.pop("starts_at", now - dt.timedelta(days=1)),
        ends_at=fields.pop("ends_at", now + dt.timedelta(days=7)), benefit=benefit, value=Decimal(value),
        minimum=Decimal(minimum), budget_euros=Decimal(budget) if budget is not None else None, **fields,
    )
    campaign = campaign_save(data=data)
    campaign_shops_invite(campaign=campaign, shops=shops)
    if opted_in:
        campaign.participations.update(status=ParticipationStatus.OPTED_IN)
    return campaign
