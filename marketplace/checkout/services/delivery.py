"""« Livraison à domicile » for the whole basket: the address checked, the fee, the feasible
windows, and the window held together with the stock, converted at placement.

Delivery-specific on purpose: the shared checkout (``holds``, ``placement``, ``complete``)
calls these few names explicitly and otherwise stays the pickup checkout.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from oscar.apps.shipping.methods import FixedPrice
from oscar.core import prices

from logistics.delivery.exceptions import DeliveryError
from logistics.delivery.models import DeliveryBooking, DeliveryWindow, DeliveryZone
from logistics.delivery.selectors import window_label, windows_feasible, zones_active
from logistics.delivery.services.bookings import (
    DeliveryAddress,
    delivery_booking_convert,
    delivery_window_hold,
)
from logistics.delivery.services.zones import OutsideZones, zone_for_address
from logistics.geo import AddressProblem, geocoder
from logistics.models import HoldStatus
from logistics.services.holds import basket_slots_hold
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.services.basket import BasketPart, basket_parts
from marketplace.checkout.services.slots import _days_full

#: VAT on the delivery service (the fee is shown and charged incl. VAT).
FEE_VAT = Decimal("1.20")


def basket_subtotal(*, basket) -> Decimal:
    return Decimal(basket.total_incl_tax)


def basket_parcels(parts: list[BasketPart]) -> int:
    """One parcel per shop: each shop packs and labels its part (``picking list``)."""
    return len(parts)


@dataclass
class DeliveryQuote:
    """What the shopper sees once the address is typed: in zone or not, the fee, the windows."""

    address: DeliveryAddress
    zone: DeliveryZone
    subtotal: Decimal
    fee: Decimal
    left_to_free: Decimal | None
    parcels: int
    windows: list[DeliveryWindow]


def address_placed(*, street: str, postcode: str, town: str, complement: str = "", instructions: str = "",
                   zones: list[DeliveryZone] | None = None) -> tuple[DeliveryAddress, DeliveryZone]:
    """The address placed by the geocoder and its zone; ``CheckoutError`` with the precise French reason."""
    try:
        place = geocoder().locate(street=street, postcode=postcode, town=town)
    except AddressProblem as problem:
        raise CheckoutError(problem.message, step="delivery") from None
    try:
        zone = zone_for_address(address=place, zones=zones if zones is not None else zones_active())
    except OutsideZones as outside:
        raise CheckoutError(outside.message, step="delivery") from None
    return DeliveryAddress(place=place, complement=complement.strip(), instructions=instructions.strip()), zone


def delivery_quote(*, basket, street: str, postcode: str, town: str, complement: str = "", instructions: str = "",
                   now: dt.datetime | None = None, days: int = 7) -> DeliveryQuote:
    """Check the address and the basket for delivery; the windows really feasible for it.

    Raises ``CheckoutError``: unknown street, postcode/commune mismatch, outside every zone
    (with the served postcodes), basket under the zone's minimum. Fixed number of queries.
    """
    now = now or timezone.now()
    parts = basket_parts(basket=basket)
    address, zone = address_placed(street=street, postcode=postcode, town=town, complement=complement,
                                   instructions=instructions)
    subtotal = basket_subtotal(basket=basket)
    if subtotal < zone.minimum_order:
        raise CheckoutError(_(
            "La livraison demande au moins %(minimum)s € d'achats (votre panier : %(subtotal)s €) : "
            "ajoutez des articles ou choisissez un retrait.") % {
            "minimum": formats.number_format(zone.minimum_order, 2),
            "subtotal": formats.number_format(subtotal, 2)}, step="delivery")
    parcels = basket_parcels(parts)
    shops = [part.shop for part in parts]
    windows = windows_feasible(zone=zone, shops=shops, parcels=parcels, now=now, days=days)
    capped = [shop for shop in shops if shop.daily_order_cap is not None]
    if capped and windows:
        full = _days_full(capped, {timezone.localtime(w.starts_at).date() for w in windows})
        windows = [w for w in windows
                   if not any(timezone.localtime(w.starts_at).date() in full.get(s.pk, ()) for s in capped)]
    return DeliveryQuote(address=address, zone=zone, subtotal=subtotal, fee=zone.fee_for(subtotal),
                         left_to_free=zone.left_to_free(subtotal), parcels=parcels, windows=windows)


def _window_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise CheckoutError(_("Choisissez une fenêtre de livraison dans la liste."), step="delivery") from None


def checkout_delivery_hold(*, basket, street: str, postcode: str, town: str, window_id, complement: str = "",
                           instructions: str = "", now: dt.datetime | None = None) -> DeliveryBooking:
    """Hold the chosen window and the basket's stock together for ``HALLE_HOLD_MINUTES``, all or nothing.

    The window must be one of ``delivery_quote``'s; the basket's slot holds (it chose a
    pickup before) are released in the same transaction. Raises ``CheckoutError``; then
    nothing new is held and the previous holds are untouched.
    """
    from marketplace.checkout.services.holds import _stock_hold, hold_minutes

    now = now or timezone.now()
    quote = delivery_quote(basket=basket, street=street, postcode=postcode, town=town, complement=complement,
                           instructions=instructions, now=now)
    chosen = _window_id(window_id)
    if chosen not in {w.pk for w in quote.windows}:
        raise CheckoutError(_window_refusal(chosen, quote, now), step="delivery")
    expires_at = now + dt.timedelta(minutes=hold_minutes())
    parts = basket_parts(basket=basket)
    with transaction.atomic():
        _stock_hold(basket_id=str(basket.pk), parts=parts, expires_at=expires_at)
        basket_slots_hold(basket_id=basket.pk, wanted={}, now=now, expires_at=expires_at)  # pickup holds go
        try:
            booking = delivery_window_hold(basket_id=basket.pk, window_id=chosen, zone=quote.zone,
                                           address=quote.address, parcels=quote.parcels, fee=quote.fee,
                                           now=now, expires_at=expires_at)
        except DeliveryError as error:
            raise CheckoutError(str(error.message), step="delivery") from None
        # Last of the holds (lock order: stock, logistics, then budgets): the campaigns' discounts.
        from marketplace.promotions.services.budget import basket_budget_reserve

        basket_budget_reserve(basket=basket, expires_at=expires_at, now=now)
        return booking


def _window_refusal(window_id: int, quote: DeliveryQuote, now: dt.datetime) -> str:
    window = DeliveryWindow.objects.filter(pk=window_id).first()
    if window is None:
        return _("Cette fenêtre de livraison n'existe pas : choisissez-en une dans la liste.")
    if window.cutoff_at <= now:
        return _("Les commandes pour %(window)s sont closes : choisissez une autre fenêtre.") % {
            "window": window_label(window)}
    if window.remaining < quote.parcels:
        return _("La fenêtre %(window)s est complète : choisissez-en une autre.") % {"window": window_label(window)}
    return _("La fenêtre %(window)s ne laisse pas le temps de préparer votre commande ou ne dessert pas "
             "votre adresse : choisissez-en une autre.") % {"window": window_label(window)}


def delivery_held(*, basket_id: int, now: dt.datetime) -> DeliveryBooking | None:
    """The basket's delivery still held at ``now`` (with window, zone and depot), or ``None``."""
    return (DeliveryBooking.objects.filter(basket_id=basket_id, status=HoldStatus.HELD, expires_at__gt=now)
            .select_related("window", "zone__depot").first())


def delivery_converted(*, basket, now: dt.datetime) -> DeliveryBooking:
    """At placement (its transaction): the held window becomes the order's booking."""
    try:
        booking = delivery_booking_convert(basket_id=basket.pk, now=now)
    except DeliveryError as error:
        raise CheckoutError(str(error.message), step="delivery") from None
    return DeliveryBooking.objects.select_related("window", "zone__depot").get(pk=booking.pk)


def delivery_order_attach(*, booking: DeliveryBooking, order) -> None:
    booking.order = order
    booking.save(update_fields=["order", "updated_at"])


def delivery_shipping(*, fee: Decimal) -> FixedPrice:
    """The fee as Oscar's shipping charge: the order total includes it, the ledger books it for the town."""
    excl = (fee / FEE_VAT).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    method = FixedPrice(charge_excl_tax=excl, charge_incl_tax=fee)
    method.code, method.name = "halle-delivery", _("Livraison à domicile")
    return method


def total_with_fee(total: prices.Price, fee: Decimal) -> prices.Price:
    excl = (fee / FEE_VAT).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return prices.Price(currency=total.currency, excl_tax=total.excl_tax + excl, incl_tax=total.incl_tax + fee)
