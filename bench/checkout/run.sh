#!/usr/bin/env bash
# Checkout benchmark: Halle's click-and-collect checkout with slot booking against plain
# django-oscar's full guest checkout, interleaved in the same run; then the last-units
# rush against Halle with 2, 8 and 16 gunicorn workers (and the peer's own rush).
#
#   bash bench/checkout/run.sh        (as root; the peer's setup.sh must have run once)
#
# 1. a PostgreSQL database for Halle ($BENCH_DB), migrated, loaded with the peer's data
#    set (bench/storefront/dataset.py: the peer's own seeded generator), plus the town
#    point and a week of one-hour slots (halle_checkout.py setup);
# 2. $ROUNDS times: the peer's checkout.sh (--mode $PEER_MODE, its gunicorn on 8801),
#    then Halle's (gunicorn on $BENCH_PORT), same shoppers, warm-up and duration;
# 3. the rush: 50 shoppers for the last 5 units, 3 rounds per gunicorn size, on Halle
#    (WORKERS) and on the peer (oversell.sh, PEER_RUSH=1);
# 4. report.py prints the tables (medians over rounds, ratio Halle/Oscar).
# Knobs: ROUNDS=3 DURATION=60 WARMUP=5 SHOPPERS=8 PEER_MODE=pickup WORKERS=2,8,16 PEER_RUSH=1
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
export PEER_BENCH=${PEER_BENCH:-$REPO/../shared/bench/oscar_peer}
PEER_ROOT=${PEER_ROOT:-/tmp/oscar-peer}
export BENCH_WORK=${BENCH_WORK:-/tmp/halle-bench-checkout}
PORT=${BENCH_PORT:-8803}
BENCH_DB=${BENCH_DB:-halle_bench_checkout}
PY=${PY:-$REPO/.venv/bin/python}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-5}
SHOPPERS=${SHOPPERS:-8}
PEER_MODE=${PEER_MODE:-pickup}
WORKERS=${WORKERS:-2,8,16}
PEER_RUSH=${PEER_RUSH:-1}

[ -f "$PEER_BENCH/checkout.sh" ] || { echo "checkout.sh du pair Oscar introuvable : PEER_BENCH=$PEER_BENCH" >&2; exit 1; }
[ -x "$PEER_ROOT/venv/bin/gunicorn" ] || { echo "lancez d'abord (en root) : bash $PEER_BENCH/setup.sh" >&2; exit 1; }
# shellcheck source=../halle_env.sh
. "$REPO/bench/halle_env.sh"
halle_bench_env "$BENCH_WORK" "$BENCH_DB" 10 halle-bench-checkout
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
# The peer's scripts run with a clean environment (their own settings and database).
peer() { env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 "$@"; }
bench_database_ensure
# The card payment of each checkout goes to the local Stripe server (as in the demo).
STRIPE_PORT=${BENCH_STRIPE_PORT:-8478}
"$PY" -m marketplace.payments.devserver --port "$STRIPE_PORT" >"$BENCH_WORK/logs/stripe-devserver.log" 2>&1 &
stripe_pid=$!
trap 'kill "$stripe_pid" 2>/dev/null || true' EXIT
export STRIPE_API_BASE=http://127.0.0.1:$STRIPE_PORT
say "migrate, collectstatic, data set, slots"
"$PY" "$REPO/manage.py" migrate --noinput -v0
"$PY" "$REPO/manage.py" collectstatic --noinput -v0
"$PY" "$REPO/bench/storefront/dataset.py" >&2
"$PY" "$HERE/halle_checkout.py" setup

OUT=$BENCH_WORK/run-$(date -u +%Y%m%dT%H%M%SZ).jsonl
: >"$OUT"
for round in $(seq 1 "$ROUNDS"); do
  say "round $round/$ROUNDS: Oscar checkout.sh --mode $PEER_MODE"
  peer SHOPPERS="$SHOPPERS" DURATION="$DURATION" WARMUP="$WARMUP" bash "$PEER_BENCH/checkout.sh" --mode "$PEER_MODE" \
    | sed "s/^{/{\"side\": \"oscar\", \"round\": $round, /" >>"$OUT"
  say "round $round/$ROUNDS: Halle"
  "$PY" "$HERE/halle_checkout.py" load --shoppers "$SHOPPERS" --duration "$DURATION" --warmup "$WARMUP" \
    --workers 2 --port "$PORT" | sed "s/^{/{\"side\": \"halle\", \"round\": $round, /" >>"$OUT"
done
say "rush on Halle (workers $WORKERS)"
"$PY" "$HERE/halle_checkout.py" rush --workers-list "$WORKERS" --port "$PORT" \
  | sed 's/^{/{"side": "halle", /' >>"$OUT"
if [ "$PEER_RUSH" = "1" ]; then
  say "rush on Oscar (oversell.sh, workers $WORKERS)"
  peer WORKERS="$WORKERS" bash "$PEER_BENCH/oversell.sh" | sed 's/^{/{"side": "oscar", /' >>"$OUT"
fi
"$PY" "$HERE/halle_checkout.py" reset
echo
echo "Checkout, Halle vs plain Oscar 4.2.1 ($(date -u +%Y-%m-%d), $(nproc) CPU $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo))"
"$PY" "$HERE/report.py" "$OUT"
say "raw rows: $OUT"
