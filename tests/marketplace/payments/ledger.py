"""The money invariant, checked after every payment test (see conftest.py)."""
from __future__ import annotations

from marketplace.payments.models import EntryKind, Payment
from marketplace.payments.services import payment_check


def assert_ledgers_balanced(*, with_stripe: bool) -> None:
    moved = Payment.objects.filter(entries__kind=EntryKind.CAPTURE).distinct()
    for payment in moved:
        found = payment_check(payment=payment, with_stripe=with_stripe)
        assert not found, f"{payment.order_number}: {found}"
