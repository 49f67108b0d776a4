"""Payments: Stripe PaymentIntents (manual capture), Connect transfers to shops,
refunds and reversals. ``stripe_api`` is the only module that imports ``stripe``."""
