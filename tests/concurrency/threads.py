"""Running work in real threads released together (one PostgreSQL connection each)."""
from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from django.db import connection


def run_together(count: int, work: Callable[[int], object], *, at_once: int | None = None, timeout: float = 180):
    """Run ``work(i)`` for ``i`` in ``range(count)``; results (or the exception raised) by index.

    ``at_once`` threads run at the same time (all of them by default), released
    together by a barrier; the others start as soon as one finishes. PostgreSQL
    here allows 100 connections shared by every test run of the machine, so
    large counts go in waves.
    """
    at_once = min(at_once or count, count)
    barrier = threading.Barrier(at_once)
    slots = threading.BoundedSemaphore(at_once)
    results: list[object] = [None] * count

    def run(i):
        try:
            if i < at_once:
                barrier.wait(timeout=60)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - returned to the test, which asserts on it
            exc.traceback_text = traceback.format_exc()
            results[i] = exc
        finally:
            connection.close()
            slots.release()

    threads = []
    for i in range(count):
        slots.acquire()
        thread = threading.Thread(target=run, args=(i,))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results


def unexpected(results, *expected: type) -> str:
    """The first result that is none of ``expected``, with its traceback (for assertion messages)."""
    for result in results:
        if not isinstance(result, expected):
            return getattr(result, "traceback_text", repr(result))
    return ""
