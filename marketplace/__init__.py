"""Halle's project package: configuration, forked Oscar apps and payments."""
from marketplace.config.celery import app as celery_app

__all__ = ["celery_app"]
