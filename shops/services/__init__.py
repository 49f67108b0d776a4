"""Write-side use cases of the merchant domain, by concern.

``profile`` (the shop, its hours, photos, closures, suspension), ``catalogue`` (products,
pictures, archiving), ``stock_import`` (the CSV import); staff and invitations are
``shops.staff.services``; every write of stock levels and reservations is ``shops.stock``.
Callers pass objects already scoped to the merchant's shop (see ``shops.selectors``).
"""
