"""Forked Oscar ``partner`` app.

Forked because we change its models and core classes:
- ``StockRecord`` gets database ``CheckConstraint``s so that stock can never be
  oversold, even by code that forgets to check (Oscar's ``allocate`` does not);
- ``strategy.py`` is the marketplace strategy: VAT-inclusive French prices and
  the shop offer the shopper picked, hiding suspended shops.
"""
