"""Halle's production settings, served over plain HTTP on the loopback for the benchmark.

Everything else (DEBUG off, Redis cache, cached_db sessions, PostgreSQL over TCP
with persistent connections, compressed static files) is production's own.
"""
from marketplace.config.settings.production import *  # noqa: F403
from marketplace.config.settings.production import ALLOWED_HOSTS, STORAGES

# Pictures from the disk, as the peer serves its own (production keeps them on object storage).
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}

# No TLS on 127.0.0.1: secure-only cookies would never come back (the peer sets none).
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
OSCAR_BASKET_COOKIE_SECURE = False
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = False
# The query counter uses Django's test client, whose host is "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
