"""Reading a footfall file, line by line (pure: no database; the sites are given).

Layout: the national « comptage mobilités » schema's measure file with its site's
columns beside it, one row per counting channel and time step, comma or
semicolon separated, UTF-8 (with or without BOM):

    site_id, xlong, ylat, channel_id, direction, start_datetime, end_datetime, count

``site_id``, ``channel_id``, ``start_datetime``, ``end_datetime`` and ``count`` are
required columns; ``xlong``/``ylat`` (checked against the registered site, 100 m
apart at most), ``direction`` (or the schema's ``provider_direction_code``),
``counter_id`` and ``mobility_type`` are optional. Datetimes are ISO 8601; one
without an offset is read in town time. An empty ``count`` means "not counted"
(the schema's convention): the row is skipped. A time step must last an hour at
most and stay within one hour of the clock (the figures are hourly).
"""
from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from marketplace.analytics.calendar import town_tz

REQUIRED = ("site_id", "channel_id", "start_datetime", "end_datetime", "count")
ALIASES = {"provider_direction_code": "direction", "x": "xlong", "y": "ylat", "longitude": "xlong", "latitude": "ylat"}
MAX_METRES = 100
MAX_COUNT = Decimal(10000000)


@dataclass(frozen=True)
class SiteRef:
    pk: int
    code: str
    latitude: Decimal
    longitude: Decimal


@dataclass(frozen=True)
class CountRow:
    line: int
    site_id: int
    channel: str
    direction: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    count: Decimal


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def as_json(self) -> dict:
        return {"line": self.line, "message": self.message}


class HeaderError(Exception):
    """The file cannot be read at all (encoding, header): nothing else is checked."""


def _when(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=town_tz())


def _metres(lat1, lon1, lat2, lon2) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def lines_read(text_lines: Iterable[str]) -> tuple[Iterator[tuple[int, dict]], list[str]]:
    """(line number, row as a dict) for each data line, and the header's column names."""
    lines = iter(text_lines)
    try:
        first = next(lines)
    except StopIteration:
        raise HeaderError("Fichier vide : la première ligne doit nommer les colonnes (site_id, channel_id, "
                          "start_datetime, end_datetime, count).") from None
    first = first.lstrip("\ufeff")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = [ALIASES.get(name.strip().lower(), name.strip().lower()) for name in next(csv.reader([first], delimiter=delimiter))]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise HeaderError("Colonne" + ("s" if len(missing) > 1 else "") + " manquante" + ("s" if len(missing) > 1 else "")
                          + " : " + ", ".join(f"« {m} »" for m in missing) + ".")

    def rows():
        reader = csv.reader(lines, delimiter=delimiter)
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            yield reader.line_num + 1, dict(zip(header, (cell.strip() for cell in record)))

    return rows(), header


def row_check(line: int, row: dict, sites: dict[str, SiteRef]) -> CountRow | LineError | None:
    """One data line: a count, a French error, or None (not counted: skipped)."""
    code = row.get("site_id", "")
    site = sites.get(code)
    if not code:
        return LineError(line, "site_id manquant.")
    if site is None:
        return LineError(line, f"Site de comptage inconnu : « {code} ». Déclarez-le d’abord (page Fréquentation).")
    channel = row.get("channel_id", "")
    if not channel:
        return LineError(line, "channel_id manquant.")
    if row.get("xlong") or row.get("ylat"):
        try:
            lon, lat = float(row.get("xlong", "").replace(",", ".")), float(row.get("ylat", "").replace(",", "."))
        except ValueError:
            return LineError(line, f"Coordonnées illisibles : « {row.get('xlong', '')} », « {row.get('ylat', '')} ».")
        if _metres(lat, lon, float(site.latitude), float(site.longitude)) > MAX_METRES:
            return LineError(line, f"Coordonnées ({lat}, {lon}) à plus de {MAX_METRES} m du site « {code} » "
                                   f"({site.latitude}, {site.longitude}).")
    starts_at, ends_at = _when(row.get("start_datetime", "")), _when(row.get("end_datetime", ""))
    if starts_at is None:
        return LineError(line, f"Date de début invalide : « {row.get('start_datetime', '')} » "
                               "(ISO 8601, par exemple 2026-03-02T10:00:00+01:00).")
    if not row.get("end_datetime"):
        return LineError(line, "Date de fin manquante : indiquez la fin de chaque pas de comptage.")
    if ends_at is None:
        return LineError(line, f"Date de fin invalide : « {row.get('end_datetime', '')} » (ISO 8601).")
    if ends_at <= starts_at:
        return LineError(line, "La fin du comptage doit suivre son début.")
    local = starts_at.astimezone(town_tz())
    hour_end = local.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    if ends_at > hour_end:
        return LineError(line, "Pas de comptage de plus d’une heure ou à cheval sur deux heures : "
                               "les comptages doivent être horaires ou plus fins.")
    raw = row.get("count", "")
    if raw == "":
        return None
    try:
        count = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        return LineError(line, f"Comptage invalide : « {raw} » (un nombre).")
    if not count.is_finite() or count < 0 or count > MAX_COUNT:
        return LineError(line, f"Comptage invalide : « {raw} » (un nombre positif).")
    return CountRow(line=line, site_id=site.pk, channel=channel[:64], direction=row.get("direction", "")[:32],
                    starts_at=starts_at, ends_at=ends_at, count=count.quantize(Decimal("0.01")))
