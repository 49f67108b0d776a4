from django import template

from marketplace.payments.money import euros as euros_text
from marketplace.payments.money import shown_cents

register = template.Library()


@register.filter
def euros(cents) -> str:
    """Cents as French euros: 123456 → "1 234,56" (narrow no-break space between thousands)."""
    text = euros_text(int(cents or 0))
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, decimals = text.split(",")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + "\u202f".join(groups) + "," + decimals


@register.filter
def euros_plus(cents) -> str:
    """An amount added in a summary: "+ 3,24" (a negative one "− 3,24"; zero "0,00")."""
    cents = int(cents or 0)
    if cents == 0:
        return euros(0)
    return ("+\u00a0" if cents > 0 else "−\u00a0") + euros(abs(cents))


@register.filter
def euros_minus(cents) -> str:
    """An amount taken off in a summary: 267 → "− 2,67"."""
    return euros_plus(-int(cents or 0))


@register.filter
def movement_cents(line: dict) -> int:
    """A line of ``money_movements`` as its label reads it (a town-funded discount is paid to the shop)."""
    return shown_cents(line["kind"], line["cents"])


@register.filter
def get_label(labels: dict, kind: str) -> str:
    return labels.get(kind, kind)


@register.inclusion_tag("payments/_cannot_sell.html")
def shop_payment_warning(shop):
    """The merchant's warning when its shop cannot be paid (one query)."""
    from marketplace.payments.selectors import shop_can_receive_payments

    return {"shop": shop, "cannot_sell": shop is not None and not shop_can_receive_payments(shop=shop)}


@register.filter
def payment_state_label(state: str) -> str:
    """An ``OrderPaymentState`` code in words (« Encaissée », « Partiellement remboursée »…)."""
    from marketplace.payments.selectors import OrderPaymentState

    try:
        return OrderPaymentState(state).label
    except ValueError:
        return state
