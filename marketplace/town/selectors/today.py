"""The manager's day at a glance (``/gestion/``): a fixed number of queries, whatever the
number of shops, orders or parcels (each figure is one aggregate query)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.utils import timezone


@dataclass(frozen=True)
class ShopWork:
    shop_id: int
    name: str
    to_accept: int
    in_progress: int
    ready: int
    next_slot: dt.datetime | None


@dataclass(frozen=True)
class PointWaiting:
    point_id: int
    name: str
    parcels: int
    oldest: dt.datetime


@dataclass
class Today:
    now: dt.datetime
    shops_work: list[ShopWork] = field(default_factory=list)
    late_count: int = 0
    late_first: list = field(default_factory=list)
    waiting: list[PointWaiting] = field(default_factory=list)
    applications_to_review: int = 0
    applications_waiting_applicant: int = 0
    shops_onboarding: int = 0
    shops_suspended: int = 0
    slots_attention: int = 0
    payment_issues: int = 0

    @property
    def orders_to_prepare(self) -> int:
        return sum(w.to_accept + w.in_progress for w in self.shops_work)


LATE_SHOWN = 5


def today_at_a_glance(*, now: dt.datetime | None = None) -> Today:
    from logistics.models import Slot
    from logistics.pickup.models import ParcelPlacement
    from logistics.pickup.selectors import shop_orders_late
    from marketplace.order.models import ShopOrder
    from marketplace.order.models import ShopOrderStatus as S
    from marketplace.payments.models import ReconciliationIssue
    from marketplace.town.models import ApplicationStatus, ShopApplication
    from shops.models import Shop, ShopStatus

    now = now or timezone.now()
    today = Today(now=now)
    rows = (
        ShopOrder.objects.filter(status__in=(S.NEW, S.ACCEPTED, S.PREPARING, S.READY))
        .values("shop_id", "shop__name")
        .annotate(
            to_accept=Count("pk", filter=Q(status=S.NEW)),
            in_progress=Count("pk", filter=Q(status__in=(S.ACCEPTED, S.PREPARING))),
            ready=Count("pk", filter=Q(status=S.READY)),
            next_slot=Min("slot__starts_at", filter=Q(status__in=(S.NEW, S.ACCEPTED, S.PREPARING))),
        )
        .order_by("shop__name", "shop_id")
    )
    today.shops_work = [
        ShopWork(shop_id=r["shop_id"], name=r["shop__name"], to_accept=r["to_accept"], in_progress=r["in_progress"],
                 ready=r["ready"], next_slot=r["next_slot"])
        for r in rows
    ]
    late = shop_orders_late(now=now)
    today.late_first = list(late[:LATE_SHOWN])
    today.late_count = len(today.late_first) if len(today.late_first) < LATE_SHOWN else late.count()
    today.waiting = [
        PointWaiting(point_id=r["point_id"], name=r["point__name"], parcels=r["parcels"], oldest=r["oldest"])
        for r in ParcelPlacement.objects.filter(ended_at__isnull=True)
        .values("point_id", "point__name").annotate(parcels=Count("pk"), oldest=Min("placed_at"))
        .order_by("point__name", "point_id")
    ]
    counts = dict(ShopApplication.objects.values_list("status").annotate(n=Count("pk")).order_by())
    today.applications_to_review = counts.get(ApplicationStatus.SUBMITTED, 0)
    today.applications_waiting_applicant = counts.get(ApplicationStatus.CHANGES_REQUESTED, 0)
    from shops.onboarding import shops_onboarding_listed

    today.shops_onboarding = sum(
        not checklist.is_complete for checklist in shops_onboarding_listed(shops=Shop.objects.filter(status=ShopStatus.ACTIVE))
    )
    today.shops_suspended = Shop.objects.filter(status=ShopStatus.SUSPENDED).count()
    today.slots_attention = Slot.objects.filter(needs_attention=True, ends_at__gt=now).count()
    today.payment_issues = ReconciliationIssue.objects.filter(resolved_at__isnull=True).count()
    return today
