"""A real Celery worker in a subprocess, against the test database and a Redis broker.

Usage in a test module::

    from tests.support.celery_worker import celery_worker, celery_client  # noqa: F401 (fixtures)

    def test_something(celery_worker, celery_client):
        result = celery_client.send_task("halle.worker_health")
        ...
        celery_worker.kill()     # SIGKILL, as a crash would
        celery_worker.start()    # a fresh worker on the same queue

The worker's output goes to a log file (``worker.log_path``), never to a pipe
that could fill up and block it.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
READY_MARK = "ready."
START_TIMEOUT = 60
STOP_TIMEOUT = 20


def _test_database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def broker_url() -> str:
    from django.conf import settings

    return getattr(settings, "TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")


def broker_flush(url: str) -> None:
    """Empty the Redis database used as broker and result backend (left-overs of a crash)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


class CeleryWorker:
    """One ``celery worker --pool=solo`` process; ``start``, ``stop`` and ``kill`` it at will."""

    def __init__(
        self, *, broker: str, database_url: str, log_dir: Path, queues: str = "celery", extra_env: dict | None = None
    ) -> None:
        self.broker = broker
        self.extra_env = dict(extra_env or {})
        self.database_url = database_url
        self.log_dir = log_dir
        self.queues = queues
        self.popen: subprocess.Popen | None = None
        self.log_path: Path | None = None
        self.starts = 0

    @property
    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "celery", "-A", "marketplace", "worker",
            "--pool=solo", "--concurrency=1", "-Q", self.queues, "--loglevel=INFO",
            f"--hostname=halle-test-{os.getpid()}-{self.starts}@%h",
        ]

    @property
    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "CACHE_", "TEST_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="marketplace.config.settings.local",
            DATABASE_URL=self.database_url,
            DATABASE_CONN_MAX_AGE="0",
            CELERY_BROKER_URL=self.broker,
            CELERY_RESULT_BACKEND=self.broker,
            PYTHONUNBUFFERED="1",
            PYTHONDONTWRITEBYTECODE="1",
        )
        env.update(self.extra_env)
        return env

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def start(self, *, wait: bool = True, timeout: float = START_TIMEOUT) -> CeleryWorker:
        assert not self.running, "the worker is already running"
        self.starts += 1
        self.log_path = self.log_dir / f"celery-worker-{self.starts}.log"
        with open(self.log_path, "wb") as log:
            self.popen = subprocess.Popen(
                self.command,
                cwd=PROJECT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C in the terminal does not reach it
            )
        if wait:
            self.wait_ready(timeout=timeout)
        return self

    def wait_ready(self, *, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if READY_MARK in self.log():
                return
            if not self.running:
                raise RuntimeError(f"the Celery worker exited with status {self.popen.returncode}:\n{self.log()}")
            time.sleep(0.1)
        self.kill()
        raise TimeoutError(f"the Celery worker was not ready within {timeout} s:\n{self.log()}")

    def stop(self, *, timeout: float = STOP_TIMEOUT) -> int | None:
        """Warm shutdown (SIGTERM), then SIGKILL if it takes longer than ``timeout``."""
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.popen.returncode

    def kill(self) -> int | None:
        """SIGKILL, as a crash or the OOM killer would; the task in progress is not acknowledged."""
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGKILL)
            self.popen.wait(timeout=STOP_TIMEOUT)
        return self.popen.returncode


@pytest.fixture
def celery_worker_env() -> dict:
    """Extra environment of the worker process; override this fixture in a test module
    (e.g. ``DJANGO_SETTINGS_MODULE`` of worker-only settings)."""
    return {}


@pytest.fixture
def celery_worker(transactional_db, tmp_path, celery_worker_env) -> Iterator[CeleryWorker]:
    """A started worker on the test database; always terminated at the end of the test.

    Needs ``transactional_db`` so that what the test writes is committed and
    visible to the worker's own connection.
    """
    url = broker_url()
    broker_flush(url)
    worker = CeleryWorker(
        broker=url, database_url=_test_database_url(), log_dir=tmp_path, extra_env=celery_worker_env
    )
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        from django.db import connections

        connections.close_all()


@pytest.fixture
def celery_client(celery_worker):
    """A bare Celery app that only sends tasks by name and reads their results."""
    from celery import Celery

    # Not the current app: Halle's own tasks, called in the test process, stay eager.
    app = Celery(
        "halle-test-client", broker=celery_worker.broker, backend=celery_worker.broker, set_as_current=False
    )
    app.conf.broker_connection_retry_on_startup = False
    try:
        yield app
    finally:
        app.close()
