"""Errors of delivery use cases; ``message`` is a French sentence for the shopper."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from logistics.exceptions import SlotError


class DeliveryError(SlotError):
    default_message = _("Cette livraison ne peut pas être retenue.")


class WindowFull(DeliveryError):
    default_message = _("Cette fenêtre de livraison est complète : choisissez-en une autre.")


class WindowClosed(DeliveryError):
    default_message = _("Les commandes pour cette fenêtre de livraison sont closes : choisissez-en une autre.")


class WindowUnavailable(DeliveryError):
    default_message = _("Cette fenêtre de livraison n'est pas proposée pour votre adresse : choisissez-en une autre.")


class BookingExpired(DeliveryError):
    default_message = _("La fenêtre de livraison retenue a expiré : choisissez-en une autre.")
