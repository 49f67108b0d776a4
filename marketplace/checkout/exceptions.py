"""Why a checkout step was refused; the message is shown to the shopper as is (French)."""
from __future__ import annotations


class CheckoutError(Exception):
    """``step``: the page to send the shopper back to ("basket", "contact" or "slots")."""

    def __init__(self, message: str, *, step: str = "slots"):
        self.message = message
        self.step = step
        super().__init__(message)
