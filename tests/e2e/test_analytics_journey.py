"""Browser: the manager reads the statistics, changes the period and exports a CSV; a merchant
sees its own figures; an anonymous visitor downloads an open dataset."""
from __future__ import annotations

import datetime as dt

import pytest

from marketplace.analytics.opendata.publish import opendata_publish
from marketplace.analytics.services.rollups import rollups_rebuild
from marketplace.order.models import FulfilmentMode
from tests.factories.accounts import UserFactory
from tests.factories.analytics import PlannedOrder, PlannedPart, World, event_apply, history_events
from tests.factories.logistics import CollectionPointFactory
from tests.factories.shops import ShopFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "mot-de-passe-de-test"


def town(today: dt.date):
    shops = [ShopFactory(name=name) for name in ("Fromagerie Lemoine", "Librairie du Pont", "Fleurs de Loing")]
    first = today - dt.timedelta(days=today.weekday() + 7)  # last Monday but one
    world = World(shops=shops, point=CollectionPointFactory(), first_day=first)
    plan = [PlannedOrder(day=i % 10, minute=600 + 13 * i, shopper=i % 4, mode=FulfilmentMode.AT_POINT,
                         parts=(PlannedPart(shop=i % 3, lines=((1, 900 + 100 * i),)),)) for i in range(12)]
    for event in history_events(plan, first):
        if event.at.date() < today:
            event_apply(world, plan, event)
    rollups_rebuild()
    opendata_publish()
    return shops


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_login-username", user.email)
    page.fill("#id_login-password", PASSWORD)
    page.click("button[name=login_submit]")
    page.wait_for_load_state("load")


def test_the_manager_changes_the_period_and_exports_the_shops_as_csv(page):
    from django.utils import timezone

    town(timezone.localdate())
    log_in(page, UserFactory(is_staff=True))

    page.goto("/gestion/statistiques/")
    assert page.get_by_role("heading", name="Statistiques du centre-ville").is_visible()
    page.select_option("#id_periode", "mois")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**periode=mois**")
    assert "comparés à" in page.locator(".page-header").inner_text()
    assert page.locator("#chart-series").is_visible() and page.locator("#shops-table tbody tr").count() >= 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Par commerce").click()
    path = download.value.path()
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    assert text.startswith("nom;métier;commandes") and "Fromagerie Lemoine" in text
    assert page.js_errors == []


def test_the_merchant_sees_its_figures_and_not_another_shops(page):
    from django.utils import timezone

    shops = town(timezone.localdate())
    merchant = UserFactory()
    shops[0].partner.users.add(merchant)
    log_in(page, merchant)

    page.goto("/espace-commercant/")
    page.get_by_role("link", name="Chiffres").click()
    page.wait_for_url("**/chiffres/")
    page.select_option("#id_periode", "mois")
    page.get_by_role("button", name="Afficher").click()
    body = page.locator("#content_inner").inner_text()
    assert "Vos produits les plus vendus" in body and "Librairie du Pont" not in body
    assert page.locator("#shop-figures tr[data-figure=orders] td").first.inner_text() != "0"
    assert page.js_errors == []


def test_an_anonymous_visitor_downloads_the_shops_dataset(page):
    from django.utils import timezone

    town(timezone.localdate())

    page.goto("/donnees-ouvertes/")
    assert page.get_by_role("heading", name="Données ouvertes du centre-ville").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="commerces.csv").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        text = handle.read()
    assert text.splitlines()[0].startswith("identifiant,nom,metier,adresse")
    assert "Fromagerie Lemoine" in text
