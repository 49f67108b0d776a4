"""The test suite: real PostgreSQL and Redis, never the embedded fallbacks.

Concurrency tests only mean something on PostgreSQL, so the suite refuses to
run on SQLite. Tests that need a real Celery worker start one themselves.
"""
from .base import *  # noqa: F403
from .base import env

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/halle"),
}
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_halle")}

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/1")
CACHES = {
    "default": {
        "BACKEND": "marketplace.core.redis_cache.RedisCache",  # Django's, one client per pool
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="halle-test"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
    }
}

# In-process tests run tasks eagerly; the worker tests set their own broker.
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
TEST_CELERY_BROKER_URL = env("TEST_CELERY_BROKER_URL", default="redis://127.0.0.1:6379/14")

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")  # noqa: F405
# The suite never runs collectstatic, so there is no collected directory for WhiteNoise
# to serve (it would warn on every request); the browser tests' live server serves
# static files from the finders.
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=None)

# Tests that talk to Stripe start their own local server (the ``stripe_local`` fixture)
# and point this at it; any other test reaches nothing (port 1 never answers), never a
# demo server that may be running on 8420. No retries: an outage test fails fast.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="http://127.0.0.1:1")
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=0)
# The local Stripe server's (marketplace.payments.devserver) page where a test card's 3-D Secure is confirmed.
STRIPE_TEST_BANK_PAGE = "/_config/3ds/{intent_id}"
# Round planning in tests: a short solver budget (the plans are tiny).
HALLE_ROUTING_TIME_LIMIT = 0.5
