"""Writes of the promotions app (see each module)."""
