"""Order events → outbox rows. Each receiver only records what is owed (idempotent:
the outbox's unique constraint turns a repeated event into a no-op)."""
from __future__ import annotations

import hashlib
from decimal import Decimal

from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from marketplace.core.signals import order_cancelled, shop_order_reduced
from marketplace.notifications.models import NotificationEvent
from marketplace.notifications.services import notification_enqueue


@receiver(order_placed, dispatch_uid="notifications.order_placed")
def _on_order_placed(sender, order, **kwargs) -> None:
    notification_enqueue(order=order, event=NotificationEvent.ORDER_PLACED)


def _shop_name(shop_order) -> str:
    shop = getattr(shop_order, "shop", None)
    return getattr(shop, "name", "") or ""


@receiver(order_cancelled, dispatch_uid="notifications.order_cancelled")
def _on_order_cancelled(sender, order, shop_order=None, reason="", **kwargs) -> None:
    if shop_order is not None:
        # One shop part will not come: the rest of the order goes on.
        lines = [(line, line.quantity) for line in shop_order.lines.all()] if hasattr(shop_order, "lines") else []
        _part_unavailable(order=order, shop_order=shop_order, lines=lines, amount=None, scope_tag="cancelled")
        return
    event = NotificationEvent.ORDER_EXPIRED if reason == "no_show" else NotificationEvent.ORDER_CANCELLED
    notification_enqueue(order=order, event=event, payload={"reason": reason})


@receiver(shop_order_reduced, dispatch_uid="notifications.shop_order_reduced")
def _on_shop_order_reduced(sender, shop_order, lines, amount=None, **kwargs) -> None:
    _part_unavailable(order=shop_order.order, shop_order=shop_order, lines=lines, amount=amount, scope_tag="reduced")


def _part_unavailable(*, order, shop_order, lines, amount: Decimal | None, scope_tag: str) -> None:
    """The scope names the shop part and the lines removed: the same event repeated is one
    row; a second, different reduction of the same part is a second e-mail."""
    removed = sorted((line.pk, int(quantity)) for line, quantity in lines)
    digest = hashlib.sha256(repr(removed).encode()).hexdigest()[:16]
    notification_enqueue(
        order=order,
        event=NotificationEvent.PART_UNAVAILABLE,
        scope=f"shop_order:{shop_order.pk}:{scope_tag}:{digest}",
        payload={
            "shop": _shop_name(shop_order),
            "lines": [{"title": line.title, "quantity": int(quantity)} for line, quantity in lines],
            "amount": f"{amount:.2f}".replace(".", ",") if amount is not None else "",
        },
    )
