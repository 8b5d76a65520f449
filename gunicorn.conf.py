"""Gunicorn settings for the portal, read from the environment.

    gunicorn sodertorn.wsgi -c gunicorn.conf.py

(Gunicorn also reads ./gunicorn.conf.py by itself when started from the project folder.)
See docs/deploy.md for the whole set-up and bench/ for how these defaults were measured.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


# Behind a load balancer or reverse proxy: GUNICORN_BIND=0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Processes x threads. Threads (gthread worker) keep connections alive and overlap waiting on
# PostgreSQL and Redis; processes use the cores. Defaults: one process per core plus one,
# four threads each (bench/ measured this on 2 cores).
_cores = os.cpu_count() or 1
workers = _int("GUNICORN_WORKERS", _cores + 1)
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"

# A worker whose main loop is silent for this long is restarted. With thread workers this does
# NOT end a long request (it runs in its own thread while the main loop goes on): the request
# time limit is Django's, DJANGO_REQUEST_TIMEOUT (25 s, sodertorn/deadline.py), with
# PostgreSQL's statement_timeout for queries (sodertorn/wsgi.py). Keep this above it.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive connections are closed after this; keep it longer than the load balancer's
# own idle timeout (AWS ALB: 60 s) so the balancer, not Gunicorn, closes them.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# Memory (bench/memory.py, 5,000 testbeds, 3 workers x 4 threads): a worker starts at about
# 58 MB and stays at about 75 MB after the benchmark load with the page cache, 85-105 MB with
# every request rendered; it does not grow with the number of requests served. What it holds
# above the fresh worker is the peak of the renders running at once in its threads (the full
# GeoJSON: about 10 MB for each build), which Python and malloc keep for the next one.
# Recycling is only a safety net against a leak: every 50,000 requests, with jitter so that
# the workers do not restart together. (At 5,000, a worker was replaced every few seconds
# under the benchmark, each replacement starting cold.) GUNICORN_MAX_REQUESTS=0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 50_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 5_000)

# Load Django once before forking: faster start, shared memory. Database connections are
# opened per worker on first use (CONN_MAX_AGE keeps them).
preload_app = True
# Heartbeat files in memory, not on a possibly slow disk.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Request bodies: Django limits uploads itself; these bound the request line and headers.
limit_request_line = 8190
limit_request_fields = 100

# X-Forwarded-Proto (wsgi.url_scheme) is trusted only from these proxy addresses or networks:
# by default the same proxies Django trusts (DJANGO_TRUSTED_PROXIES), else only loopback.
_forwarded = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or os.environ.get(
    "DJANGO_TRUSTED_PROXIES", ""
)
forwarded_allow_ips = (
    ",".join(part.strip() for part in _forwarded.split(",") if part.strip()) or "127.0.0.1,::1"
)

# Logs to stdout/stderr for the process manager. GUNICORN_ACCESSLOG=off silences the
# access log (the load balancer usually keeps one).
_access = os.environ.get("GUNICORN_ACCESSLOG", "-")
accesslog = None if _access.lower() in {"", "0", "off", "none"} else _access
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "sodertorn"

# The runtime control socket (gunicornc) is not used.
control_socket_disable = True
