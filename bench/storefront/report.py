"""Summarise a storefront benchmark run: Halle against plain Oscar, page by page.

    python bench/storefront/report.py run.jsonl

Reads the JSON lines the peer's run.sh printed (one per page, round and
server) and prints a Markdown table: medians over the rounds of requests/s,
p50 and p99 latency for each server, the median of the per-round ratios
Halle/Oscar (each ratio from two measures taken one right after the other),
and the SQL queries of a warm request (cold in brackets when different).
"""
from __future__ import annotations

import json
import statistics
import sys

PAGES = ["home", "category", "product", "search", "basket_add", "basket"]


def rows_of(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.startswith('{"url"')]


def _queries(row: dict) -> str:
    warm, cold = row.get("queries"), row.get("queries_cold")
    if warm is None:
        return "-"
    return f"{warm}" if cold in (None, warm) else f"{warm} ({cold})"


def _rps(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def table(rows: list[dict]) -> list[str]:
    out = [
        "| page | Oscar req/s | Halle req/s | Halle/Oscar | Oscar p50 / p99 ms | Halle p50 / p99 ms "
        "| Oscar SQL | Halle SQL |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label in PAGES:
        halle = [r for r in rows if r["label"] == label and r["profile"] == "target"]
        oscar = [r for r in rows if r["label"] == label and r["profile"] != "target"]
        if not halle or not oscar:
            continue
        ratios = []
        for h in halle:
            peer = next((o for o in oscar if o["round"] == h["round"]), None)
            if peer and peer["rps"]:
                ratios.append(h["rps"] / peer["rps"])

        def med(items, key):
            return statistics.median(r[key] for r in items)

        bad = sum(r["unexpected_status"] + r["socket_errors"] for r in halle + oscar)
        out.append(
            f"| {label} | {_rps(med(oscar, 'rps'))} | {_rps(med(halle, 'rps'))} | "
            f"**{statistics.median(ratios):.2f}×** (min {min(ratios):.2f}) | "
            f"{med(oscar, 'p50_ms'):.0f} / {med(oscar, 'p99_ms'):.0f} | "
            f"{med(halle, 'p50_ms'):.0f} / {med(halle, 'p99_ms'):.0f} | "
            f"{_queries(oscar[0])} | {_queries(halle[0])} |" + (f" ⚠ {bad} bad answers" if bad else "")
        )
    rounds = max((r["round"] for r in rows), default=0)
    out.append("")
    out.append(f"{rounds} rounds; SQL: warm request (cold in brackets when different).")
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print("\n".join(table(rows_of(sys.argv[1]))))
