"""Shared pieces of the statistics pages: sums over two periods in one query, figures, rates."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from marketplace.analytics.periods import Period

CURRENT, PREVIOUS = "cur", "prev"


def sums_two_periods(queryset: QuerySet, *, fields: tuple[str, ...], period: Period, group_by: tuple[str, ...] = ()):
    """Sum ``fields`` over ``period`` and the previous one in ONE query.

    Returns rows (dicts) with the ``group_by`` values and ``cur_<f>`` / ``prev_<f>``.
    """
    previous = period.previous()
    current_q = Q(day__gte=period.first, day__lte=period.last)
    previous_q = Q(day__gte=previous.first, day__lte=previous.last)
    annotations = {}
    for name in fields:
        annotations[f"{CURRENT}_{name}"] = Coalesce(Sum(name, filter=current_q), 0)
        annotations[f"{PREVIOUS}_{name}"] = Coalesce(Sum(name, filter=previous_q), 0)
    rows = queryset.filter(day__gte=previous.first, day__lte=period.last)
    if group_by:
        return list(rows.values(*group_by).annotate(**annotations).order_by(*group_by))
    return [rows.aggregate(**annotations)]


def totals(rows: list[dict], fields: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """{"cur": {field: total}, "prev": {...}} over grouped rows."""
    return {
        which: {name: sum(int(row[f"{which}_{name}"] or 0) for row in rows) for name in fields}
        for which in (CURRENT, PREVIOUS)
    }


def ratio(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def average_cents(total_cents: int, count: int) -> int | None:
    if not count:
        return None
    return int((Decimal(total_cents) / count).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Figure:
    """One line of a figures table: this period, the previous one, and how it moved.

    ``unit``: "euros" (cents), "count", or "percent" (a rate, compared in points).
    """

    key: str
    label: str
    current: int | Decimal | None
    previous: int | Decimal | None
    unit: str = "count"

    @property
    def change(self) -> Decimal | None:
        """Relative change in % (counts, euros) or difference in points (rates)."""
        if self.current is None or self.previous is None:
            return None
        if self.unit == "percent":
            return Decimal(self.current) - Decimal(self.previous)
        if not self.previous:
            return None
        return ((Decimal(self.current) - Decimal(self.previous)) * 100 / abs(Decimal(self.previous))).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
