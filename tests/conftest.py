"""Suite-wide fixtures: isolated media files, an empty cache for every test."""
from __future__ import annotations

import copy
import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

# Fixtures usable from any test: a real Celery worker subprocess and a client app.
from tests.support.celery_worker import celery_client, celery_worker, celery_worker_env  # noqa: F401
# The local Stripe server (localstripe + Connect add-on) on a free port, wiped per test.
from tests.support.stripe_server import deselect_local_only, stripe_local, stripe_server  # noqa: F401

# Several test runs may share this machine's Redis database 1: each run keeps its
# cache keys under its own prefix and clears only those (``cache.clear()`` would
# FLUSHDB every other run's cache in the middle of its tests).
CACHE_KEY_PREFIX = f"halle-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def pytest_collection_modifyitems(config, items):
    deselect_local_only(config, items)


def pytest_configure(config):
    # Noise we cannot act on: Oscar 4.2's own category code (saving a category, its URL)
    # still calls treebeard's deprecated model-level API. Deprecations raised from
    # Halle's own code and templates stay visible.
    config.addinivalue_line("filterwarnings", "ignore::treebeard.deprecation.RemovedInTreebeard8Warning:oscar")
    config.addinivalue_line(
        "markers",
        "sqlite: also run on the SQLite demo database by tests/marketplace/search/test_on_sqlite.py",
    )


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploaded and generated files (demo pictures, thumbnails) go to a throw-away folder."""
    path = tmp_path_factory.mktemp("media")
    override = override_settings(MEDIA_ROOT=str(path))
    override.enable()  # sends setting_changed, which resets default_storage's location
    yield path
    override.disable()


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_run():
    """The default cache, under a key prefix no other test run uses."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = CACHE_KEY_PREFIX
    override = override_settings(CACHES=caches)
    override.enable()  # setting_changed resets the cache connections
    yield cache
    _cache_clear()
    override.disable()


def _cache_clear() -> None:
    """``cache.clear()`` limited to this run's keys when the cache is Redis."""
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client_of is None:  # not Redis: clearing is private to this process anyway
        cache.clear()
        return
    client = client_of(write=True)
    keys = list(client.scan_iter(match=f"{CACHE_KEY_PREFIX}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _empty_cache(cache_of_this_run):
    """Every test starts with an empty cache (page fragments, thumbnails, sessions)."""
    _cache_clear()
    yield


@pytest.fixture(autouse=True)
def _celery_join_flag_reset():
    """Celery's eager ``apply_async`` sets a process-wide "joining would block" flag around
    each task and restores the value it saw; two threads running eager tasks at once (the
    concurrency tests) can leave it set, and a later test's ``result.get()`` then fails with
    "Never call result.get() within a task!". Each test starts with it cleared."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
    yield


@pytest.fixture
def cache_clear():
    """Empties this run's cache in the middle of a test (a cold start)."""
    return _cache_clear
