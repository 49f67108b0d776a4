"""Money pages' shared pieces: euros in French, entry labels, the CSV export."""
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


def entry_rows(entries) -> Iterable[list]:
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.created_at).strftime("%d/%m/%Y %H:%M"),
            csv_text(entry.order_number),
            csv_text(entry.shop.name if entry.shop_id else "Ville"),
            csv_text(LABELS.get(entry.kind, entry.kind)),
            euros(entry.amount_cents),
            csv_text(entry.stripe_id),
        ]


ENTRY_HEADER = ["date", "commande", "commerce", "mouvement", "montant (€)", "référence Stripe"]
