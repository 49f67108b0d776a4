"""Versioned cache namespaces: a change bumps the version once it commits.

Readers read the namespace's version first and key their entries with it, so an
entry computed from rows that were about to change is stored under the old
version, which nobody reads any more: no stale entry survives a bump, whatever
the interleaving. Old entries simply expire.
"""
from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction


def _key(name: str) -> str:
    return f"ns:{name}"


def _fresh_version() -> int:
    # After an eviction, never fall back to a number that was already used.
    return time.time_ns() // 1000


def namespace_version(name: str) -> int:
    version = cache.get(_key(name))
    if version is None:
        cache.add(_key(name), _fresh_version())
        version = cache.get(_key(name)) or _fresh_version()
    return version


def _bump_now(name: str) -> None:
    try:
        cache.incr(_key(name))
    except ValueError:  # not there (evicted or never read): any fresh number will do
        cache.add(_key(name), _fresh_version())


def namespace_bump(name: str) -> None:
    """Bump ``name`` after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _bump_now(name))
