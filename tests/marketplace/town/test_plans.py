"""Commission plans in ``/gestion/commissions/``: create and edit plans, see which shop is on
which, move a shop to another plan from a date; orders keep the rate of their checkout."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.payments import services
from marketplace.payments.models import (
    CommissionPlan,
    Payment,
    PaymentPart,
    ShopPaymentAccount,
    ShopPlanChange,
)
from marketplace.payments.selectors import commission_plans_for
from tests.factories import ShopFactory
from tests.factories.payments import plan

pytestmark = pytest.mark.django_db
URL = "/gestion/commissions/"


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def test_the_manager_creates_a_plan_with_a_decimal_comma(manager_client):
    response = manager_client.post(URL, {"action": "create", "new-name": "Découverte", "new-rate": "3,5"})
    assert response.status_code == 302
    assert CommissionPlan.objects.get(name="Découverte").rate == Decimal("3.50")


@pytest.mark.parametrize(("rate", "message"), [("101", "entre 0 et 100"), ("-1", "entre 0 et 100"), ("trois", "Taux invalide"),
                                               ("1,234", "Deux décimales")])
def test_a_bad_rate_is_a_french_message_and_creates_nothing(manager_client, rate, message):
    plan("solo")  # the town's standard plans exist
    before = CommissionPlan.objects.count()
    response = manager_client.post(URL, {"action": "create", "new-name": "Essai", "new-rate": rate})
    assert response.status_code == 400 and message in response.content.decode()
    assert CommissionPlan.objects.count() == before


def test_a_plan_name_is_unique(manager_client):
    plan("solo")
    response = manager_client.post(URL, {"action": "create", "new-name": "Solo", "new-rate": "4"})
    assert response.status_code == 400 and "déjà ce nom" in response.content.decode()


def test_editing_a_plan_changes_its_rate_for_the_next_orders(manager_client):
    solo = plan("solo")
    response = manager_client.post(f"/gestion/commissions/plans/{solo.pk}/", {f"plan{solo.pk}-name": "Solo",
                                                                             f"plan{solo.pk}-rate": "8,5"})
    assert response.status_code == 302
    solo.refresh_from_db()
    assert solo.rate == Decimal("8.50")


def test_a_change_from_a_later_date_waits_for_it_and_then_counts_at_checkout(manager_client, manager):
    shop = ShopFactory()
    solo, collectif = plan("solo"), plan("collectif")
    response = manager_client.post(URL, {"action": "change", "shop": shop.pk, "plan": solo.pk, "day": tomorrow().isoformat()})
    assert response.status_code == 302
    change = ShopPlanChange.objects.get(shop=shop)
    assert change.applied_at is None and change.created_by == manager
    midnight = dt.datetime.combine(tomorrow(), dt.time.min, tzinfo=timezone.get_current_timezone())
    assert commission_plans_for(shop_ids=[shop.pk])[shop.pk] == collectif  # today: the default
    assert commission_plans_for(shop_ids=[shop.pk], at=midnight)[shop.pk] == solo  # due, before beat ran
    assert services.plan_changes_apply(now=midnight) == 1
    assert ShopPaymentAccount.objects.get(shop=shop).plan == solo
    assert services.plan_changes_apply(now=midnight) == 0  # applied once


def test_a_change_from_today_applies_at_once(manager_client):
    shop = ShopFactory()
    solo = plan("solo")
    manager_client.post(URL, {"action": "change", "shop": shop.pk, "plan": solo.pk, "day": timezone.localdate().isoformat()})
    assert ShopPaymentAccount.objects.get(shop=shop).plan == solo
    assert commission_plans_for(shop_ids=[shop.pk])[shop.pk] == solo


def test_a_past_date_or_an_unknown_shop_or_plan_is_refused(manager_client):
    shop = ShopFactory()
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    for data, message in (({"shop": shop.pk, "day": yesterday}, "ne peut pas être passée"),
                          ({"shop": 999999, "day": tomorrow().isoformat()}, "Commerce inconnu"),
                          ({"shop": shop.pk, "plan": 999999, "day": tomorrow().isoformat()}, "Plan de commission inconnu"),
                          ({"shop": shop.pk, "day": "31/02/2027"}, "Date invalide")):
        response = manager_client.post(URL, {"action": "change", **data})
        assert response.status_code == 400 and message in response.content.decode()
    assert not ShopPlanChange.objects.exists()


def test_a_new_change_replaces_the_pending_one_and_can_be_cancelled(manager_client):
    shop = ShopFactory()
    solo, collectif = plan("solo"), plan("collectif")
    services.shop_plan_change_schedule(shop=shop, plan=solo, effective_from=timezone.now() + dt.timedelta(days=3))
    second = services.shop_plan_change_schedule(shop=shop, plan=collectif, effective_from=timezone.now() + dt.timedelta(days=5))
    assert list(ShopPlanChange.objects.filter(cancelled_at__isnull=True)) == [second]
    manager_client.post(f"/gestion/commissions/changements/{second.pk}/annuler/")
    second.refresh_from_db()
    assert second.cancelled_at is not None
    assert services.plan_changes_apply(now=timezone.now() + dt.timedelta(days=6)) == 0


def test_orders_paid_before_a_change_keep_their_rate():
    shop = ShopFactory()
    payment = Payment.objects.create(order_number="500001", amount_cents=1000)
    part = PaymentPart.objects.create(payment=payment, shop=shop, commission_rate=Decimal("5.50"), gross_cents=1000, paid_cents=1000)
    services.shop_plan_change_schedule(shop=shop, plan=plan("solo"), effective_from=timezone.now())
    services.commission_plan_update(plan=plan("solo"), name="Solo", rate=Decimal(12))
    part.refresh_from_db()
    assert part.commission_rate == Decimal("5.50")


def test_the_page_shows_each_shops_plan_in_constant_queries(manager_client):
    solo = plan("solo")
    on_solo = ShopFactory(name="Cave Solo")
    services.shop_plan_change_schedule(shop=on_solo, plan=solo, effective_from=timezone.now())
    later = ShopFactory(name="Librairie Demain")
    services.shop_plan_change_schedule(shop=later, plan=solo, effective_from=timezone.now() + dt.timedelta(days=2))
    manager_client.get(URL)
    with CaptureQueriesContext(connection) as few:
        page = manager_client.get(URL)
    rows = {row.shop.name: row for row in page.context["rows"]}
    assert rows["Cave Solo"].plan == solo and not rows["Cave Solo"].is_default
    assert rows["Librairie Demain"].is_default and rows["Librairie Demain"].upcoming[0].plan == solo
    for _ in range(8):
        services.shop_plan_change_schedule(shop=ShopFactory(), plan=solo, effective_from=timezone.now() + dt.timedelta(days=1))
    with CaptureQueriesContext(connection) as many:
        manager_client.get(URL)
    assert len(many.captured_queries) == len(few.captured_queries)
