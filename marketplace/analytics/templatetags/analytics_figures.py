"""Figures in French: « 1 234 », « 12,50 € », « 45,2 % », « +3,1 pts »."""
from __future__ import annotations

from decimal import Decimal

from django import template

from marketplace.payments.templatetags.halle_money import euros

register = template.Library()
NARROW_NBSP = "\u202f"


def count_fr(value) -> str:
    number = int(Decimal(value or 0).to_integral_value())
    sign, digits = ("-", str(-number)) if number < 0 else ("", str(number))
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + NARROW_NBSP.join(groups)


def decimal_fr(value, places: int = 1) -> str:
    return f"{Decimal(value):.{places}f}".replace(".", ",")


@register.filter
def number(value) -> str:
    return "—" if value is None else count_fr(value)


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{decimal_fr(value)}{NARROW_NBSP}%"


@register.filter
def money(cents) -> str:
    return "—" if cents is None else f"{euros(cents)}{NARROW_NBSP}€"


@register.filter
def figure_value(figure, which: str = "current") -> str:
    value = getattr(figure, which)
    if figure.unit == "euros":
        return money(value)
    if figure.unit == "percent":
        return percent(value)
    return number(value)


@register.filter
def figure_change(figure) -> str:
    """A count or an amount moves in %; a rate moves in points (« point » below 2, French plural)."""
    change = figure.change
    if change is None:
        return "—"
    sign = "+" if change > 0 else ("−" if change < 0 else "")
    if figure.unit == "percent":
        unit = "point" if abs(change) < 2 else "points"
        return f"{sign}{decimal_fr(abs(change))}{NARROW_NBSP}{unit}"
    return f"{sign}{decimal_fr(abs(change))}{NARROW_NBSP}%"


@register.filter
def change_of(value) -> str:
    """A relative change already computed (Decimal %) or None."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{decimal_fr(abs(value))}{NARROW_NBSP}%"


@register.filter
def one_decimal(value) -> str:
    return "—" if value is None else decimal_fr(value)
