"""Memory of the gunicorn workers, fresh and after the benchmark load, and what holds it.

    python bench/memory.py [--port 24310] [--duration 4] [--tracemalloc] [--workers N] ...

Starts gunicorn as bench/run.sh does (production settings, gunicorn.conf.py, 5,000 seeded
testbeds; DATABASE_URL and REDIS_URL from the environment, the database migrated and seeded
with bench/seed.py), reads each worker's resident memory from /proc/<pid>/status once the
workers are up, drives bench/loadgen.py against it, and reads it again. Then each worker is
asked (SIGUSR2, a handler installed after the worker starts, bench runs only) to write what it
holds: the largest kinds of live objects, the page cache's local copies, the template and
translation caches, tracemalloc's top lines when started with --tracemalloc (PYTHONTRACEMALLOC;
slower, and its own bookkeeping adds to the memory), and how much resident memory malloc gives
back when asked (malloc_trim): memory Python freed but glibc kept, fragmentation.

Variants to compare in one sitting: --threads, --workers, --arena-max (MALLOC_ARENA_MAX),
--no-preload, --cache off (every request renders: the worst case). Timings do not matter
here; sizes are per worker, in MB (VmRSS; RssAnon is the worker's own memory, RssFile the
shared code and files).

What it found (2026-12-01, 2 shared cores, 3 workers x 4 threads, 5,000 testbeds, 8 clients,
max_requests off; one run each, +-10 MB between workers and runs):

- fresh: 58 MB (one worker 66). Bare Django: 46; the rest is the portal's 1,100 modules.
- after load with the page cache (Redis, local copies): 74-75 MB. The local copies held
  0.2 MB (6 pages), so LOCAL_MAX_BYTES (then 32 MB, now 8 MB) is a ceiling the benchmark
  never nears.
- after load with every request rendered: 86-105 MB (threads 2: 84-95; MALLOC_ARENA_MAX=2:
  86-101, not a clear change). malloc_trim gives back only 3-6 MB and gc.collect nothing, so it
  is neither garbage nor glibc's arenas: it is the high-water mark of the renders that ran at
  once in the worker's threads, kept by Python's allocator for the next ones. The largest is
  the full GeoJSON: about 10 MB at its peak per build (tracemalloc: the rows, the feature dicts,
  the JSON text and its bytes for 1.4 MB of output), four threads at once.
- the code before the GeoJSON was built from values (5d300ef~1), every request rendered:
  144-212 MB, with 550,000-640,000 live objects (17,000 model instances per GeoJSON build in
  each thread) against 120,000-140,000 now. With the page cache: 78-98 MB.
"""

import argparse
import gc
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT_DIR = ROOT / "var" / "memory"


# Inside a worker -------------------------------------------------------------------------------


def status(pid="self") -> dict[str, float]:
    """VmRSS, RssAnon, RssFile, RssShmem of a process in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _sep, rest = line.partition(":")
        if key in {"VmRSS", "RssAnon", "RssFile", "RssShmem"}:
            values[key] = int(rest.split()[0]) / 1024
    return values


def holders() -> dict:
    """What this process holds, as far as Python can tell."""
    from django.template import engines
    from django.utils.translation import trans_real

    from sodertorn import cache

    found = {"rss": status()}
    counts = Counter(type(o).__name__ for o in gc.get_objects())
    found["objects"] = counts.most_common(12)
    found["gc_tracked"] = sum(counts.values())
    local = cache._local
    found["page_cache_local"] = {
        "entries": len(local.entries),
        "MB": round(local.size / 2**20, 2),
        "max_MB": local.max_bytes / 2**20,
    }
    templates = 0
    for engine in engines.all():
        for loader in getattr(getattr(engine, "engine", None), "template_loaders", []):
            templates += len(getattr(loader, "get_template_cache", {}))
    found["cached_templates"] = templates
    found["translation_catalogues"] = {
        lang: sum(len(part) for part in getattr(t._catalog, "_catalogs", [t._catalog]))
        for lang, t in getattr(trans_real, "_translations", {}).items()
    }
    found["modules"] = len(sys.modules)
    import tracemalloc

    if tracemalloc.is_tracing():
        snapshot = tracemalloc.take_snapshot()
        found["tracemalloc_MB"] = round(tracemalloc.get_traced_memory()[0] / 2**20, 1)
        found["tracemalloc_top"] = [
            f"{stat.size / 2**20:6.2f} MB  {stat.traceback}"
            for stat in snapshot.statistics("filename")[:15]
        ]
    gc.collect()
    found["rss_after_gc"] = status()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
        found["rss_after_malloc_trim"] = status()
    except OSError:
        pass
    return found


def install_report_handler(worker) -> None:
    """gunicorn's post_worker_init: SIGUSR2 writes holders() to var/memory/<pid>.json."""

    def report(_signum, _frame):
        path = REPORT_DIR / f"{os.getpid()}.json"
        try:
            found = holders()
        except Exception as error:  # a report must not end the worker
            found = {"error": repr(error)}
        path.write_text(json.dumps(found, indent=1))

    signal.signal(signal.SIGUSR2, report)


