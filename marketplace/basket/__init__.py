"""Forked Oscar ``basket`` app.

Forked because we change its core classes: the shopper picks *which shop's
offer* to buy when several shops sell a product, so adding to the basket
takes a stock record (Oscar's always takes the strategy's default one), and
the basket lists its lines grouped by shop.
"""
