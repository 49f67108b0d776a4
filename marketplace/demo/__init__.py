"""The deterministic demo town: shops, catalogue, stock and demo accounts."""
