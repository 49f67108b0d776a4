"""Collecting an order: the pickup code and its QR code, the handover at a collection point
or a shop counter (with its audit), parcels on shelves and in locker compartments,
shopper cancellations and no-shows."""
