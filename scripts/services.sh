#!/usr/bin/env bash
# Make sure the local services the test suite needs are up: PostgreSQL and
# Redis (started when installed but stopped), and Debian's Chromium for the
# browser tests (installed with apt when missing and we are root), and axe-core from
# the npm registry (npm ci, the version package-lock.json pins) for the accessibility audit.
# Fails with one clear sentence when a service is missing; never skips.
set -uo pipefail
cd "$(dirname "$0")/.."

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}

fail() { echo "Halle : $*" >&2; exit 1; }
can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() {
  can_apt || return 1
  if [ ! -f /var/lib/apt/periodic/halle-updated ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
    apt-get update -qq >/dev/null && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/halle-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_up() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null || (exec 3<>"/dev/tcp/$PGHOST/$PGPORT") 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

# --- PostgreSQL
if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n1)
    echo "Démarrage de PostgreSQL $version…"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
  pg_up || fail "PostgreSQL ne répond pas sur $PGHOST:$PGPORT et n'a pas pu être démarré (installez-le : apt-get install postgresql)."
fi

# --- Redis
if ! redis_up; then
  if command -v redis-server >/dev/null; then
    echo "Démarrage de Redis…"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  fi
  redis_up || fail "Redis ne répond pas sur 127.0.0.1:$REDIS_PORT et n'a pas pu être démarré (installez-le : apt-get install redis-server)."
fi

# --- Chromium for the browser tests
if [ ! -x /usr/bin/chromium ]; then
  echo "Installation de Chromium (Debian)…"
  apt_install chromium || fail "Chromium est absent (/usr/bin/chromium) : installez-le avec « apt-get install chromium »."
fi
# --- axe-core (npm registry, pinned in package-lock.json) for the accessibility audit
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  command -v npm >/dev/null || apt_install npm || fail "npm est absent : installez Node.js et npm (apt-get install npm)."
  echo "Installation d'axe-core (npm ci)…"
  npm ci --no-audit --no-fund >/dev/null || fail "npm ci a échoué : axe-core n'a pas pu être installé depuis le registre npm."
fi
echo "Services prêts : PostgreSQL ($PGHOST:$PGPORT), Redis (127.0.0.1:$REDIS_PORT), Chromium, axe-core."
