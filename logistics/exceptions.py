"""Errors of the slot and hold use cases; their message is shown to the shopper as is (French)."""
from __future__ import annotations


class SlotError(Exception):
    """Base class: ``str(error)`` is a sentence for the shopper."""

    default_message = "Ce créneau ne peut pas être retenu."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)


class SlotFull(SlotError):
    default_message = "Ce créneau est complet."


class CompartmentUnavailable(SlotFull):
    default_message = "Plus aucun casier adapté n'est libre sur ce créneau."


class SlotUnavailable(SlotError):
    default_message = "Ce créneau n'est pas disponible."


class HoldInvalid(SlotError):
    default_message = "Ce créneau retenu n'est plus valable."


class HoldExpired(HoldInvalid):
    default_message = "Le créneau retenu a expiré : choisissez-en un autre."
