"""Order lifecycle events that other apps react to (payments refunds and captures,
notifications), so that the order workflow does not import them.

Senders fire them with ``transaction.on_commit`` once the change is durable; receivers
must be idempotent (a retried task may fire the same event twice).
"""
from django.dispatch import Signal

# Every shop order of an order has been accepted or settled (items possibly removed):
# the amount to take is now known.  kwargs: order
order_ready_to_capture = Signal()

# A merchant marked items unavailable in one shop order.
# kwargs: shop_order, lines (list of (order line, quantity removed)), amount (Decimal, incl. VAT)
shop_order_reduced = Signal()

# A whole order, or one shop order of it, will not be collected: cancelled by the shopper
# or the merchant, or expired as a no-show.
# kwargs: order, shop_order (None for the whole order), reason ("shopper", "merchant", "no_show")
order_cancelled = Signal()
