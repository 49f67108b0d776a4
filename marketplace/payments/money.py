"""Money pages' shared pieces: euros in French, movement labels and amounts, the CSV export.

A movement is shown as the amount its label says (« Commission de la ville 2,67 € »,
« Remise financée par la ville 3,24 € »): the ledger's PROMOTION entries are the town's
share, negative for a discount the town pays to the shop, so they are shown turned over.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone

from .models import EntryKind

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

LABELS = {
    EntryKind.CAPTURE: "Vente encaissée",
    EntryKind.REFUND: "Remboursement au client",
    EntryKind.COMMISSION: "Commission de la ville",
    EntryKind.PROMOTION: "Remise financée par la ville",
    EntryKind.FEE: "Frais conservés par la ville",
    EntryKind.TRANSFER: "Virement au commerce",
    EntryKind.REVERSAL: "Reprise sur virement",
}


def euros(cents: int) -> str:
    """1234 → "12,34" (no thousands separator: the CSV stays numeric for spreadsheets)."""
    sign = "-" if cents < 0 else ""
    cents = abs(int(cents))
    return f"{sign}{cents // 100},{cents % 100:02d}"


def csv_text(value) -> str:
    """A text cell safe to open in a spreadsheet: one starting with = + - @ gets a leading quote.

    Amounts are written by ``euros`` (digits, a comma, maybe a minus sign we put
    there), never from user input, so they are left numeric.
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return response


def shown_cents(kind: str, cents: int) -> int:
    """A movement's amount as its label reads it (see the module's docstring)."""
    return -cents if kind == EntryKind.PROMOTION else cents


def movement_rows(movements, references: dict[tuple, list[str]]) -> Iterable[list]:
    """CSV rows of ``selectors.money_movements`` (one per order, shop and kind)."""
    for line in movements.iterator(chunk_size=2000):
        key = (line["order_number"], line["shop_id"], line["kind"])
        yield [
            timezone.localtime(line["at"]).strftime("%d/%m/%Y %H:%M"),
            csv_text(line["order_number"]),
            csv_text(line["shop__name"] if line["shop_id"] else "Ville"),
            csv_text(LABELS.get(line["kind"], line["kind"])),
            euros(shown_cents(line["kind"], line["cents"])),
            csv_text(" ".join(references.get(key, []))),
        ]


ENTRY_HEADER = ["date", "commande", "commerce", "mouvement", "montant (€)", "référence Stripe"]
