#!/usr/bin/env bash
# Benchmark: issue 14's table in one run. The portal under gunicorn with production settings,
# 5,000 testbeds in PostgreSQL, Redis; bare Django beside it; nginx in front with the committed
# docs/nginx/sodertorn.conf; a second portal server sharing PostgreSQL and Redis; a third with
# the page cache off for the uncached rows. Load from wrk over loopback (bench/loadgen.py).
# `make bench` runs it; it is not part of `make test`. Everything stays on 127.0.0.1 and every
# run is bounded in time (about 9 minutes at the defaults).
#
#   BENCH_DURATION    seconds measured per row (default 10)
#   BENCH_CONCURRENCY concurrent connections (default 8)
#   BENCH_TESTBEDS    bulk testbeds to seed (default 5000)
#   BENCH_PORT        first of five ports on 127.0.0.1 (default 18765: portal; +1 second
#                     portal server; +2 portal without page cache; +3 bare Django; +4 nginx)
#   BENCH_DB          PostgreSQL database at 127.0.0.1:5432 (default sodertorn_bench)
#   BENCH_REDIS_URL   Redis database shared by the portal servers (default
#                     redis://127.0.0.1:6379/12, below the test suite's 15 and 14); Redis must answer
#   BENCH_NGINX       0: no nginx rows (default 1: installs Debian's nginx when missing)
#   GUNICORN_WORKERS, GUNICORN_THREADS  as in gunicorn.conf.py (every server alike)
#   BENCH_SERVE_ONLY  1: start everything, send no load, wait (Ctrl-C stops it all)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
BASE=${BENCH_PORT:-18765}
PORTAL=$BASE SECOND=$((BASE + 1)) UNCACHED=$((BASE + 2)) BARE=$((BASE + 3)) NGINX=$((BASE + 4))
DB=${BENCH_DB:-sodertorn_bench}
REDIS=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/12}
WITH_NGINX=${BENCH_NGINX:-1}
OUT=var/bench
[ -x .venv/bin/gunicorn ] || make -s install

# wrk drives every row; nginx is Debian's. Installed once, as .ci/run does for chromium.
need=()
command -v wrk >/dev/null || need+=(wrk)
[ "$WITH_NGINX" = 1 ] && ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ] && need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]} (apt-get)"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive \
         $SUDO apt-get install -y -qq "${need[@]}" >/dev/null; }
fi
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 2; }
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)

# PostgreSQL at 127.0.0.1:5432 and the benchmark database; Redis.
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"
# As docs/deploy.md advises for PostgreSQL on SSD storage (new connections read it).
psql -h 127.0.0.1 -U postgres -qc "ALTER DATABASE $DB SET random_page_cost = 1.1"
redis-cli -u "$REDIS" ping >/dev/null 2>&1 \
  || { echo "Redis does not answer at $REDIS (two app servers share it)" >&2; exit 2; }

# Production settings: DEBUG off, a random secret (the same on every server), only loopback,
# plain http on loopback, nginx on loopback trusted as the proxy.
unset DJANGO_DEBUG
export DJANGO_SETTINGS_MODULE=sodertorn.settings
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DJANGO_SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0
export DJANGO_TRUSTED_PROXIES=127.0.0.1,::1
export DJANGO_STATIC_ROOT="$PWD/$OUT/static"
export DJANGO_BENCH_CEILING=1
export REDIS_URL=$REDIS DJANGO_CACHE_KEY_PREFIX=sodertorn-bench
export GUNICORN_ACCESSLOG=off GUNICORN_LOGLEVEL=warning

for port in $PORTAL $SECOND $UNCACHED $BARE $NGINX; do
  if $PY -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then
    echo "127.0.0.1:$port is taken: set BENCH_PORT to the first of five free ports" >&2; exit 2
  fi
done

