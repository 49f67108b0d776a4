"""Forked Oscar ``search`` app.

Forked because we replace its core classes: Oscar's listings and search run
on Haystack (an external index, ~126 queries on its category pages); Halle
lists and searches the catalogue straight from PostgreSQL with the ORM.
"""
