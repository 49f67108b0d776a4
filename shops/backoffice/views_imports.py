"""The merchant's CSV stock imports (upload, preview, apply all or nothing) and the catalogue export."""
from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from shops import selectors
from shops.backoffice import forms
from shops.backoffice.access import backoffice_view
from shops.models import StockImport, StockImportStatus
from shops.services import stock_import as stock_imports

IMPORT_ERRORS_SHOWN = 200

@backoffice_view
@require_http_methods(["GET", "POST"])
def imports(request):
    form = forms.StockImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("file", "Fichier trop volumineux (5 Mo au maximum).")
        else:
            stock_import = stock_imports.stock_import_preview(
                shop=request.shop, user=request.user, file_name=upload.name, data=upload.read()
            )
            return redirect("backoffice:import-detail", import_pk=stock_import.pk)
    return render(request, "backoffice/imports.html", {
        "form": form, "imports": selectors.shop_stock_imports_listed(shop=request.shop)[:30],
    })


@backoffice_view
def import_detail(request, import_pk: int):
    stock_import = get_object_or_404(StockImport, pk=import_pk, shop=request.shop)
    if request.method not in ("GET", "HEAD"):  # looked up first: another shop's id is a 404
        return HttpResponseNotAllowed(["GET"])
    return render(request, "backoffice/import_detail.html", {
        "stock_import": stock_import,
        "errors": stock_import.errors[:IMPORT_ERRORS_SHOWN],
        "more_errors": max(0, len(stock_import.errors) - IMPORT_ERRORS_SHOWN),
        "preview_rows": _preview_rows(request.shop, stock_import.rows[:20]),
        "running": stock_import.status == StockImportStatus.RUNNING,
    })


def _preview_rows(shop, rows: list[dict]) -> list[dict]:
    """The import's first rows with what each changes: this shop's current price and stock
    beside the new ones (one query; only this shop's offers are looked up)."""
    current = selectors.shop_offers_by_skus(shop=shop, skus=[row["sku"] for row in rows])
    preview = []
    for row in rows:
        offer = current.get(row["sku"])
        preview.append({
            **row,
            "old_price": offer.price if offer is not None else None,
            "old_stock": offer.num_in_stock if offer is not None else None,
        })
    return preview


@backoffice_view
def import_apply(request, import_pk: int):
    stock_import = get_object_or_404(StockImport, pk=import_pk, shop=request.shop)
    if request.method != "POST":  # the object is looked up first: another shop's id is a 404
        return HttpResponseNotAllowed(["POST"])
    try:
        stock_import = stock_imports.stock_import_apply_start(stock_import=stock_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if stock_import.status == StockImportStatus.APPLIED:
            messages.success(request, ngettext(
                "Import appliqué : %(count)d ligne.", "Import appliqué : %(count)d lignes.", stock_import.row_count
            ) % {"count": stock_import.row_count})
        elif stock_import.status == StockImportStatus.REFUSED:
            messages.error(request, "Import refusé : rien n'a été modifié.")
        else:
            messages.info(request, "Import en cours : cette page se met à jour toute seule.")
    return redirect("backoffice:import-detail", import_pk=stock_import.pk)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell safe to open in a spreadsheet: text starting with = + - @ is prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@backoffice_view
@require_http_methods(["GET"])
def export(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="offres-{request.shop.slug}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["sku", "prix", "stock", "reserve", "titre", "archive"])
    for offer in selectors.shop_offers_exported(shop=request.shop).iterator(chunk_size=2000):
        price = "" if offer.price is None else f"{offer.price:.2f}".replace(".", ",")
        writer.writerow([
            csv_cell(offer.partner_sku), price, offer.num_in_stock if offer.num_in_stock is not None else "",
            offer.num_allocated or 0, csv_cell(offer.product.title), "oui" if not offer.product.is_public else "non",
        ])
    return response
