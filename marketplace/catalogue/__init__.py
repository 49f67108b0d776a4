"""Forked Oscar ``catalogue`` app.

Forked because we change its models:
- a product class carries the French VAT rate its products are sold under
  (prices are shown VAT included);
- a product carries a stored full-text ``search_vector`` (GIN-indexed, kept up
  to date by a PostgreSQL trigger) so that French search ("chaussure" finds
  "Chaussures", "creme" finds "Crème") runs in PostgreSQL without Haystack.
"""
