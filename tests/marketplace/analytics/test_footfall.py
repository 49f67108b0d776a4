"""Footfall: streamed all-or-nothing imports with French line errors; footfall beside orders."""
from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from marketplace.analytics.footfall.demo import SITES, footfall_week_csv
from marketplace.analytics.models import (
    CountingSite,
    FootfallCount,
    FootfallHourFact,
    FootfallImport,
)
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)
HEADER = "site_id,xlong,ylat,channel_id,direction,start_datetime,end_datetime,count\n"


@pytest.fixture
def sites():
    return [CountingSite.objects.create(code=code, name=name, street=street, latitude=lat, longitude=lon)
            for code, name, street, lat, lon, _w in SITES]


def write(tmp_path, text, name="comptages.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_week_of_three_sites_is_imported_and_rolled_up_by_hour(sites, tmp_path):
    out = StringIO()
    call_command("footfall_import", write(tmp_path, footfall_week_csv(monday=MONDAY)), stdout=out)

    assert "4032 comptages importés" in out.getvalue()  # 3 sites × 2 directions × 7 days × 96 quarters
    assert FootfallCount.objects.count() == 4032
    noon = FootfallHourFact.objects.get(site=sites[0], day=MONDAY, hour=12)
    raw = sum(c.count for c in FootfallCount.objects.filter(site=sites[0], starts_at__gte=dt.datetime(
        2026, 3, 2, 11, tzinfo=dt.UTC), starts_at__lt=dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)))
    assert noon.passers == raw > 0  # 12:00–13:00 in Paris is 11:00–12:00 UTC in March


def test_a_file_with_errors_is_refused_whole_with_numbered_french_messages(sites, tmp_path):
    rows = (
        "BEAUMONT-C01,2.7324,47.9981,C01-IN,IN,2026-03-02T10:00:00+01:00,2026-03-02T10:15:00+01:00,12",
        "INCONNU,2.7324,47.9981,X-IN,IN,2026-03-02T10:00:00+01:00,2026-03-02T10:15:00+01:00,3",
        "BEAUMONT-C01,2.7324,47.9981,C01-IN,IN,hier,2026-03-02T10:15:00+01:00,3",
        "BEAUMONT-C01,2.7324,47.9981,C01-IN,IN,2026-03-02T10:00:00+01:00,2026-03-02T10:15:00+01:00,5",
        "BEAUMONT-C01,2.7324,47.9981,C01-IN,IN,2026-03-02T10:30:00+01:00,2026-03-02T11:30:00+01:00,5",
        "BEAUMONT-C01,2.7324,47.9981,C01-IN,IN,2026-03-02T11:00:00+01:00,2026-03-02T11:15:00+01:00,-4",
        "BEAUMONT-C01,3.5,47.9981,C01-IN,IN,2026-03-02T12:00:00+01:00,2026-03-02T12:15:00+01:00,4",
    )
    text = HEADER + "".join(f"{row}\n" for row in rows)

    with pytest.raises(CommandError) as refused:
        call_command("footfall_import", write(tmp_path, text))

    message = str(refused.value)
    assert "ligne 3 : Site de comptage inconnu : « INCONNU »" in message
    assert "ligne 4 : Date de début invalide : « hier »" in message
    assert "ligne 5 : Comptage en double : même site, même channel et même début que la ligne 2." in message
    assert "ligne 6 : Pas de comptage de plus d’une heure ou à cheval sur deux heures" in message
    assert "ligne 7 : Comptage invalide : « -4 » (un nombre positif)." in message
    assert "ligne 8 : Coordonnées (47.9981, 3.5) à plus de 100 m du site « BEAUMONT-C01 »" in message
    assert not FootfallCount.objects.exists() and not FootfallHourFact.objects.exists()


@pytest.mark.parametrize("text, message", [
    ("", "Fichier vide"),
    ("site_id,count\nBEAUMONT-C01,3\n", "Colonnes manquantes : « channel_id », « start_datetime », « end_datetime »."),
    (HEADER, "Aucun comptage dans ce fichier."),
])
def test_an_empty_or_headless_file_says_so(sites, tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        call_command("footfall_import", write(tmp_path, text))


def test_an_import_overlapping_an_earlier_one_is_refused_and_writes_nothing(sites, tmp_path):
    call_command("footfall_import", write(tmp_path, footfall_week_csv(monday=MONDAY), "semaine.csv"), stdout=StringIO())
    again = HEADER + "BEAUMONT-C02,2.7341,47.9972,BEAUMONT-C02-IN,IN,2026-03-04T10:00:00+01:00,2026-03-04T10:15:00+01:00,9\n"

    with pytest.raises(CommandError) as refused:
        call_command("footfall_import", write(tmp_path, again, "mercredi.csv"))

    assert "recouvrent l’import n°" in str(refused.value) and "« semaine.csv »" in str(refused.value)
    assert FootfallCount.objects.count() == 4032
    assert FootfallImport.objects.order_by("-pk").first().status == "refused"


def test_the_manager_uploads_a_file_and_sees_it_done_then_footfall_beside_orders(
    client, sites, history, django_capture_on_commit_callbacks
):
    from tests.marketplace.analytics.conftest import plan_of

    world = history(plan_of(14))
    world.shops[0].line1 = "5 rue de la République"
    world.shops[0].save()
    client.force_login(UserFactory(is_staff=True))
    upload = SimpleUploadedFile("semaine.csv", footfall_week_csv(monday=MONDAY).encode(), content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):  # the Celery task, eager here, after commit
        response = client.post("/gestion/statistiques/frequentation/", {"action": "import", "fichier": upload})

    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in detail and "4\u202f032 comptages importés" in detail
    page = client.get("/gestion/statistiques/frequentation/", {"periode": "semaine", "date": "2026-03-04"})
    text = page.content.decode()
    assert "pour 1 000 passants" in text
    from marketplace.analytics.periods import period_of
    from marketplace.analytics.selectors.footfall import footfall_by_street

    street = next(s for s in footfall_by_street(period=period_of(kind="semaine", day=MONDAY))
                  if s["street"] == "rue de la République")
    assert street["orders"] > 0 and street["passers"] > 0
    assert street["conversion"] == (street["orders"] * 1000 / street["passers"]).quantize(street["conversion"])


def test_a_bad_upload_or_site_gets_a_french_message_and_others_are_refused(client, sites):
    assert client.get("/gestion/statistiques/frequentation/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/gestion/statistiques/frequentation/").status_code == 403
    client.force_login(UserFactory(is_staff=True))
    response = client.post("/gestion/statistiques/frequentation/", {"action": "import"})
    assert response.status_code == 400 and "Choisissez un fichier CSV de comptages." in response.content.decode()
    response = client.post("/gestion/statistiques/frequentation/", {
        "action": "site", "site-code": "BEAUMONT-C01", "site-name": "Doublon", "site-street": "Grande Rue",
        "site-latitude": "47,99", "site-longitude": "2,73"})
    assert response.status_code == 400 and "Ce site de comptage existe déjà." in response.content.decode()
    assert CountingSite.objects.count() == 3
