"""The one-command demo: embedded SQLite, eager Celery, e-mails on the console."""
from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# The local Stripe-compatible server that `make run` starts beside runserver.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="http://127.0.0.1:8420")
# The local Stripe server's (marketplace.payments.devserver) page where a test card's 3-D Secure is confirmed.
STRIPE_TEST_BANK_PAGE = "/_config/3ds/{intent_id}"
