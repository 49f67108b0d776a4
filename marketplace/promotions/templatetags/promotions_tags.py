from django import template

register = template.Library()


@register.filter
def cents_euros(cents) -> str:
    """1234 → « 12,34 » (French decimal comma; the template adds « € »)."""
    if cents is None:
        return "—"
    cents = int(cents)
    sign = "−" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100:,}".replace(",", "\u202f") + f",{cents % 100:02d}"


@register.filter
def percent_of(part, whole) -> int:
    try:
        return min(100, round(100 * int(part) / int(whole)))
    except (TypeError, ValueError, ZeroDivisionError):
        return 0
