#!/usr/bin/env bash
# Benchmark: the portal under gunicorn with production settings, 5,000 testbeds in PostgreSQL,
# driven from a second process over loopback. `make bench` runs it; it is not part of
# `make test`. Everything stays on 127.0.0.1 and every run is bounded in time.
#
#   BENCH_DURATION   seconds measured per page (default 10)
#   BENCH_CONCURRENCY concurrent connections (default 8)
#   BENCH_TESTBEDS   bulk testbeds to seed (default 5000)
#   BENCH_PORT       port on 127.0.0.1 (default 18765; must be free)
#   BENCH_CACHE      "redis" (default when 127.0.0.1:6379 answers), "locmem" or "off"
#   GUNICORN_WORKERS, GUNICORN_THREADS  as in gunicorn.conf.py
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${BENCH_PORT:-18765}
DB=sodertorn_bench
[ -x .venv/bin/gunicorn ] || make -s install

# PostgreSQL at 127.0.0.1:5432 and the benchmark database.
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"

# Production settings: DEBUG off, a random secret, only loopback, plain http on loopback.
unset DJANGO_DEBUG
export DJANGO_SETTINGS_MODULE=sodertorn.settings
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DJANGO_SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0
export DJANGO_STATIC_ROOT="$PWD/var/bench/static"
export DJANGO_BENCH_CEILING=1
export GUNICORN_ACCESSLOG=off GUNICORN_LOGLEVEL=warning

cache=${BENCH_CACHE:-}
if [ -z "$cache" ]; then
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then cache=redis; else cache=locmem; fi
fi
case "$cache" in
  redis)  export REDIS_URL=redis://127.0.0.1:6379/14 DJANGO_CACHE_KEY_PREFIX=sodertorn-bench ;;
  locmem) unset REDIS_URL ;;
  off)    unset REDIS_URL; export DJANGO_PAGE_CACHE_SECONDS=0 ;;
  *) echo "BENCH_CACHE: redis, locmem or off" >&2; exit 2 ;;
esac

echo "== preparing: migrate, seed ${BENCH_TESTBEDS:-5000} testbeds, collectstatic"
$PY manage.py migrate --noinput -v0
$PY bench/seed.py "${BENCH_TESTBEDS:-5000}"
$PY manage.py collectstatic --noinput -v0

if $PY -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null; then
  echo "127.0.0.1:$PORT is taken: set BENCH_PORT to a free port" >&2; exit 2
fi
echo "== gunicorn on 127.0.0.1:$PORT (cache: $cache; $(nproc) cores)"
mkdir -p var/bench
.venv/bin/gunicorn sodertorn.wsgi -c gunicorn.conf.py --bind "127.0.0.1:$PORT" \
  >var/bench/gunicorn.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  $PY -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/healthz', timeout=2)" \
    2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat var/bench/gunicorn.log; exit 1; }
  sleep 0.5
done
grep -E "Using worker|Booting worker" var/bench/gunicorn.log | head -3 || true

echo "== load"
$PY bench/loadgen.py --base "http://127.0.0.1:$PORT" \
  --duration "${BENCH_DURATION:-10}" --concurrency "${BENCH_CONCURRENCY:-8}"
