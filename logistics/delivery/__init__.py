"""Home delivery: zones, the local address base, courier windows and their holds.

A delivery window's capacity is never typed in: it is the sum of the parcel capacity of
the vehicles on shift for it (``services.windows.window_capacity_recompute``). A basket
delivered at home holds its window (``DeliveryBooking``, status ``held``) and its stock
together, exactly like a pickup slot, and the hold is converted in the order's own
transaction (``marketplace.checkout.services.delivery``).
"""
