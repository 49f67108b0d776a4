"""The one-command demo: embedded SQLite, eager Celery, e-mails on the console."""
from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
