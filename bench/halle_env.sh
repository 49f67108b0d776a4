# Sourced by the benchmark scripts: Halle served as in production (bench_settings), against
# its own benchmark database, Redis database and work directory.
#   halle_bench_env WORK_DIR DATABASE REDIS_DB CACHE_PREFIX   (REPO must be set)
# Then: say MESSAGE (timestamped, to stderr) and bench_database_ensure (creates the database).
halle_bench_env() {
  local work=$1 db=$2 redis_db=$3 prefix=$4
  BENCH_DB=$db
  mkdir -p "$work/static" "$work/media" "$work/logs"
  export PYTHONPATH="$REPO:$REPO/bench/storefront${PYTHONPATH:+:$PYTHONPATH}"
  export DJANGO_SETTINGS_MODULE=bench_settings
  export DJANGO_SECRET_KEY=halle-benchmark-only-not-secret
  export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
  export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$db}
  export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/$redis_db}
  export CACHE_KEY_PREFIX=$prefix
  export CELERY_BROKER_URL=$REDIS_URL
  export DJANGO_STATIC_ROOT=$work/static
  export DJANGO_MEDIA_ROOT=$work/media
  export AWS_STORAGE_BUCKET_NAME=halle-bench  # required by production; bench_settings keeps media on disk
  export LOG_LEVEL=WARNING
}

T0=$(date +%s)
say() { printf '[halle %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*" >&2; }

bench_database_ensure() {
  if ! psql "${DATABASE_URL%/*}/postgres" -qtAc "SELECT 1 FROM pg_database WHERE datname='$BENCH_DB'" | grep -q 1; then
    say "creating database $BENCH_DB"
    psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE $BENCH_DB"
  fi
}
