"""Wrong pickup codes are limited per person and per network address (Redis counters through
the Django cache), so that nobody can try codes until one opens an order.

A fixed window: the first failure starts a counter that lives
``HALLE_PICKUP_CODE_WINDOW_MINUTES``; at ``HALLE_PICKUP_CODE_MAX_FAILURES`` the
page refuses every code until the counter expires. Only failures count: staff who
scan valid codes all day are never slowed down.
"""
from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

PREFIX = "pickup:code-failures"


class TooManyAttempts(Exception):
    def __init__(self, minutes: int):
        self.minutes = minutes
        self.message = (
            f"Trop de codes erronés : par sécurité, la saisie est bloquée pendant {minutes} minute"
            f"{'s' if minutes > 1 else ''}. Vérifiez le code avec le client, puis réessayez."
        )
        super().__init__(self.message)


def _window_seconds() -> int:
    return int(settings.HALLE_PICKUP_CODE_WINDOW_MINUTES) * 60


def attempt_keys(*, user=None, ip: str | None = None, scope: str = "") -> list[str]:
    keys = []
    if user is not None and getattr(user, "is_authenticated", False):
        keys.append(f"{PREFIX}:user:{user.pk}")
    if ip:
        keys.append(f"{PREFIX}:ip:{ip}")
    if scope:
        keys.append(f"{PREFIX}:scope:{scope}")
    return keys


def attempts_check(*, keys: list[str]) -> None:
    """Raise ``TooManyAttempts`` if any of ``keys`` reached the limit."""
    limit = int(settings.HALLE_PICKUP_CODE_MAX_FAILURES)
    counts = cache.get_many(keys)
    if any(int(count) >= limit for count in counts.values()):
        raise TooManyAttempts(max(1, int(settings.HALLE_PICKUP_CODE_WINDOW_MINUTES)))


def failure_record(*, keys: list[str]) -> None:
    for key in keys:
        cache.add(key, 0, timeout=_window_seconds())  # starts the window; no-op if it runs
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr: start again
            cache.set(key, 1, timeout=_window_seconds())


def client_ip(request) -> str:
    """The address the request came from (the proxy in front must set REMOTE_ADDR to the client's)."""
    return (request.META.get("REMOTE_ADDR") or "").strip()[:45]
