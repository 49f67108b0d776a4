"""The public, read-only catalogue API (``/api/v1/public/``) for the town's partners and apps.

No models: it reads shops, collection points, categories, products and their offers
through the same selectors as the storefront, so it never shows what shoppers do not
see (unpublished products, suspended shops) and never publishes stock numbers.
"""
