"""shops.importers.csv_stock: bytes in, rows and French row-level errors out (no database)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from shops.importers.csv_stock import csv_stock_parse


def parse(text: str, encoding: str = "utf-8"):
    return csv_stock_parse(data=text.encode(encoding))


def messages(result) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.message) for e in result.errors]


def test_semicolon_file_with_french_prices():
    result = parse("sku;prix;stock\nA1;3,50;12\nA2;4.00;\nA3;;0\n")
    assert result.ok and result.delimiter == ";"
    assert [(r.line, r.sku, r.price, r.stock) for r in result.rows] == [
        (2, "A1", Decimal("3.50"), 12), (3, "A2", Decimal("4.00"), None), (4, "A3", None, 0),
    ]


def test_comma_delimiter_is_detected_and_quoted_comma_prices_accepted():
    result = parse('SKU,Prix,Stock\nA1,"3,50",2\n')
    assert result.ok and result.delimiter == ","
    assert result.rows[0].price == Decimal("3.50")


def test_utf8_bom_is_ignored():
    result = csv_stock_parse(data="\ufeffsku;prix;stock\nÉ1;1;1\n".encode())
    assert result.ok and result.rows[0].sku == "É1" and result.encoding == "utf-8"


def test_windows_1252_is_accepted_when_utf8_fails():
    result = parse("sku;prix;stock\nCAFÉ-1;2,10;5\n", "cp1252")
    assert result.ok and result.encoding == "windows-1252" and result.rows[0].sku == "CAFÉ-1"


BAD_FILES = {
    "colonne manquante": ("sku;stock\nA1;3\n", (1, "prix", "Colonne manquante : « prix ».")),
    "quantité négative": ("sku;prix;stock\nA1;1;-3\n", (2, "stock", "Quantité négative : -3.")),
    "prix invalide": ("sku;prix;stock\nA1;3,5,0;1\n", (2, "prix", "Format de prix invalide : « 3,5,0 » (exemple : 3,50).")),
    "prix négatif": ("sku;prix;stock\nA1;-1;1\n", (2, "prix", "Format de prix invalide : « -1 » (exemple : 3,50).")),
    "trois décimales": ("sku;prix;stock\nA1;1,234;1\n", (2, "prix", "Format de prix invalide : « 1,234 » (exemple : 3,50).")),
    "quantité décimale": ("sku;prix;stock\nA1;1;2,5\n", (2, "stock", "Quantité invalide : « 2,5 » (un nombre entier).")),
    "SKU en double": ("sku;prix;stock\nA1;1;1\nA1;2;2\n", (3, "sku", "SKU en double : « A1 » figure déjà ligne 2.")),
    "SKU manquant": ("sku;prix;stock\n;1;1\n", (2, "sku", "SKU manquant.")),
    "ligne vide de sens": ("sku;prix;stock\nA1;;\n", (2, "", "Ni prix ni stock : la ligne ne change rien.")),
    "fichier vide": ("", (1, "", "Fichier vide : la première ligne doit être sku;prix;stock.")),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_files_give_a_precise_french_error(case):
    text, expected = BAD_FILES[case]
    result = parse(text)
    assert expected in messages(result)
    assert not result.ok


def test_bytes_that_are_no_text_encoding_are_refused():
    result = csv_stock_parse(data=b"sku;prix;stock\nA1;1;\x81\x8d\x90\n")
    assert messages(result) == [(0, "", "Encodage non reconnu : enregistrez le fichier en UTF-8 (CSV UTF-8).")]


def test_a_binary_file_is_refused():
    result = csv_stock_parse(data=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert result.errors and "Encodage" in result.errors[0].message


def test_errors_on_several_lines_are_all_reported():
    result = parse("sku;prix;stock\nA1;x;1\nA2;1;-1\nA3;1;1\n")
    assert [e.line for e in result.errors] == [2, 3]
    assert [r.sku for r in result.rows] == ["A3"]
