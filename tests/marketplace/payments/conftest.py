"""Payment tests: the ledger invariant is checked after every test that moved money.

The local Stripe server fixtures (``stripe_server``, ``stripe_local``) come from
tests/support/stripe_server.py.
"""
from __future__ import annotations

import pytest

from tests.support.stripe_server import _reset, stripe_faults  # noqa: F401 (used by the tests of this folder)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "ledger_unsettled: the test leaves money owed on purpose (no ledger check after it)"
    )


@pytest.fixture(autouse=True)
def ledger_balances_after_the_test(request):
    """After every test that moved money: each order's ledger balances (captured − refunded =
    Σ transfers − Σ reversals + the town's share, nothing owed) and matches Stripe's objects."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or request.node.get_closest_marker("ledger_unsettled"):
        yield
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    from tests.marketplace.payments.ledger import assert_ledgers_balanced

    assert_ledgers_balanced(with_stripe="stripe_local" in request.fixturenames)
