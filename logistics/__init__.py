"""Logistics: collection points, pickup slots, lockers, delivery zones, courier rounds."""
