"""Pickup follows the order workflow inside its transactions (see ``services.workflow``)."""
from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from marketplace.order.models import ShopOrderEvent
from logistics.pickup.services.workflow import pickup_after_shop_order_event


@receiver(post_save, sender=ShopOrderEvent, dispatch_uid="pickup.shop_order_event")
def _on_shop_order_event(sender, instance: ShopOrderEvent, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and instance.from_status:  # not the "new" rows written at placement
        pickup_after_shop_order_event(event=instance)
