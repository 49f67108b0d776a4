"""The split of an order between shops and the town: no cent lost or created."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.payments.split import commission_cents, part_split, prorate_cents, to_cents


@pytest.mark.parametrize("gross, rate, expected", [
    (1000, "5.50", 55), (1, "5.50", 0), (9, "5.50", 0), (10, "5.50", 1),  # 0.55 → 1
    (53, "9.00", 5), (50, "9.00", 5),  # 4.5 → 5 (half up)
    (1111, "5.50", 61), (0, "9.00", 0), (12345, "0", 0), (12345, "100", 12345),
])
def test_commission_rounds_half_up_to_the_cent(gross, rate, expected):
    assert commission_cents(gross_cents=gross, rate=Decimal(rate)) == expected


def test_euros_become_cents_exactly():
    assert [to_cents(v) for v in (Decimal("12.34"), Decimal("0.005"), "19.99", 3)] == [1234, 1, 1999, 300]


@given(
    parts=st.lists(
        st.tuples(st.integers(0, 500_000), st.integers(0, 50_000), st.sampled_from(["5.50", "9.00", "0", "12.25"])),
        min_size=1, max_size=12,
    ),
    fee=st.integers(0, 2_000),
)
def test_every_cent_of_the_order_goes_to_a_shop_or_the_town(parts, fee):
    splits = [part_split(paid_cents=paid, gross_cents=paid + town_discount, rate=Decimal(rate))
              for paid, town_discount, rate in parts]
    total = sum(paid for paid, _, _ in parts) + fee
    to_shops = sum(s.transfer_cents for s in splits)
    to_town = sum(s.commission_cents + s.promotion_cents for s in splits) + fee
    assert to_shops + to_town == total
    for split, (paid, town_discount, _) in zip(splits, parts):
        assert split.transfer_cents + split.commission_cents == paid + town_discount  # the merchant's basis
        assert split.transfer_cents >= 0 and split.promotion_cents == -town_discount


@given(amount=st.integers(0, 100_000), total=st.integers(1, 50), data=st.data())
def test_prorating_keeps_all_or_nothing_exact(amount, total, data):
    kept = data.draw(st.integers(0, total))
    value = prorate_cents(amount_cents=amount, kept=kept, total=total)
    assert 0 <= value <= amount
    assert prorate_cents(amount_cents=amount, kept=0, total=total) == 0
    assert prorate_cents(amount_cents=amount, kept=total, total=total) == amount


def test_a_part_paying_more_than_its_basis_is_refused():
    with pytest.raises(ValueError):
        part_split(paid_cents=100, gross_cents=90, rate=Decimal("5.5"))
