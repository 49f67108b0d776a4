"""The manager's statistics: town staff only, periods compared, charts' figures, CSV, constant cost."""
from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.accounts import UserFactory
from tests.factories.shops import ShopFactory
from tests.marketplace.analytics.conftest import plan_of

pytestmark = pytest.mark.django_db

URL = "/gestion/statistiques/"
WEEK1 = "periode=semaine&date=2026-03-04"  # 2–8 March 2026


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def figures(response) -> dict[str, list[str]]:
    """The key-figures table as {key: [period, previous, change]} (text of the cells)."""
    import re

    html = response.content.decode()
    rows = re.findall(r'<tr data-figure="(\w+)"><th scope="row">[^<]*</th><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>'
                      r'<td[^>]*>([^<]*)</td>', html)
    return {key: [a, b, c] for key, a, b, c in rows}


def test_anonymous_visitors_are_sent_to_log_in_and_merchants_or_shoppers_are_refused(client):
    assert client.get(URL).status_code == 302
    assert "/accounts/login/" in client.get(URL)["Location"]
    merchant = UserFactory()
    ShopFactory(staff=[merchant])
    client.force_login(merchant)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "export/commerces.csv").status_code == 403


def test_the_week_shows_its_figures_beside_the_previous_week(manager, history):
    # Orders 0..12 on days 0..12: week 1 has days 0-6 (7 orders), week 2 days 7-12 (6 orders).
    history(plan_of(13))

    response = manager.get(URL, {"periode": "semaine", "date": "2026-03-11"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "la semaine du 9 mars 2026 au 15 mars 2026" in page
    assert "comparés à la semaine du 2 mars 2026 au 8 mars 2026" in page
    shown = figures(response)
    assert shown["orders"][:2] == ["6", "7"]
    assert shown["orders"][2] == "−14,3\u202f%"
    assert "le jour où il est fait" in page  # the refund convention is stated
    data = json.loads(page.split('id="analytics-chart-data" type="application/json">')[1].split("</script>")[0])
    assert len(data["series"]["labels"]) == 7 and sum(data["series"]["orders"]) == 6


def test_the_key_figures_add_up_what_the_rollups_hold(manager, history):
    from marketplace.analytics.models import DailyShopFact, DailyTownFact

    world = history(plan_of(7))
    days = {"day__gte": "2026-03-02", "day__lte": "2026-03-08"}
    town = DailyTownFact.objects.filter(**days)
    shop = DailyShopFact.objects.filter(**days)
    orders = sum(t.orders for t in town)
    multi = sum(t.multi_shop_orders for t in town)
    net = sum(s.captured_cents - s.refunded_cents for s in shop)
    assert orders == 7 and multi == 3 and net > 0

    shown = figures(manager.get(URL + "?" + WEEK1))

    assert shown["orders"][0] == "7"
    assert shown["multi"][0] == f"{multi * 100 / orders:.1f}".replace(".", ",") + "\u202f%"
    euros, cents = divmod(net, 100)
    assert shown["net"][0].replace("\u202f", "") == f"{euros},{cents:02d}€"
    assert world.shops[0].name in manager.get(URL + "?" + WEEK1).content.decode()


@pytest.mark.parametrize("query, label", [
    ("periode=jour&date=2026-03-03", "le 3 mars 2026"),
    ("periode=mois&date=2026-03-15", "mars 2026"),
    ("periode=personnalisee&du=2026-03-01&au=2026-03-10", "du 1er mars 2026 au 10 mars 2026"),
])
def test_a_day_a_month_or_chosen_dates_are_compared_with_the_same_span_before(manager, query, label):
    page = manager.get(f"{URL}?{query}").content.decode()
    assert f"tous les commerces, {label}, comparés à" in page


def test_the_previous_month_of_march_is_february_whatever_its_length(manager):
    page = manager.get(URL + "?periode=mois&date=2026-03-31").content.decode()
    assert "comparés à février 2026" in page


@pytest.mark.parametrize("query, message", [
    ("periode=annee", "Période inconnue : choisissez jour, semaine, mois ou dates choisies."),
    ("periode=semaine&date=2026-13-45", "Date invalide : utilisez le format AAAA-MM-JJ."),
    ("periode=personnalisee&du=2026-03-10", "Pour des dates choisies, indiquez le premier et le dernier jour."),
    ("periode=personnalisee&du=2026-03-10&au=2026-03-01", "Le premier jour doit précéder le dernier."),
    ("periode=personnalisee&du=2024-01-01&au=2026-03-01", "366 jours au plus : choisissez une période plus courte."),
])
def test_a_bad_period_gets_a_french_message_and_the_current_week(manager, query, message):
    response = manager.get(f"{URL}?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert message.replace("'", "&#x27;") in page
    assert "la semaine du" in page


def test_the_csv_exports_hold_the_figures_of_the_tables(manager, history):
    world = history(plan_of(7))

    response = manager.get(URL + "export/commerces.csv?" + WEEK1)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="statistiques-commerces-20260302-20260308.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["nom", "métier", "commandes"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {shop.name for shop in world.shops}
    assert sum(int(row[2]) for row in rows[1:]) == 7 + 3  # 7 orders, 3 of them in two shops
    for table in ("indicateurs", "jours", "metiers", "creneaux", "points"):
        export = manager.get(f"{URL}export/{table}.csv?{WEEK1}")
        assert export.status_code == 200 and export.content.decode().count("\n") >= 2, table


def test_an_unknown_export_is_a_404_and_a_bad_period_a_400_with_a_french_sentence(manager):
    assert manager.get(URL + "export/clients.csv").status_code == 404
    response = manager.get(URL + "export/jours.csv?periode=personnalisee&du=2026-03-10&au=2026-03-01")
    assert response.status_code == 400
    assert "Le premier jour doit précéder le dernier." in response.content.decode()


def _queries(client, query) -> int:
    client.get(f"{URL}?{query}")  # warm: the site, the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"{URL}?{query}").status_code == 200
    return len(ctx.captured_queries)


def test_the_page_costs_the_same_queries_at_10_and_at_120_orders(manager, history):
    from marketplace.analytics.services.rollups import rollups_rebuild

    history(plan_of(10))
    small = _queries(manager, "periode=mois&date=2026-03-04")
    history(plan_of(120), shops=None)
    rollups_rebuild()
    large = _queries(manager, "periode=mois&date=2026-03-04")

    assert small == large, (small, large)
    assert small <= 12
