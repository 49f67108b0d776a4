"""The local Stripe server (localstripe + our Connect add-on), one per test session.

It runs as a subprocess on a free loopback port; the adapter is pointed at it
with override_settings, and every test that asks for ``stripe_local`` starts from
an empty server. Imported by tests/conftest.py, so any test may use it.
"""
from __future__ import annotations

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
    """Base URL of a running devserver; STRIPE_API_BASE points at it for the session."""
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
                    raise RuntimeError("Stripe devserver did not answer within 20 s")
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
    """An empty Stripe server for this test."""
    _reset(stripe_server)
    return stripe_server
