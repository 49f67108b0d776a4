"""Errors of the order workflow; their message is shown as is (French)."""
from __future__ import annotations


class OrderError(Exception):
    """Base class: ``str(error)`` is a sentence for the merchant or the shopper."""

    default_message = "Cette action n'est pas possible sur cette commande."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)


class TransitionNotAllowed(OrderError):
    default_message = "Cette commande n'est pas dans un état qui permet cette action."


class NotShopStaff(OrderError):
    default_message = "Vous ne faites pas partie de l'équipe de ce commerce."


class LinesInvalid(OrderError):
    default_message = "Les quantités indiquées ne sont pas valables."
