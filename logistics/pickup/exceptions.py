"""Errors of the pickup use cases; ``str(error)`` is a French sentence shown as is."""
from __future__ import annotations

from marketplace.order.exceptions import OrderError


class PickupError(OrderError):
    default_message = "Ce retrait n'est pas possible."


class CodeNotFound(PickupError):
    default_message = (
        "Aucune commande en attente ne correspond à ce code. Vérifiez les 6 caractères avec le client."
    )


class NoCompartmentFree(PickupError):
    default_message = "Aucun casier adapté n'est libre dans cette consigne : déposez le colis au point retrait."
