"""The CSV stock import: preview (nothing written but the import), then apply, all or nothing."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from shops import stock
from shops.guards import shop_is_suspended, shop_writes_guarded
from shops.models import Shop

#: The import's column of each field ``shops.stock`` names.
COLUMNS = {"num_in_stock": "stock", "price": "prix"}
# Imports with more rows than this are applied by a Celery task.
STOCK_IMPORT_SYNC_MAX_ROWS = 500


@shop_writes_guarded
def stock_import_preview(*, shop: Shop, user, file_name: str, data: bytes):
    """Parse ``data`` and check every row against ``shop``'s offers; keep the import.

    Nothing is written but the ``StockImport`` itself: ``previewed`` when every row
    is valid, ``refused`` with the row-level errors otherwise.
    """
    from marketplace.partner.models import StockRecord
    from shops.importers.csv_stock import RowError, csv_stock_parse
    from shops.models import StockImport, StockImportStatus

    parsed = csv_stock_parse(data=data)
    errors = list(parsed.errors)
    skus = [row.sku for row in parsed.rows]
    own = dict(
        StockRecord.objects.filter(partner_id=shop.partner_id, partner_sku__in=skus).values_list(
            "partner_sku", "num_allocated"
        )
    )
    for row in parsed.rows:
        if row.sku not in own:
            # The same words whether or not another shop uses this SKU: the preview must not
            # tell a merchant which references its neighbours sell (the API answers alike).
            errors.append(RowError(row.line, "sku", f"SKU inconnu : « {row.sku} »."))
        else:
            errors += [RowError(row.line, "stock", message)
                       for _field, message in stock.stock_level_errors(reserved=own[row.sku], num_in_stock=row.stock)]
    errors.sort(key=lambda e: (e.line, e.column))
    return StockImport.objects.create(
        shop=shop,
        user=user if getattr(user, "is_authenticated", False) else None,
        file_name=(file_name or "import.csv")[:255],
        status=StockImportStatus.REFUSED if errors else StockImportStatus.PREVIEWED,
        rows=[row.as_json() for row in parsed.rows],
        errors=[e.as_json() for e in errors],
        row_count=len(parsed.rows) + len({e.line for e in errors if e.line > 1}),
    )


def stock_import_apply(*, stock_import):
    """Apply a previewed import to the shop's offers: every row or none (one transaction).

    Rows are checked again under row locks (a checkout may have reserved units
    since the preview). Applying twice is harmless: an applied import is returned
    as is. A refused import keeps its errors and changes nothing.
    """
    from django.utils import timezone

    from shops.models import StockImport, StockImportStatus

    with transaction.atomic():
        imp = StockImport.objects.select_for_update().select_related("shop").get(pk=stock_import.pk)
        if imp.status == StockImportStatus.APPLIED:
            return imp
        if imp.status == StockImportStatus.REFUSED:
            raise ValidationError("Cet import a été refusé : corrigez le fichier et importez-le à nouveau.")
        if shop_is_suspended(shop=imp.shop):  # suspended since it was started: refused, nothing applied
            from shops.guards import SUSPENDED

            imp.status, imp.errors = StockImportStatus.REFUSED, [{"line": 0, "column": "", "message": SUSPENDED}]
            imp.save(update_fields=["status", "errors"])
            return imp
        line_of = {row["sku"]: row["line"] for row in imp.rows}
        changes = {
            row["sku"]: stock.LevelChange(
                price=Decimal(row["price"]) if row["price"] is not None else None, num_in_stock=row["stock"]
            )
            for row in imp.rows
        }
        try:
            stock.offers_levels_set(partner_id=imp.shop.partner_id, changes=changes, by_sku=True)
        except stock.LevelsRefused as refused:
            imp.status, imp.errors = StockImportStatus.REFUSED, _row_errors(refused, line_of)
        else:
            imp.status, imp.applied_at = StockImportStatus.APPLIED, timezone.now()
        imp.save(update_fields=["status", "errors", "applied_at"])
    return imp


def _row_errors(refused, line_of: dict[str, int]) -> list[dict]:
    """The import's errors, by line, as the preview shows them."""
    if refused.refused_by_database:
        return [{"line": 0, "column": "", "message": stock.STOCK_BELOW_RESERVED_NOW}]
    errors = [{"line": line_of[sku], "column": "sku", "message": f"SKU inconnu : « {sku} »."} for sku in refused.unknown]
    errors += [
        {"line": line_of[sku], "column": COLUMNS[field], "message": message}
        for sku, problems in refused.errors.items()
        for field, message in problems
    ]
    return sorted(errors, key=lambda e: (e["line"], e["column"]))


@shop_writes_guarded
def stock_import_apply_start(*, stock_import):
    """Apply now when small; hand a large import to a Celery task (status "en cours")."""
    from shops.models import StockImportStatus

    if stock_import.status != StockImportStatus.PREVIEWED:
        raise ValidationError("Cet import ne peut plus être appliqué.")
    if stock_import.row_count <= STOCK_IMPORT_SYNC_MAX_ROWS:
        return stock_import_apply(stock_import=stock_import)
    from shops.tasks import stock_import_apply_task

    stock_import.status = StockImportStatus.RUNNING
    stock_import.save(update_fields=["status"])
    pk = stock_import.pk
    transaction.on_commit(lambda: stock_import_apply_task.delay(pk))
    return stock_import


