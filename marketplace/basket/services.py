"""Basket writes: adding a line of the offer the shopper picked."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from oscar.apps.basket.signals import basket_addition

from marketplace.basket.applicator import Applicator


@dataclass
class BasketAddition:
    """What adding did: the line (new or grown), and the offers applied before and after."""

    line: object
    line_created: bool
    offers_before: dict
    offers_after: dict


def basket_line_add(
    *, basket, product, stockrecord, quantity: int, options=(), user=None, request=None,
    site_offers_signature: str | None = None,
) -> BasketAddition:
    """Add ``quantity`` of ``product`` from ``stockrecord``'s shop to ``basket`` (saved first if
    new), then apply the town's offers again; all or nothing, one commit. Availability is the
    form's to check (``AddToBasketForm``). Oscar's ``basket_addition`` (its analytics
    counter) is sent after commit: inside the transaction its insert, racing another first
    add of the product, aborted the add."""
    with transaction.atomic():
        offers_before = basket.applied_offers()
        created_now = basket.id is None
        line, line_created = basket.add_product(product, quantity, list(options), stockrecord=stockrecord)
        if created_now:  # a basket born now holds no voucher
            basket.vouchers_known_empty()
        basket.reset_offer_applications()
        Applicator(site_offers_signature=site_offers_signature).apply(basket, user, request)
        offers_after = basket.applied_offers()
        transaction.on_commit(
            lambda: basket_addition.send(sender=basket_line_add, product=product, user=user, request=request)
        )
    return BasketAddition(line=line, line_created=line_created, offers_before=offers_before, offers_after=offers_after)
