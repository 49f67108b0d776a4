"""Open data: public pages and files, a valid Data Package, secrecy applied, no personal data."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from frictionless import Package

from marketplace.analytics.models import DailyShopFact, OpenDataset
from marketplace.analytics.opendata.publish import opendata_publish
from shops.models import Trade
from tests.factories.logistics import (
    CollectionPointFactory,
    LockerCompartmentFactory,
    PointOpeningPeriodFactory,
)
from tests.factories.shops import OpeningPeriodFactory, ShopFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)
ON = dt.date(2026, 3, 18)  # weeks of 2 and 9 March are complete


def town():
    """Rue A: three bakeries and a cheesemonger; place B: three cheesemongers."""
    bakeries = [ShopFactory(name=f"Boulangerie {i}", line1=f"{i} rue de la République", trade=Trade.BOULANGERIE)
                for i in range(1, 4)]
    lone = ShopFactory(name="Fromagerie seule", line1="40 rue de la République", trade=Trade.FROMAGERIE)
    cheese = [ShopFactory(name=f"Fromagerie {i}", line1=f"{i} place du Marché", trade=Trade.FROMAGERIE)
              for i in range(1, 4)]
    for i, shop in enumerate([*bakeries, lone, *cheese]):
        for week in range(2):
            DailyShopFact.objects.create(day=MONDAY + dt.timedelta(days=7 * week + i % 5), shop=shop,
                                         orders=4 + i, captured_cents=1000 * (i + 1) + 77 * week,
                                         multi_shop_orders=i % 3)
    OpeningPeriodFactory(shop=bakeries[0], weekday=1, opens=dt.time(7), closes=dt.time(13))
    OpeningPeriodFactory(shop=bakeries[0], weekday=2, opens=dt.time(7), closes=dt.time(13))
    point = CollectionPointFactory(name="Point de la Halle", latitude="47.997500", longitude="2.733000")
    PointOpeningPeriodFactory(point=point, weekday=1)
    lockers = CollectionPointFactory(name="Consignes du Beffroi", kind="locker_bank")
    LockerCompartmentFactory(point=lockers)
    LockerCompartmentFactory(point=lockers)
    return bakeries, lone, cheese


def published(client, slug) -> list[dict]:
    response = client.get(f"/donnees-ouvertes/{slug}.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_datapackage_and_every_file_validate_with_frictionless(client, tmp_path, monkeypatch):
    town()
    monkeypatch.setattr("marketplace.analytics.opendata.datasets.today", lambda: ON)
    opendata_publish()

    descriptor = client.get("/donnees-ouvertes/datapackage.json").json()
    for resource in descriptor["resources"]:
        (tmp_path / resource["path"]).write_bytes(client.get(f"/donnees-ouvertes/{resource['path']}").content)
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))

    report = Package(str(tmp_path / "datapackage.json")).validate()

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["tasks"] == 3  # one per resource: each CSV checked against its Table Schema
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"
    assert {r["name"] for r in descriptor["resources"]} == {"commerces", "points-de-retrait", "activite-hebdomadaire"}


def test_the_page_is_public_and_shows_size_columns_and_update_date(client):
    town()
    opendata_publish()

    page = client.get("/donnees-ouvertes/").content.decode()

    assert "Licence Ouverte / Open Licence version 2.0" in page
    for dataset in OpenDataset.objects.all():
        assert f"{dataset.row_count} ligne" in page
        assert f"<code>{dataset.fields[0]['name']}</code>" in page
    assert "Mis à jour le" in page and "datapackage.json" in page


def test_the_shops_dataset_has_osm_hours_coordinates_services_and_a_geojson(client):
    bakeries, *_rest = town()
    opendata_publish()

    rows = {row["identifiant"]: row for row in published(client, "commerces")}
    first = rows[bakeries[0].slug]
    assert first["horaires"] == "Tu,We 07:00-13:00"
    assert first["metier"] == "Boulangerie-pâtisserie" and first["siret"] == ""
    geojson = client.get("/donnees-ouvertes/commerces.geojson")
    assert geojson["Content-Type"].startswith("application/geo+json")
    assert geojson.json()["type"] == "FeatureCollection"
    points = published(client, "points-de-retrait")
    assert [p["nom"] for p in points] == ["Point de la Halle", "Consignes du Beffroi"]
    assert points[0]["horaires"] == "Tu 08:00-20:00" and points[1]["casiers"] == "2"


def test_no_activity_cell_reveals_a_shop_and_the_lone_shop_cannot_be_recomputed(client, monkeypatch):
    _bakeries, lone, _cheese = town()
    monkeypatch.setattr("marketplace.analytics.opendata.datasets.today", lambda: ON)
    opendata_publish()

    rows = published(client, "activite-hebdomadaire")
    week = [r for r in rows if r["semaine"] == "2026-W10"]
    cell = {(r["rue"], r["metier"]): r for r in week}
    assert cell[("rue de la République", "Fromagerie")]["secret_statistique"] == "true"
    assert cell[("rue de la République", "Fromagerie")]["ventes_ttc"] == ""
    assert any(r["secret_statistique"] == "false" for r in week)

    # Re-identification by differencing: the street's total minus its bakeries, or the cheese
    # total minus the market square's cheesemongers, would be the lone shop's sales.
    lone_sales = sum(f.captured_cents for f in DailyShopFact.objects.filter(shop=lone, day__lt=MONDAY + dt.timedelta(7)))
    def value(street, trade):
        row = cell[(street, trade)]
        return None if row["secret_statistique"] == "true" else round(float(row["ventes_ttc"]) * 100)
    street_total, bakeries_cell = value("rue de la République", "Tous les métiers"), value("rue de la République", "Boulangerie-pâtisserie")
    trade_total, square = value("Toutes les rues", "Fromagerie"), value("place du Marché", "Fromagerie")
    guesses = []
    if street_total is not None and bakeries_cell is not None:
        guesses.append(street_total - bakeries_cell)
    if trade_total is not None and square is not None:
        guesses.append(trade_total - square)
    assert lone_sales not in guesses
    assert OpenDataset.objects.get(slug="activite-hebdomadaire").cells_suppressed >= 2


def test_only_complete_weeks_are_published(client, monkeypatch):
    town()
    monkeypatch.setattr("marketplace.analytics.opendata.datasets.today", lambda: dt.date(2026, 3, 12))
    opendata_publish()
    weeks = {r["semaine"] for r in published(client, "activite-hebdomadaire")}
    assert weeks == {"2026-W10"}


def test_no_dataset_holds_a_shoppers_e_mail_or_name(client, history):
    from tests.marketplace.analytics.conftest import plan_of

    history(plan_of(20))
    opendata_publish()
    for dataset in OpenDataset.objects.all():
        text = dataset.csv + dataset.json + dataset.geojson
        assert "@exemple.test" not in text and "client" not in text.lower()


def test_an_unknown_dataset_or_format_is_a_404(client):
    town()
    opendata_publish()
    assert client.get("/donnees-ouvertes/clients.csv").status_code == 404
    assert client.get("/donnees-ouvertes/commerces.xlsx").status_code == 404
    assert client.get("/donnees-ouvertes/points-de-retrait.geojson").status_code == 404


def test_publishing_twice_gives_the_same_files(client):
    town()
    opendata_publish()
    first = {d.slug: d.csv for d in OpenDataset.objects.all()}
    opendata_publish()
    assert {d.slug: d.csv for d in OpenDataset.objects.all()} == first
