"""Fail fast, in one sentence, when configuration or a required service is wrong.

A newcomer who forgets ``DJANGO_SECRET_KEY`` or starts the site with
PostgreSQL down should read what to fix, not a 60-line traceback.
"""
from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit


class ServiceUnavailable(Exception):
    """A service the configuration names does not answer."""


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or ''}".rstrip(":")


def explain(exc: BaseException) -> str | None:
    """The one sentence that tells an operator what to fix, or None if unknown."""
    from django.core.exceptions import ImproperlyConfigured

    if isinstance(exc, ServiceUnavailable):
        return str(exc)
    if isinstance(exc, ImproperlyConfigured):
        missing = re.search(r"Set the (\w+) environment variable", str(exc))
        if missing:
            return (
                f"Configuration invalide : la variable d'environnement {missing.group(1)} "
                "est obligatoire avec ces réglages (voir .env.example)."
            )
        return f"Configuration invalide : {exc}"
    try:
        from django.db import OperationalError
    except ImportError:  # pragma: no cover - Django is always installed
        return None
    from django.db import ProgrammingError

    if isinstance(exc, (OperationalError, ProgrammingError)) and re.search(
        r"no such table|relation .* does not exist", str(exc)
    ):
        return "Base de données non migrée : lancez « python manage.py migrate » d'abord."
    if isinstance(exc, OperationalError) and not _database_answers():
        from django.conf import settings

        db = settings.DATABASES["default"]
        host = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or ''}".rstrip(":")
        return (
            f"Base de données injoignable ({db['ENGINE'].rsplit('.', 1)[-1]} à {host}, "
            f"base « {db.get('NAME')} ») : vérifiez DATABASE_URL et que le service tourne."
        )
    return None


def _database_answers() -> bool:
    """Whether a fresh connection to the default database succeeds."""
    from django.db import OperationalError, connection

    try:
        connection.close()
        connection.ensure_connection()
    except OperationalError:
        return False
    return True


@contextlib.contextmanager
def explain_startup_errors() -> Iterator[None]:
    """Turn known start-up failures into one line on stderr and exit status 1."""
    try:
        yield
    except Exception as exc:
        sentence = explain(exc)
        if sentence is None:
            raise
        print(f"Halle : {sentence}", file=sys.stderr)
        raise SystemExit(1) from None


def _redis_ping(url: str, variable: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        raise ServiceUnavailable(
            f"Redis injoignable à {_where(url)} : vérifiez {variable} et que le service tourne "
            f"({exc.__class__.__name__})."
        ) from None


def services_check() -> None:
    """Connect once to every service the settings require; raise ServiceUnavailable."""
    from django.conf import settings
    from django.db import connection

    connection.ensure_connection()
    if settings.REDIS_URL:
        _redis_ping(settings.REDIS_URL, "REDIS_URL")
    broker = settings.CELERY_BROKER_URL
    if broker.startswith(("redis://", "rediss://")) and broker != settings.REDIS_URL:
        _redis_ping(broker, "CELERY_BROKER_URL")
