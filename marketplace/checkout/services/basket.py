"""The basket as the checkout sees it: its lines by shop, what they need in stock, its total."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from oscar.core import prices

from marketplace.checkout.exceptions import CheckoutError
from marketplace.payments.errors import ShopsCannotReceivePayments
from marketplace.payments.selectors import shops_unable_to_receive_payments
from shops.models import Shop

EMPTY_BASKET = "Votre panier est vide : ajoutez des articles avant de commander."
BASKET_CHANGED = "Votre panier a changé depuis le choix du créneau : choisissez à nouveau votre créneau."


@dataclass
class BasketPart:
    """One shop's lines of the basket; ``key`` names its slot hold in "collect at each shop" mode."""

    shop: Shop
    lines: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.shop.pk)


def basket_parts(*, basket) -> list[BasketPart]:
    """The basket's lines grouped by shop (shops by name), each line with its offer.

    Raises ``CheckoutError`` for an empty basket, a line without an offer or
    price, a shop that stopped selling (suspended, on holiday) or that cannot be
    paid (no usable Stripe account).
    """
    if basket is None or basket.id is None or basket.is_empty:
        raise CheckoutError(EMPTY_BASKET, step="basket")
    if not basket.has_strategy:
        from marketplace.partner.strategy import Selector

        basket.strategy = Selector().strategy()
    parts: dict[int, BasketPart] = {}
    for line in basket.all_lines():
        stockrecord = line.stockrecord
        shop = getattr(stockrecord.partner, "shop", None) if stockrecord else None
        if shop is None or stockrecord.price is None:
            raise CheckoutError(
                f"« {line.product.get_title()} » n'est plus proposé : retirez-le de votre panier.", step="basket"
            )
        if not shop.is_selling:
            raise CheckoutError(
                f"« {shop.name} » ne prend pas de commandes en ce moment : retirez ses articles de votre panier.",
                step="basket",
            )
        parts.setdefault(shop.pk, BasketPart(shop=shop)).lines.append(line)
    unable = [] if _all_payable(part.shop for part in parts.values()) else shops_unable_to_receive_payments(
        shop_ids=parts  # one query, when some account is not known to be usable
    )
    if unable:
        raise CheckoutError(ShopsCannotReceivePayments([shop.name for shop in unable]).message, step="basket")
    return sorted(parts.values(), key=lambda p: (p.shop.name, p.shop.pk))


def _all_payable(shops) -> bool:
    """Whether every shop's payment account, read with the basket's lines, is usable."""
    for shop in shops:
        if not Shop.payment_account.is_cached(shop):
            return False
        account = getattr(shop, "payment_account", None)
        if account is None or not account.is_usable:
            return False
    return True


def stock_needed(parts: list[BasketPart]) -> dict[int, int]:
    """Units to hold per offer (products whose class does not track stock need none)."""
    needed: dict[int, int] = defaultdict(int)
    for part in parts:
        for line in part.lines:
            if line.product.get_product_class().track_stock:
                needed[line.stockrecord_id] += line.quantity
    return dict(needed)


def basket_total(*, basket) -> prices.Price:
    """The order total: the basket after offers, incl. VAT (no shipping in click-and-collect)."""
    return prices.Price(
        currency=basket.currency,
        excl_tax=basket.total_excl_tax,
        incl_tax=basket.total_incl_tax,
    )
