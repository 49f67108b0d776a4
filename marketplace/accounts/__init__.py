"""Shoppers' accounts: signing up, in and out (Oscar's customer views, corrected where they fail)."""
