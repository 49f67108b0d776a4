"""Django's Redis cache with one client per pool (marketplace.core.redis_cache)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from django.core.cache import cache, caches

from marketplace.core.redis_cache import RedisCache


def test_the_cache_is_ours_and_reuses_one_client_per_pool():
    default = caches["default"]
    assert isinstance(default, RedisCache)
    client = default._cache.get_client(write=True)
    assert default._cache.get_client() is client
    assert default._cache.get_client("any-key", write=True) is client


def test_threads_sharing_the_client_each_read_their_own_values():
    def round_trip(n: int) -> list[int]:
        seen = []
        for i in range(50):
            cache.set(f"thread-{n}", n * 1000 + i)
            seen.append(cache.get(f"thread-{n}"))
        return seen

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(round_trip, range(8)))
    assert results == [[n * 1000 + i for i in range(50)] for n in range(8)]
    assert cache.get_many([f"thread-{n}" for n in range(8)]) == {f"thread-{n}": n * 1000 + 49 for n in range(8)}
