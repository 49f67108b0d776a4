"""Order placed → the confirmation e-mail is owed (idempotent: the outbox's unique constraint
turns a repeated signal into a no-op).

The other e-mails (ready, cancelled, expired, items unavailable) are recorded by
``logistics.pickup.services.workflow`` inside the transaction of the change itself,
not from the after-commit signals of ``marketplace.core.signals``: a crash between
the commit and those signals would otherwise lose them.
"""
from __future__ import annotations

from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from marketplace.notifications.models import NotificationEvent
from marketplace.notifications.services import notification_enqueue


@receiver(order_placed, dispatch_uid="notifications.order_placed")
def _on_order_placed(sender, order, **kwargs) -> None:
    notification_enqueue(order=order, event=NotificationEvent.ORDER_PLACED)
