"""The order status page's link for shoppers without an account: unguessable, per order."""
from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "halle.pickup.order-status"


def order_status_token(*, order_number: str) -> str:
    return salted_hmac(_SALT, str(order_number), algorithm="sha256").hexdigest()[:32]


def order_status_token_check(*, order_number: str, token: str) -> bool:
    return constant_time_compare(order_status_token(order_number=order_number), str(token or ""))


def order_status_path(*, order_number: str) -> str:
    return reverse(
        "pickup:order-status", kwargs={"number": order_number, "token": order_status_token(order_number=order_number)}
    )


def order_status_url(*, order_number: str) -> str:
    return settings.HALLE_SITE_URL.rstrip("/") + order_status_path(order_number=order_number)
