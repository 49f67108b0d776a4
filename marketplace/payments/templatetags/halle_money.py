from django import template

from marketplace.payments.money import euros as euros_text

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
def get_label(labels: dict, kind: str) -> str:
    return labels.get(kind, kind)


@register.inclusion_tag("payments/_cannot_sell.html")
def shop_payment_warning(shop):
    """The merchant's warning when its shop cannot be paid (one query)."""
    from marketplace.payments.selectors import shop_can_receive_payments

    return {"shop": shop, "cannot_sell": shop is not None and not shop_can_receive_payments(shop=shop)}
