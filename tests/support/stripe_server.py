"""The local Stripe server (localstripe + our Connect add-on), one per test session.

It runs as a subprocess on a free loopback port; the adapter is pointed at it
with override_settings, and every test that asks for ``stripe_local`` starts from
an empty server. Imported by tests/conftest.py, so any test may use it.

Stripe's own test mode instead: set ``HALLE_TEST_STRIPE_SECRET_KEY=sk_test_…`` and
``HALLE_TEST_STRIPE_ACCOUNTS=acct_…,acct_…`` (connected accounts already onboarded in
that test account); no local server starts, ``stripe_local`` is ``None`` and the
tests marked ``local_stripe`` (they need the local server's own pages, failure
injection or wipe) are deselected (README, "Paiements").
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
LIVE_KEY = os.environ.get("HALLE_TEST_STRIPE_SECRET_KEY", "")
LIVE_ACCOUNTS = [a.strip() for a in os.environ.get("HALLE_TEST_STRIPE_ACCOUNTS", "").split(",") if a.strip()]


def stripe_is_live() -> bool:
    """The suite talks to Stripe's test mode, not to the local server."""
    return bool(LIVE_KEY)


def deselect_local_only(config, items) -> None:
    """In Stripe test mode, drop the tests that need the local server (``local_stripe``)."""
    if not stripe_is_live():
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("local_stripe") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reset(base: str) -> None:
    for path in ("/_config/data", "/_config/faults"):
        request = urllib.request.Request(base + path, method="DELETE")
        with urllib.request.urlopen(request, timeout=2) as response:
            assert response.status == 200


def stripe_faults(base: str, *, path: str = "/v1/", count: int = 1, status: int = 500) -> None:
    """The next ``count`` requests to ``path`` fail with ``status`` before Stripe runs them."""
    body = urllib.parse.urlencode({"path": path, "count": count, "status": status}).encode()
    with urllib.request.urlopen(urllib.request.Request(base + "/_config/faults", data=body), timeout=2) as response:
        assert response.status == 200


@pytest.fixture(scope="session")
def stripe_server():
    """Base URL of a running devserver; STRIPE_API_BASE points at it for the session
    (``None`` in Stripe's test mode: the settings point at Stripe itself)."""
    if stripe_is_live():
        if not LIVE_KEY.startswith(("sk_test_", "rk_test_")):
            raise RuntimeError("HALLE_TEST_STRIPE_SECRET_KEY must be a test-mode key (sk_test_…).")
        with override_settings(STRIPE_API_BASE="", STRIPE_SECRET_KEY=LIVE_KEY, STRIPE_MAX_NETWORK_RETRIES=2):
            yield None
        return
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()  # not a pipe: its access log would fill it and block it
    process = subprocess.Popen(
        [sys.executable, "-m", "marketplace.payments.devserver", "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"Stripe devserver exited: {log.read().decode()[-2000:]}")
            try:
                _reset(base)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    raise RuntimeError("Stripe devserver did not answer within 20 s") from None
                time.sleep(0.1)
        with override_settings(STRIPE_API_BASE=base, STRIPE_SECRET_KEY="sk_test_halle_tests"):
            yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def stripe_local(stripe_server):
    """An empty Stripe server for this test (Stripe's test mode keeps its objects: every
    idempotency key and order carries a fresh uuid, so runs never collide)."""
    if stripe_server is not None:
        _reset(stripe_server)
    return stripe_server
