#!/usr/bin/env bash
# The demo's servers: the local Stripe (localstripe + our Connect add-on) on
# 127.0.0.1:${STRIPE_PORT:-8420} and the demo's scheduled tasks (manage.py demo_beat,
# the beat schedule run in-process) in the background, then Django's runserver in the
# foreground. Both stop when runserver exits (Ctrl-C included).
# Usage: scripts/run_demo.sh [HOST:PORT]   (called by `make run`)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STRIPE_PORT=${STRIPE_PORT:-8420}
ADDRESS=${1:-127.0.0.1:8000}

mkdir -p var
"$PY" -m marketplace.payments.devserver --host 127.0.0.1 --port "$STRIPE_PORT" \
  --state-file var/stripe-devserver.pickle >var/stripe-devserver.log 2>&1 &
stripe_pid=$!
beat_pid=
stop_background() {
  kill $stripe_pid $beat_pid 2>/dev/null || true
  wait $stripe_pid $beat_pid 2>/dev/null || true
}
trap stop_background EXIT INT TERM

for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$STRIPE_PORT") 2>/dev/null && break
  kill -0 "$stripe_pid" 2>/dev/null || { echo "Halle : le serveur Stripe local n'a pas démarré (voir var/stripe-devserver.log)." >&2; exit 1; }
  sleep 0.1
done
echo "Stripe local sur http://127.0.0.1:$STRIPE_PORT (journal : var/stripe-devserver.log)"
export STRIPE_API_BASE=${STRIPE_API_BASE:-http://127.0.0.1:$STRIPE_PORT}
# Every demo shop gets a usable (local) Stripe account, so the whole demo sells.
"$PY" manage.py payments_local_accounts
# No broker, so no Celery beat: expired holds, reminders, late alerts, no-shows,
# card-hold settling and reconciliation run from this stand-in instead.
"$PY" manage.py demo_beat >var/demo-beat.log 2>&1 &
beat_pid=$!
echo "Tâches planifiées de la démo (journal : var/demo-beat.log)"
"$PY" manage.py runserver "$ADDRESS"
