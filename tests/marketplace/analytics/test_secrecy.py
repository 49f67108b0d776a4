"""Statistical secrecy: the primary rule, and no suppressed cell recomputable from the published ones."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.analytics.secrecy import TOTAL, passes_primary, table_protect

MEASURES = ("orders", "sales_cents")


def shop(orders, sales):
    return {"orders": orders, "sales_cents": sales}


def attack(table) -> set:
    """An attacker's linear algebra: every suppressed cell whose value the published cells
    (and the known zeros) fix exactly, through the row and column totals."""
    rows, cols = [*table.rows, TOTAL], [*table.cols, TOTAL]
    unknown = sorted(table.suppressed)
    index = {cell: i for i, cell in enumerate(unknown)}
    equations = []
    for r in rows:  # Σ inner cells of the row − its total = 0
        equations.append({(r, c): 1 for c in table.cols} | {(r, TOTAL): -1})
    for c in cols:
        equations.append({(r, c): 1 for r in table.rows} | {(TOTAL, c): -1})
    matrix = np.array([[eq.get(cell, 0) for cell in unknown] for eq in equations], dtype=float)
    found = set()
    rank = np.linalg.matrix_rank(matrix) if unknown else 0
    for cell in unknown:
        probe = np.zeros(len(unknown))
        probe[index[cell]] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, probe])) == rank:
            found.add(cell)
    return found


def values_known(table) -> dict:
    return {cell: table.values[cell] for cell in table.cells if table.is_published(cell)}


def test_a_cell_needs_three_shops_and_no_shop_above_85_percent():
    assert not passes_primary({1: shop(5, 500), 2: shop(5, 500)}, measures=MEASURES)
    assert passes_primary({1: shop(5, 500), 2: shop(5, 500), 3: shop(5, 500)}, measures=MEASURES)
    # 900 of 1,040 cents is 86.5 %: one shop dominates the sales.
    assert not passes_primary({1: shop(1, 900), 2: shop(1, 70), 3: shop(1, 70)}, measures=MEASURES)
    assert passes_primary({1: shop(1, 850), 2: shop(1, 75), 3: shop(1, 75)}, measures=MEASURES)  # exactly 85 %
    # Shops that sold nothing do not count as contributors.
    assert not passes_primary({1: shop(3, 300), 2: shop(3, 300), 3: shop(0, 0)}, measures=MEASURES)


def test_differencing_the_street_total_does_not_give_away_the_lone_cheesemonger():
    # Rue A: three bakeries and one cheesemonger (primary: 1 shop). Rue B: three of each.
    cells = {
        ("A", "boulangerie"): {1: shop(10, 1000), 2: shop(12, 1100), 3: shop(9, 950)},
        ("A", "fromagerie"): {4: shop(7, 2300)},
        ("B", "boulangerie"): {5: shop(8, 800), 6: shop(8, 900), 7: shop(6, 700)},
        ("B", "fromagerie"): {8: shop(5, 500), 9: shop(4, 600), 10: shop(6, 650)},
    }
    table = table_protect(cells=cells, rows=["A", "B"], cols=["boulangerie", "fromagerie"], measures=MEASURES,
                          cost_measure="sales_cents")
    assert ("A", "fromagerie") in table.primary
    published = values_known(table)

    # The attack of the issue: the street's total minus its published cells.
    def by_difference(cell):
        street, trade = cell
        total, others = (street, TOTAL), [(street, c) for c in table.cols if c != trade]
        if total in published and all(o in published for o in others):
            return published[total]["sales_cents"] - sum(published[o]["sales_cents"] for o in others)
        column_total, others = (TOTAL, trade), [(r, trade) for r in table.rows if r != street]
        if column_total in published and all(o in published for o in others):
            return published[column_total]["sales_cents"] - sum(published[o]["sales_cents"] for o in others)
        return None

    assert by_difference(("A", "fromagerie")) is None
    assert attack(table) == set(), "a suppressed cell can be recomputed from the published ones"
    assert len(table.secondary) >= 1


cells_strategy = st.dictionaries(
    keys=st.tuples(st.sampled_from(["A", "B", "C", "D"]), st.sampled_from(["t1", "t2", "t3"])),
    values=st.dictionaries(
        keys=st.integers(1, 40),
        values=st.builds(shop, st.integers(0, 30), st.integers(0, 50_000)),
        max_size=6,
    ),
    min_size=1,
)


@settings(max_examples=300, deadline=None)
@given(cells=cells_strategy)
def test_whatever_the_table_published_cells_pass_the_rule_and_no_suppressed_cell_can_be_recomputed(cells):
    # A shop belongs to one cell: keep each shop id in the first cell that names it.
    seen, clean = set(), {}
    for cell, shops in sorted(cells.items()):
        clean[cell] = {s: c for s, c in shops.items() if s not in seen}
        seen |= set(shops)
    rows = sorted({r for r, _c in clean})
    cols = sorted({c for _r, c in clean})

    table = table_protect(cells=clean, rows=rows, cols=cols, measures=MEASURES, cost_measure="sales_cents")

    assert attack(table) == set()
    for cell in table.cells:
        if table.is_published(cell):
            assert table.contributors[cell] >= 3
    published_sum = {c: v for c, v in values_known(table).items() if c[0] != TOTAL and c[1] != TOTAL}
    for (r, c), value in published_sum.items():
        assert value == {m: sum(s[m] for s in clean[(r, c)].values()) for m in MEASURES}