# The driver ------------------------------------------------------------------------------------


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def show(label: str, pids) -> None:
    for pid in pids:
        s = status(pid)
        print(
            f"  {label:10} worker {pid}: VmRSS {s['VmRSS']:6.1f} MB "
            f"(anon {s['RssAnon']:6.1f}, file {s['RssFile']:5.1f}, shmem {s['RssShmem']:4.1f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=24310)
    parser.add_argument("--duration", type=float, default=4.0, help="loadgen seconds per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--arena-max", type=int, help="MALLOC_ARENA_MAX for the workers")
    parser.add_argument("--no-preload", action="store_true")
    parser.add_argument(
        "--max-requests", type=int, default=0, help="0 (default): workers are never recycled"
    )
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument(
        "--cache",
        choices=["redis", "off"],
        default="redis",
        help="off: every request renders (the worst case for memory)",
    )
    parser.add_argument("--seed", type=int, default=5000, help="testbeds; 0: do not seed")
    args = parser.parse_args()

    py = str(ROOT / ".venv" / "bin" / "python")
    env = dict(os.environ)
    env.pop("DJANGO_DEBUG", None)
    env.update(
        DJANGO_SETTINGS_MODULE="sodertorn.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_ROOT=str(ROOT / "var" / "memory" / "static"),
        DJANGO_BENCH_CEILING="1",
        DJANGO_CACHE_KEY_PREFIX="sodertorn-memory",
        GUNICORN_ACCESSLOG="off",
        GUNICORN_LOGLEVEL="warning",
    )
    if "DATABASE_URL" not in env:
        raise SystemExit("DATABASE_URL: the benchmark's own PostgreSQL database")
    for name, value in (("GUNICORN_WORKERS", args.workers), ("GUNICORN_THREADS", args.threads)):
        if value:
            env[name] = str(value)
    env["GUNICORN_MAX_REQUESTS"] = str(args.max_requests)
    if args.cache == "off":
        env["DJANGO_PAGE_CACHE_SECONDS"] = "0"
    if args.arena_max:
        env["MALLOC_ARENA_MAX"] = str(args.arena_max)
    if args.tracemalloc:
        env["PYTHONTRACEMALLOC"] = "1"
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    for old in REPORT_DIR.glob("*.json"):
        old.unlink()

    def manage(*command):
        subprocess.run([py, *command], cwd=ROOT, env=env, check=True)

    manage("manage.py", "migrate", "--noinput", "-v0")
    if args.seed:
        manage("bench/seed.py", str(args.seed))
    manage("manage.py", "collectstatic", "--noinput", "-v0")

    # gunicorn.conf.py as it is, plus the report handler (this file, as a gunicorn hook).
    config = REPORT_DIR / "gunicorn.memory.py"
    config.write_text(
        f"exec(open({str(ROOT / 'gunicorn.conf.py')!r}).read())\n"
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from bench.memory import install_report_handler as post_worker_init\n"
        + ("preload_app = False\n" if args.no_preload else "")
    )
    with open(REPORT_DIR / "gunicorn.log", "w") as log:
        serve(args, env, py, config, log)


def serve(args, env, py, config, log) -> None:
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "sodertorn.wsgi", "-c", str(config)]
        + ["--bind", f"127.0.0.1:{args.port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit((REPORT_DIR / "gunicorn.log").read_text()) from None
                time.sleep(0.5)
        time.sleep(2)  # every worker booted
        pids = workers_of(server.pid)
        print(
            f"== gunicorn on {base}: {len(pids)} workers, threads "
            f"{env.get('GUNICORN_THREADS', 'default')}, MALLOC_ARENA_MAX "
            f"{env.get('MALLOC_ARENA_MAX', 'unset')}, preload {not args.no_preload}, "
            f"tracemalloc {args.tracemalloc}, page cache {args.cache}"
        )
        show("fresh", pids)
        load = subprocess.run(
            [py, "bench/loadgen.py", "--base", base, "--duration", str(args.duration)]
            + ["--concurrency", str(args.concurrency)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        print("\n".join("  " + line for line in load.stdout.splitlines()))
        after = workers_of(server.pid)
        if after != pids:
            print(
                f"  {len(set(pids) - set(after))} of the workers were replaced during the load "
                f"(max_requests {env.get('GUNICORN_MAX_REQUESTS', 'as gunicorn.conf.py')})"
            )
        pids = after
        show("after load", pids)
        for pid in pids:
            os.kill(pid, signal.SIGUSR2)
        for pid in pids:
            path = REPORT_DIR / f"{pid}.json"
            for _ in range(900):  # a tracemalloc snapshot takes a while
                if path.exists() and path.stat().st_size:
                    break
                time.sleep(0.2)
            report = json.loads(path.read_text())
            print(f"== worker {pid}: what it holds")
            if "error" in report:
                print(f"  report failed: {report['error']}")
                continue
            for key in ("page_cache_local", "cached_templates", "translation_catalogues"):
                print(f"  {key}: {report[key]}")
            print(f"  modules: {report['modules']}, gc-tracked objects: {report['gc_tracked']}")
            print(f"  largest kinds: {report['objects'][:8]}")
            print(
                f"  VmRSS {report['rss']['VmRSS']:.1f} MB, after gc.collect "
                f"{report['rss_after_gc']['VmRSS']:.1f}, after malloc_trim "
                f"{report.get('rss_after_malloc_trim', {}).get('VmRSS', float('nan')):.1f}"
            )
            for line in report.get("tracemalloc_top", []):
                print(f"    {line}")
            if "tracemalloc_MB" in report:
                print(f"  traced by Python: {report['tracemalloc_MB']} MB")
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
