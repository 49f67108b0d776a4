"""``{% product_cards products as cards %}``: a listing's cards, from the cache when possible."""
from django import template

from marketplace.catalogue.cards import product_cards_render

register = template.Library()


@register.simple_tag(takes_context=True)
def product_cards(context, products):
    return product_cards_render(products=list(products), request=context["request"], context=context.flatten())


@register.filter
def selling_offers_count(product) -> int:
    """How many shops sell ``product`` now, from its prefetched offers."""
    from marketplace.partner.strategy import shop_is_selling

    return sum(1 for offer in product.stockrecords.all() if shop_is_selling(offer) and offer.price is not None)
