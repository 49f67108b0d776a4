"""Forked Oscar ``catalogue`` app.

Forked because we change its models: a product class carries the French VAT
rate its products are sold under (prices are shown VAT included).
"""
