"""Statistical secrecy of a two-way table with its margins (pure: no database).

The rule (the national statistics office's business-secrecy rule): a cell is
published only if at least ``MIN_CONTRIBUTORS`` shops contribute to it and no
single shop makes more than ``MAX_SHARE`` of any of its measures (primary
suppression).

Secondary suppression. The table is published with its row totals, column
totals and grand total, so a suppressed cell alone in its row could be
recomputed by difference. More generally, with the totals published, the
suppressed cells are the unknowns of one linear equation per row and per column.
Flipping the sign of the total row and column, every row and every column sums
to zero, and the system is that of a bipartite graph (one vertex per row and per
column, incl. the totals; one edge per suppressed cell): a suppressed cell's
value can be recomputed exactly if and only if its edge is a *bridge* (lies on
no cycle). So complementary cells are suppressed, the cheapest first, until no
suppressed cell is a bridge. Cells with no shop at all (structural zeros, known
to anyone who reads the shops dataset) are neither published nor used as
complements.

The measures are additive (orders, sales in cents, multi-shop orders): one
suppression pattern protects them all, since they share the same equations.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

MIN_CONTRIBUTORS = 3
MAX_SHARE = Decimal("0.85")
TOTAL = "__total__"

#: A shop's contribution to a cell: measure name → value.
Contribution = Mapping[str, int]


@dataclass
class ProtectedTable:
    """Which cells of a table (incl. margins) may be published, and their values."""

    rows: list[str]
    cols: list[str]
    values: dict[tuple[str, str], dict[str, int]]
    contributors: dict[tuple[str, str], int]
    structural: set[tuple[str, str]] = field(default_factory=set)
    primary: set[tuple[str, str]] = field(default_factory=set)
    secondary: set[tuple[str, str]] = field(default_factory=set)

    @property
    def suppressed(self) -> set[tuple[str, str]]:
        return self.primary | self.secondary

    @property
    def cells(self) -> list[tuple[str, str]]:
        """Every cell that exists (has shops), margins included."""
        return [(r, c) for r in [*self.rows, TOTAL] for c in [*self.cols, TOTAL] if (r, c) not in self.structural]

    def is_published(self, cell: tuple[str, str]) -> bool:
        return cell not in self.structural and cell not in self.suppressed


def passes_primary(shops: Mapping[object, Contribution], *, measures: tuple[str, ...]) -> bool:
    """At least 3 contributing shops, none above 85 % of any measure of the cell."""
    active = {shop: c for shop, c in shops.items() if any(c.get(m, 0) for m in measures)}
    if len(active) < MIN_CONTRIBUTORS:
        return False
    for measure in measures:
        total = sum(max(c.get(measure, 0), 0) for c in active.values())
        if total and max(max(c.get(measure, 0), 0) for c in active.values()) > MAX_SHARE * total:
            return False
    return True


def table_protect(
    *, cells: Mapping[tuple[str, str], Mapping[object, Contribution]], rows: list[str], cols: list[str],
    measures: tuple[str, ...], cost_measure: str,
) -> ProtectedTable:
    """Protect the table whose inner cells ``cells`` map (row, col) to each contributing
    shop's measures; a (row, col) missing from ``cells`` has no shop (a structural zero)."""
    by_cell: dict[tuple[str, str], dict[object, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for (row, col), shops in cells.items():
        for target in ((row, col), (row, TOTAL), (TOTAL, col), (TOTAL, TOTAL)):
            by_cell[target]  # the cell exists even when its shops sold nothing
            for shop, contribution in shops.items():
                for measure in measures:
                    by_cell[target][shop][measure] += contribution.get(measure, 0)
    everything = [(r, c) for r in [*rows, TOTAL] for c in [*cols, TOTAL]]
    table = ProtectedTable(
        rows=list(rows), cols=list(cols),
        values={cell: {m: sum(s[m] for s in by_cell[cell].values()) for m in measures} for cell in everything},
        contributors={cell: sum(1 for s in by_cell[cell].values() if any(s.values())) for cell in everything},
        structural={cell for cell in everything if cell not in by_cell},
    )
    table.primary = {cell for cell in table.cells if not passes_primary(by_cell[cell], measures=measures)}
    _secondary(table, cost_measure)
    return table


def _graph(cells: set[tuple[str, str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for row, col in cells:
        graph[f"r:{row}"].add(f"c:{col}")
        graph[f"c:{col}"].add(f"r:{row}")
    return graph


def recomputable(cells: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The suppressed ``cells`` whose value the published ones determine exactly (the bridges)."""
    graph = _graph(cells)
    found = set()
    for row, col in cells:
        start, goal = f"r:{row}", f"c:{col}"
        seen, frontier = {start}, [start]
        reached = False
        while frontier and not reached:
            node = frontier.pop()
            for other in graph[node]:
                if {node, other} == {start, goal}:
                    continue  # the edge itself
                if other == goal:
                    reached = True
                    break
                if other not in seen:
                    seen.add(other)
                    frontier.append(other)
        if not reached:
            found.add((row, col))
    return found


def _secondary(table: ProtectedTable, cost_measure: str) -> None:
    real = set(table.cells)

    def cost(cell):
        return (0, 0) if cell in table.suppressed else (1, table.values[cell][cost_measure])

    while True:
        bridges = recomputable(table.suppressed)
        if not bridges:
            return
        row, col = min(bridges, key=lambda cell: (table.values[cell][cost_measure], cell))
        best = None
        for other_row in [*table.rows, TOTAL]:
            for other_col in [*table.cols, TOTAL]:
                if other_row == row or other_col == col:
                    continue
                square = [(row, other_col), (other_row, col), (other_row, other_col)]
                if any(cell not in real for cell in square):
                    continue
                price = tuple(map(sum, zip(*(cost(cell) for cell in square))))
                if price[0] and (best is None or (price, square) < best):
                    best = (price, square)
        if best is None:
            # No square closes a cycle through this cell: nothing in the table can be published.
            table.secondary |= real - table.primary
            return
        table.secondary |= set(best[1]) - table.primary
