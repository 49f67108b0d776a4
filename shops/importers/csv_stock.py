"""Parsing a merchant's stock and price CSV (``sku;prix;stock``): bytes in, rows and errors out.

Pure: no database access. Checks that need the database (unknown SKU, another
shop's SKU, stock below what is already reserved) belong to
``shops.services.stock_import.stock_import_preview``.

- Encoding: UTF-8 (with or without BOM); if that fails, Windows-1252 (what Excel
  writes on a French Windows); bytes valid in neither are an "encodage" error.
- Delimiter: ``;`` or ``,``, read from the header line.
- Columns: ``sku``, ``prix``, ``stock`` in any order (case, accents and spaces
  ignored; other columns ignored). An empty ``prix`` or ``stock`` cell leaves that
  value unchanged; a row with neither is an error.
- Prices: "3,50", "3.50", "3,50 €", "1 234,50"; at most two decimals.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MAX_PRICE = Decimal("99999999.99")
MAX_STOCK = 1_000_000

COLUMNS = ("sku", "prix", "stock")
_ALIASES = {
    "sku": "sku", "reference": "sku", "ref": "sku",
    "prix": "prix", "prix ttc": "prix", "price": "prix",
    "stock": "stock", "quantite": "stock", "qte": "stock",
}
_PRICE = re.compile(r"^\d+(?:[.,]\d{1,2})?$")
_INT = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class ImportRow:
    line: int
    sku: str
    price: Decimal | None
    stock: int | None

    def as_json(self) -> dict:
        return {
            "line": self.line,
            "sku": self.sku,
            "price": None if self.price is None else str(self.price),
            "stock": self.stock,
        }


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def as_json(self) -> dict:
        return asdict(self)


@dataclass
class ParseResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(data: bytes) -> tuple[str, str] | None:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return None


def _header_key(cell: str) -> str:
    folded = unicodedata.normalize("NFKD", cell.strip().lower())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


def price_parse(text: str) -> Decimal | None:
    """ "3,50" / "3.50" / "1 234,50 €" → Decimal; None when it is not a price."""
    cleaned = text.replace("€", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "").strip()
    if not _PRICE.match(cleaned):
        return None
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regex already excludes it
        return None
    return value if value <= MAX_PRICE else None


def csv_stock_parse(*, data: bytes) -> ParseResult:
    """Parse ``data`` into rows and row-level French errors (line numbers count the header as 1)."""
    result = ParseResult()
    if len(data) > MAX_BYTES:
        result.errors.append(RowError(0, "", "Fichier trop volumineux (5 Mo au maximum)."))
        return result
    decoded = _decode(data)
    if decoded is None:
        result.errors.append(
            RowError(0, "", "Encodage non reconnu : enregistrez le fichier en UTF-8 (CSV UTF-8).")
        )
        return result
    text, result.encoding = decoded
    if "\x00" in text:
        result.errors.append(RowError(0, "", "Encodage non reconnu : le fichier n'est pas un texte CSV."))
        return result
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        result.errors.append(RowError(1, "", "Fichier vide : la première ligne doit être sku;prix;stock."))
        return result
    header_line = lines[0]
    result.delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=result.delimiter)
    try:
        header = next(reader)
    except csv.Error:
        result.errors.append(RowError(1, "", "En-tête illisible."))
        return result
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = _ALIASES.get(_header_key(cell))
        if name and name not in positions:
            positions[name] = index
    missing = [name for name in COLUMNS if name not in positions]
    for name in missing:
        result.errors.append(RowError(1, name, f"Colonne manquante : « {name} »."))
    if missing:
        return result

    first_line_of: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(result.rows) + len(result.errors) >= MAX_ROWS:
                result.errors.append(RowError(line, "", f"Trop de lignes ({MAX_ROWS} au maximum)."))
                break
            result_row = _row_parse(record, line, positions, first_line_of, result.errors)
            if result_row is not None:
                result.rows.append(result_row)
    except csv.Error as exc:
        result.errors.append(RowError(reader.line_num, "", f"Ligne illisible ({exc})."))
    return result


def _cell(record: list[str], index: int) -> str:
    return record[index].strip() if index < len(record) else ""


def _row_parse(record, line, positions, first_line_of, errors) -> ImportRow | None:
    before = len(errors)
    sku = _cell(record, positions["sku"])
    raw_price = _cell(record, positions["prix"])
    raw_stock = _cell(record, positions["stock"])
    if not sku:
        errors.append(RowError(line, "sku", "SKU manquant."))
    elif sku in first_line_of:
        errors.append(RowError(line, "sku", f"SKU en double : « {sku} » figure déjà ligne {first_line_of[sku]}."))
    else:
        first_line_of[sku] = line
    price = None
    if raw_price:
        price = price_parse(raw_price)
        if price is None:
            errors.append(
                RowError(line, "prix", f"Format de prix invalide : « {raw_price} » (exemple : 3,50).")
            )
    stock = None
    if raw_stock:
        if not _INT.match(raw_stock):
            errors.append(RowError(line, "stock", f"Quantité invalide : « {raw_stock} » (un nombre entier)."))
        elif int(raw_stock) < 0:
            errors.append(RowError(line, "stock", f"Quantité négative : {raw_stock}."))
        elif int(raw_stock) > MAX_STOCK:
            errors.append(RowError(line, "stock", f"Quantité trop grande : {raw_stock}."))
        else:
            stock = int(raw_stock)
    if not raw_price and not raw_stock and sku:
        errors.append(RowError(line, "", "Ni prix ni stock : la ligne ne change rien."))
    if len(errors) > before:
        return None
    return ImportRow(line=line, sku=sku, price=price, stock=stock)