echo "== preparing: migrate, seed ${BENCH_TESTBEDS:-5000} testbeds, search index, collectstatic"
mkdir -p $OUT
$PY manage.py migrate --noinput -v0
$PY bench/seed.py "${BENCH_TESTBEDS:-5000}" | tee $OUT/seed.log
# bulk_create sends no signals: index what the seed added (and only then; it takes a while).
grep -q "^seed: 0 testbeds added" $OUT/seed.log || $PY manage.py rebuild_search_index -v0
$PY manage.py collectstatic --noinput -v0

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap "exit 143" INT TERM

# serve NAME PORT MODULE [VAR=value...]: gunicorn with gunicorn.conf.py, waiting until it answers.
serve() {
  local name=$1 port=$2 module=$3; shift 3
  env "$@" .venv/bin/gunicorn "$module" -c gunicorn.conf.py --bind "127.0.0.1:$port" \
    >"$OUT/$name.log" 2>&1 &
  pids+=($!)
}
wait_for() {
  local name=$1 url=$2 pid=$3
  for _ in $(seq 120); do
    $PY -c "import urllib.request as u; u.urlopen('$url', timeout=2)" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$OUT/$name.log"; exit 1; }
    sleep 0.5
  done
  echo "$name did not answer at $url" >&2; exit 1
}
PORTAL_SETTINGS=DJANGO_SETTINGS_MODULE=bench.portal.settings
serve portal $PORTAL sodertorn.wsgi $PORTAL_SETTINGS
serve second $SECOND sodertorn.wsgi $PORTAL_SETTINGS
serve uncached $UNCACHED sodertorn.wsgi $PORTAL_SETTINGS DJANGO_PAGE_CACHE_SECONDS=0
serve bare $BARE bench.bare.wsgi DJANGO_SETTINGS_MODULE=bench.bare.settings
names=(portal second uncached bare) ports=($PORTAL $SECOND $UNCACHED $BARE)
for i in 0 1 2 3; do
  path=/healthz; [ "${names[$i]}" = bare ] && path=/
  wait_for "${names[$i]}" "http://127.0.0.1:${ports[$i]}$path" "${pids[$i]}"
done
servers=(--server "portal=http://127.0.0.1:$PORTAL" --server "second=http://127.0.0.1:$SECOND"
         --server "uncached=http://127.0.0.1:$UNCACHED" --server "bare=http://127.0.0.1:$BARE")

if [ "$WITH_NGINX" = 1 ]; then
  rm -rf $OUT/nginx
  conf=$($PY bench/nginx_conf.py --upstream "127.0.0.1:$PORTAL" --listen "$NGINX" \
         --prefix $OUT/nginx --static "$DJANGO_STATIC_ROOT")
  "$NGINX_BIN" -t -q -p "$PWD/$OUT/nginx" -e "$PWD/$OUT/nginx/error.log" -c "$conf"
  "$NGINX_BIN" -p "$PWD/$OUT/nginx" -e "$PWD/$OUT/nginx/error.log" -c "$conf" &
  pids+=($!)
  wait_for nginx "http://127.0.0.1:$NGINX/healthz" "${pids[-1]}"
  servers+=(--server "nginx=http://127.0.0.1:$NGINX" --nginx-log "$OUT/nginx/cache-status.log")
fi
echo "== servers: portal :$PORTAL, second :$SECOND, uncached :$UNCACHED, bare :$BARE$(
  [ "$WITH_NGINX" = 1 ] && echo ", nginx :$NGINX") ($(nproc) cores; $(
  grep -m1 -oE "Using worker: \w+" $OUT/portal.log || echo "gthread"))"

if [ "${BENCH_SERVE_ONLY:-0}" = 1 ]; then echo "== serving until stopped"; wait; exit 0; fi
echo "== load"
status=0
$PY bench/loadgen.py "${servers[@]}" \
  --duration "${BENCH_DURATION:-10}" --concurrency "${BENCH_CONCURRENCY:-8}" || status=$?

# Resident memory of each server's workers after the load (issue 14, item 9: under 120 MB).
echo
for i in 0 1 2 3; do
  rss=$(ps -o rss= --ppid "${pids[$i]}" | awk '{printf "%s%.0f", sep, $1 / 1024; sep=", "}')
  echo "workers' memory after the load, ${names[$i]}: ${rss:-?} MB"
done
exit $status
