"""Fixed-window request counting in the shared cache, for the APIs' throttles.

Every web process must agree on a client's count, so it lives in the cache (Redis ``INCR``
in production), under one key per client and window: the till API counts per token, the
public catalogue API per address or partner key.
"""
from __future__ import annotations

import time

from django.core.cache import cache


def rate_window_hit(*, key_prefix: str, window: int) -> tuple[int, float]:
    """Count one request in the current ``window``-second window of ``key_prefix``:
    (requests counted in this window so far, seconds until the window ends)."""
    now = time.time()
    start = int(now // window) * window
    key = f"{key_prefix}:{start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count, start + window - now
