#!/usr/bin/env bash
# Storefront benchmark: Halle against plain django-oscar, same data, same run.
#
#   bash bench/storefront/run.sh            (as root; the peer's setup.sh must have run once)
#
# 1. a PostgreSQL database for Halle ($BENCH_DB, over TCP), migrated, loaded with
#    the peer's data set (dataset.py: the peer's own seeded generator);
# 2. Halle under gunicorn on 127.0.0.1:$BENCH_PORT with the peer's server settings:
#    2 sync workers, DEBUG off, Redis cache, PostgreSQL over TCP (production settings,
#    plain HTTP);
# 3. the peer's run.sh in TARGET_SPEC mode: each page measured on Oscar (Whoosh
#    profile) then at once on Halle, $ROUNDS times; SQL queries per page from pages.py;
# 4. report.py prints the table (medians over rounds, ratio Halle/Oscar).
# Knobs: ROUNDS=3 DURATION=15 CONC=8 PEER_BENCH=<dir of the peer's run.sh>
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PEER_BENCH=${PEER_BENCH:-$REPO/../shared/bench/oscar_peer}
PEER_ROOT=${PEER_ROOT:-/tmp/oscar-peer}
WORK=${BENCH_WORK:-/tmp/halle-bench}
PORT=${BENCH_PORT:-8802}
BENCH_DB=${BENCH_DB:-halle_bench}
PY=${PY:-$REPO/.venv/bin/python}
export ROUNDS=${ROUNDS:-3}

[ -f "$PEER_BENCH/run.sh" ] || { echo "run.sh du pair Oscar introuvable : PEER_BENCH=$PEER_BENCH" >&2; exit 1; }
[ -x "$PEER_ROOT/venv/bin/gunicorn" ] || { echo "lancez d'abord (en root) : bash $PEER_BENCH/setup.sh" >&2; exit 1; }
# shellcheck source=../halle_env.sh
. "$REPO/bench/halle_env.sh"
halle_bench_env "$WORK" "$BENCH_DB" 9 halle-bench
bench_database_ensure
say "migrate, collectstatic"
"$PY" "$REPO/manage.py" migrate --noinput -v0
"$PY" "$REPO/manage.py" collectstatic --noinput -v0
say "data set"
"$PY" "$HERE/dataset.py" >&2
# Every run starts from the same state: no baskets, no sessions, an empty cache.
psql "$DATABASE_URL" -qc "TRUNCATE basket_basket, basket_line, basket_lineattribute, django_session RESTART IDENTITY CASCADE"
"$PY" -c "import django; django.setup(); from django.core.cache import cache; cache.clear()"

"$PY" "$HERE/pages.py" spec >"$WORK/spec.tsv"
say "counting SQL queries per page"
"$PY" "$HERE/pages.py" queries >"$WORK/queries.jsonl"
cat "$WORK/queries.jsonl" >&2

GPID=""
stop() { if [ -n "$GPID" ] && kill -0 "$GPID" 2>/dev/null; then kill -TERM "$GPID"; wait "$GPID" 2>/dev/null || true; fi; }
trap stop EXIT INT TERM
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then echo "port $PORT déjà utilisé" >&2; exit 1; fi
( cd "$REPO" && exec "$REPO/.venv/bin/gunicorn" marketplace.config.wsgi:application \
    --workers 2 --worker-class sync --bind "127.0.0.1:$PORT" \
    --error-logfile "$WORK/logs/gunicorn.log" --log-level warning ) &
GPID=$!
for _ in $(seq 1 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz/")" = "200" ] && break
  sleep 0.2
done
say "gunicorn up (pid $GPID)"

OUT=$WORK/run-$(date -u +%Y%m%dT%H%M%SZ).jsonl
TARGET_BASE=http://127.0.0.1:$PORT TARGET_SPEC=$WORK/spec.tsv TARGET_QUERIES=$WORK/queries.jsonl \
  PROFILES=whoosh TARGET_WITH=whoosh bash "$PEER_BENCH/run.sh" >"$OUT"
stop
echo
echo "Storefront, Halle vs plain Oscar 4.2.1 ($(date -u +%Y-%m-%d), $(nproc) CPU $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo))"
"$PY" "$HERE/report.py" "$OUT"
say "raw rows: $OUT"
