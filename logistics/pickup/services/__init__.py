"""Pickup use cases. Lock order (see ``marketplace.order.locks``): the ``Order`` row first,
then its ``ShopOrder`` rows, then logistics rows (the ``CollectionPoint`` serialises
placements at a point). ``PickupCode`` and ``ParcelPlacement`` rows of an order are only
written under that order's lock, so they need no lock of their own; the database
constraints back every rule."""
