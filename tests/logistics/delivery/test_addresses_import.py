"""``manage.py addresses_import``: streamed, idempotent, all or nothing, bad rows with their line numbers."""
import pytest
from django.core.management import CommandError, call_command

from logistics.delivery.models import Address
from logistics.delivery.services.addresses import addresses_csv

pytestmark = pytest.mark.django_db


def ban_rows(count, *, start=1):
    return [{"id": f"45031_0042_{n:05d}", "id_fantoir": "45031_0042", "numero": str(n), "rep": "bis" if n == 2 else "",
             "nom_voie": "Rue de la Halle", "code_postal": "45210", "code_insee": "45031",
             "nom_commune": "Beaumont-sur-Loing", "lon": "2.7", "lat": f"48.{100 + n}"} for n in range(start, start + count)]


def written(tmp_path, text, name="adresses-45.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_ban_file_is_imported_once_whatever_the_number_of_runs(tmp_path, capsys):
    path = written(tmp_path, addresses_csv(ban_rows(5)))
    call_command("addresses_import", path)
    call_command("addresses_import", path)
    out = capsys.readouterr().out
    assert "5 adresses lues…" in out and "5 adresses importées." in out
    assert Address.objects.count() == 5
    second = Address.objects.get(ban_id="45031_0042_00002")
    assert (second.street_line, second.search) == ("2 bis Rue de la Halle", " 2 bis rue de la halle 45210 beaumont sur loing ")


def test_a_second_run_updates_rows_in_place(tmp_path):
    call_command("addresses_import", written(tmp_path, addresses_csv(ban_rows(2))))
    rows = ban_rows(2)
    rows[0]["nom_voie"] = "Place de la Halle"
    call_command("addresses_import", written(tmp_path, addresses_csv(rows), "v2.csv"))
    assert sorted(Address.objects.values_list("nom_voie", flat=True)) == ["Place de la Halle", "Rue de la Halle"]


def test_bad_rows_are_reported_with_their_line_numbers_and_nothing_is_imported(tmp_path, capsys):
    rows = ban_rows(4)
    rows[1]["code_postal"] = "4521"
    rows[3]["lat"] = "quatre-vingt"
    path = written(tmp_path, addresses_csv(rows))
    with pytest.raises(CommandError, match="2 ligne\\(s\\) refusée\\(s\\) : rien n'a été importé"):
        call_command("addresses_import", path)
    err = capsys.readouterr().err
    assert "ligne 3 : code postal « 4521 » invalide (5 chiffres)" in err
    assert "ligne 5 : coordonnées (lon, lat) invalides" in err
    assert Address.objects.count() == 0


def test_a_file_without_the_ban_columns_is_refused(tmp_path):
    with pytest.raises(CommandError, match="1 ligne"):
        call_command("addresses_import", written(tmp_path, "numero;voie\n1;Rue\n"))
    assert Address.objects.count() == 0


def test_a_missing_file_is_said_in_french(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("addresses_import", str(tmp_path / "absent.csv"))


def test_batches_larger_than_one_flush_are_all_written(tmp_path, monkeypatch):
    from logistics.delivery.services import addresses

    monkeypatch.setattr(addresses, "BATCH", 3)
    call_command("addresses_import", written(tmp_path, addresses_csv(ban_rows(10))))
    assert Address.objects.count() == 10
