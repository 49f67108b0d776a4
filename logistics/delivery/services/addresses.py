"""Loading the Base Adresse Nationale's CSV (« adresses-XX.csv ») into the local table.

Streamed (one row in memory at a time, rows written by batches of ``BATCH``), idempotent
(upsert on the BAN ``id``: a second import changes nothing), all or nothing: every bad
row is reported with its line number and then the whole transaction rolls back.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from logistics.delivery.models import Address
from logistics.geo import text_normalised

REQUIRED = ("id", "numero", "nom_voie", "code_postal", "nom_commune", "lon", "lat")
BATCH = 2000
MAX_ERRORS = 50


class AddressesRefused(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class AddressesImportReport:
    rows: int = 0
    errors: list[str] = field(default_factory=list)


def _decimal(value: str, low: int, high: int) -> Decimal | None:
    try:
        number = Decimal(value.strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        return None
    if not number.is_finite() or not (low <= number <= high):
        return None
    return number.quantize(Decimal("0.000001"))


def _row_address(row: dict, line: int) -> tuple[Address | None, str | None]:
    ban_id, name = (row.get("id") or "").strip(), (row.get("nom_voie") or "").strip()
    postcode, commune = (row.get("code_postal") or "").strip(), (row.get("nom_commune") or "").strip()
    if not ban_id:
        return None, _("ligne %(line)d : identifiant (id) manquant") % {"line": line}
    if not name:
        return None, _("ligne %(line)d : nom de voie (nom_voie) manquant") % {"line": line}
    if not (len(postcode) == 5 and postcode.isdigit()):
        return None, _("ligne %(line)d : code postal « %(value)s » invalide (5 chiffres)") % {
            "line": line, "value": postcode}
    if not commune:
        return None, _("ligne %(line)d : commune (nom_commune) manquante") % {"line": line}
    lon, lat = _decimal(row.get("lon") or "", -180, 180), _decimal(row.get("lat") or "", -90, 90)
    if lon is None or lat is None:
        return None, _("ligne %(line)d : coordonnées (lon, lat) invalides") % {"line": line}
    numero, rep = (row.get("numero") or "").strip(), (row.get("rep") or "").strip()
    address = Address(ban_id=ban_id[:64], numero=numero[:16], rep=rep[:16], nom_voie=name[:200],
                      code_postal=postcode, nom_commune=commune[:128], longitude=lon, latitude=lat)
    address.search = search_text(numero=numero, rep=rep, street=name, postcode=postcode, commune=commune)
    return address, None


def search_text(*, numero: str, rep: str, street: str, postcode: str, commune: str) -> str:
    """The words the autocomplete matches, space-framed so that « 2 » is matched as a whole word."""
    return f" {text_normalised(f'{numero} {rep} {street} {postcode} {commune}')[:396]} "


def _flush(batch: list[Address]) -> None:
    Address.objects.bulk_create(
        batch, update_conflicts=True, unique_fields=["ban_id"],
        update_fields=["numero", "rep", "nom_voie", "code_postal", "nom_commune", "longitude", "latitude", "search"],
    )
    batch.clear()


def addresses_import(*, lines: Iterable[str], progress: Callable[[int], None] | None = None) -> AddressesImportReport:
    """Import BAN CSV ``lines`` (``;``-separated, header first); raises ``AddressesRefused`` (nothing written)."""
    reader = csv.DictReader(lines, delimiter=";")
    header = reader.fieldnames or []
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise AddressesRefused([_("ligne 1 : colonnes manquantes : %(cols)s") % {"cols": ", ".join(missing)}])
    report = AddressesImportReport()
    seen: set[str] = set()
    with transaction.atomic():
        batch: list[Address] = []
        for line, row in enumerate(reader, start=2):
            address, error = _row_address(row, line)
            if address is not None and address.ban_id in seen:
                address, error = None, _("ligne %(line)d : identifiant « %(id)s » en double") % {
                    "line": line, "id": address.ban_id}
            if error:
                report.errors.append(error)
                if len(report.errors) >= MAX_ERRORS:
                    break
                continue
            seen.add(address.ban_id)
            report.rows += 1
            if not report.errors:
                batch.append(address)
                if len(batch) >= BATCH:
                    _flush(batch)
                    if progress:
                        progress(report.rows)
        if report.errors:
            raise AddressesRefused(report.errors)
        if batch:
            _flush(batch)
        if progress:
            progress(report.rows)
    return report


def addresses_import_file(*, path: str, progress: Callable[[int], None] | None = None) -> AddressesImportReport:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return addresses_import(lines=handle, progress=progress)


def addresses_csv(rows: Iterable[dict]) -> str:
    """A BAN-format CSV text of ``rows`` (the demo writes its town's streets with it)."""
    out = io.StringIO()
    columns = ["id", "id_fantoir", "numero", "rep", "nom_voie", "code_postal", "code_insee", "nom_commune",
               "code_insee_ancienne_commune", "nom_ancienne_commune", "x", "y", "lon", "lat", "type_position",
               "alias", "nom_ld", "libelle_acheminement", "nom_afnor", "source_position", "source_nom_voie",
               "certification_commune", "cad_parcelles"]
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=";", extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
