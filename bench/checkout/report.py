#!/usr/bin/env python3
"""Tables from a bench/checkout run (JSON lines written by run.sh): medians over rounds, ratios."""
from __future__ import annotations

import json
import statistics
import sys


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main(path: str) -> None:
    rows = [json.loads(line) for line in open(path) if line.strip()]
    loads = [r for r in rows if r.get("bench") in ("oscar_checkout", "halle_checkout")]
    rounds = sorted({r["round"] for r in loads})
    print("\n## Checkout throughput (8 shoppers, 2 sync workers, 60 s measured per side and round)\n")
    print("| round | Oscar orders/s | Halle orders/s | Halle/Oscar | Oscar checkout p50 / p99 ms | "
          "Halle checkout p50 / p99 ms | Oscar place-order p50 / p99 ms | Halle place-order p50 / p99 ms | "
          "errors O / H | Halle DB check |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    ratios = []
    for rnd in rounds:
        o = next((r for r in loads if r["round"] == rnd and r["side"] == "oscar"), None)
        h = next((r for r in loads if r["round"] == rnd and r["side"] == "halle"), None)
        if not (o and h):
            continue
        ratio = h["orders_per_s"] / o["orders_per_s"] if o["orders_per_s"] else None
        ratios.append(ratio)
        print(f"| {rnd} | {o['orders_per_s']} | {h['orders_per_s']} | **{ratio:.2f}×** | "
              f"{o['checkout_p50_ms']} / {o['checkout_p99_ms']} | {h['checkout_p50_ms']} / {h['checkout_p99_ms']} | "
              f"{o['place_order_p50_ms']} / {o['place_order_p99_ms']} | "
              f"{h['place_order_p50_ms']} / {h['place_order_p99_ms']} | {o['errors']} / {h['errors']} | "
              f"{'consistent' if h['db_check']['consistent'] else 'INCONSISTENT ' + json.dumps(h['db_check'])} |")
    o_all = [r for r in loads if r["side"] == "oscar"]
    h_all = [r for r in loads if r["side"] == "halle"]
    if o_all and h_all:
        print(f"\nMedians: Oscar ({o_all[0].get('mode')}) {med([r['orders_per_s'] for r in o_all])} orders/s, "
              f"Halle {med([r['orders_per_s'] for r in h_all])} orders/s; median of the per-round ratios "
              f"**{med(ratios):.2f}×** (min {min(ratios):.2f}).")
        h, o = h_all[-1], o_all[-1]
        print(f"SQL queries (test client, warm): place-order POST Oscar {o['place_order_queries']}, "
              f"Halle {h['place_order_queries']} (+ {h['slot_hold_queries']} in the slot POST that holds the "
              f"slot and the unit); whole checkout (add to basket … thank-you) Oscar {o['checkout_queries']}, "
              f"Halle {h['checkout_queries']}.")
        print("\n| Halle step | SQL | p50 / p99 ms (last round) |\n|---|---:|---:|")
        for step in h["queries"]["steps"]:
            s = h["steps"].get(step["step"], {})
            print(f"| {step['step']} | {step['queries']} | {s.get('p50_ms')} / {s.get('p99_ms')} |")
    rush_h = next((r for r in rows if r.get("bench") == "halle_rush"), None)
    rush_o = next((r for r in rows if r.get("bench") == "oscar_oversell"), None)
    if rush_h:
        print(f"\n## Last-units rush ({rush_h['shoppers']} shoppers, {rush_h['stock']} units, 3 rounds per size)\n")
        print("| gunicorn sync workers | Halle orders per round | Halle num_allocated / stock | Halle refused (sold out) "
              "| Halle 5xx | Oscar orders per round |")
        print("|---:|---|---|---|---:|---|")
        by_w = {}
        for r in rush_h["rounds"]:
            by_w.setdefault(r["workers"], []).append(r)
        oscar_w = {c["workers"]: c["orders_per_round"] for c in (rush_o or {}).get("configs", [])}
        for w, rs in by_w.items():
            print(f"| {w} | {', '.join(str(r['orders']) for r in rs)} | "
                  f"{', '.join(str(r['num_allocated']) + '/' + str(r['num_in_stock']) for r in rs)} | "
                  f"{', '.join(str(r['outcomes'].get('refused_sold_out', 0)) for r in rs)} | "
                  f"{sum(r['http_5xx'] for r in rs)} | {', '.join(map(str, oscar_w.get(w, []))) or '—'} |")


if __name__ == "__main__":
    main(sys.argv[1])
