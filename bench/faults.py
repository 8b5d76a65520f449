"""Fault benchmark: is any acknowledged post lost when a part of the system fails?

    .venv/bin/python bench/faults.py            # about 2 minutes, stops by itself

Everything runs on 127.0.0.1, on ports of FAULT_PORTS (default 23200-23399), in processes this
script starts, tracks by PID and stops (also on Ctrl-C or an error):

* a PostgreSQL cluster of its own (initdb into a temporary folder; as the ``postgres`` OS user
  when run as root), its databases migrated and given an open dialogue round;
* gunicorn with the production settings (sodertorn.settings, collectstatic into a temporary
  folder, DEBUG off, a random secret key) and Redis as its cache (REDIS_URL);
* the load: --seconds (60) at --connections (64) over public pages and dialogue posts (each
  post with a text of its own); Redis is killed (SIGKILL) halfway.

Then the four faults of the fault suite (tests/test_faults.py), a few seconds each: cache
down, cache hung (SIGSTOP), SMTP hanging, the database restarted, an app server killed.

Prints requests, errors (5xx answers and failed connections), posts attempted, acknowledged,
stored and lost (acknowledged but not stored: must be 0), and a table per fault. Exits 1 if
any acknowledged post was lost.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import faultkit as fk  # noqa: E402


def percentile(values, fraction):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(fraction * len(values)) - 1))]


def main_run(template, workdir, started, seconds, connections):
    db = template.copy()
    redis = started.add(fk.Redis().start())
    server = started.add(
        fk.Gunicorn(
            fk.server_env(db.url, REDIS_URL=redis.url), workdir=workdir, label="bench",
            workers=int(os.environ.get("GUNICORN_WORKERS", (os.cpu_count() or 1) + 1)),
            threads=int(os.environ.get("GUNICORN_THREADS", 4)),
        ).start()
    )  # fmt: skip
    for path in fk.PUBLIC_PAGES:
        fk.get(server.port, path)
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    killed_at = []

    def kill_redis():
        killed_at.append(time.monotonic())
        redis.kill()
        print(f"  {seconds / 2:.0f} s: Redis killed (pid {redis.pid})", file=sys.stderr)

    print(f"== load: {seconds:g} s at {connections} connections", file=sys.stderr)
    began = time.monotonic()
    tally = fk.run_load(
        [server.port], seconds=seconds, threads=connections, prefix=prefix, post_share=0.3,
        timeout=10, events=[(seconds / 2, kill_redis)],
    )  # fmt: skip
    elapsed = time.monotonic() - began
    health = fk.get(server.port, "/healthz")[1].decode()
    stored = db.texts(prefix)
    return tally, stored, elapsed, health


def print_main(tally, stored, elapsed, health, seconds, connections):
    figures = tally.summary(stored)
    print(f"\nMain run — {seconds:g} s at {connections} connections, Redis killed halfway")
    print(f"  requests      {tally.requests:>8}  ({tally.requests / elapsed:.0f}/s)")
    print(f"  errors        {tally.errors:>8}  (5xx answers and failed connections)")
    for outcome, count in sorted({**tally.page_errors}.items()):
        print(f"    pages {outcome:<12}{count:>6}")
    for outcome, count in sorted(tally.outcomes.items()):
        print(f"    posts {outcome:<12}{count:>6}")
    print(f"  posts attempted    {figures['attempted']:>5}")
    print(f"  posts acknowledged {figures['acknowledged']:>5}")
    print(f"  posts stored       {figures['stored']:>5}")
    print(f"  posts lost         {figures['lost']:>5}  (acknowledged, not stored: must be 0)")
    print(f"  slowest request    {tally.longest:>5.1f} s")
    print(f"  /healthz after     {health}")


def fault_table(template, cluster, workdir, started):
    rows = []
    scenarios = [
        ("cache down", lambda: fk.cache_down(template.copy(), workdir, started, seconds=8,
                                             threads=16, kill_at=3)),
        ("cache hung", lambda: fk.cache_down(template.copy(), workdir, started, seconds=8,
                                             threads=16, kill_at=3, hang=True)),
        ("SMTP hanging", lambda: fk.smtp_hanging(template.copy(), workdir, started, posts=8,
                                                 invitations=3)),
        ("DB restart", lambda: fk.database_restart(template.copy(), cluster, workdir, started,
                                                   seconds=8, threads=16, restart_at=3)),
        ("app server killed", lambda: fk.app_server_killed(template.copy(), workdir, started,
                                                           seconds=8, threads=16, kill_at=3)),
    ]  # fmt: skip
    for name, scenario in scenarios:
        print(f"== fault: {name}", file=sys.stderr)
        try:
            outcome = scenario()
        except Exception as exc:  # one broken scenario must not hide the others
            rows.append((name, None, f"{type(exc).__name__}: {exc}"[:160]))
        else:
            rows.append((name, outcome, ""))
        finally:
            started.close()
    return rows


def print_table(rows):
    title = (
        f"{'fault':<20}{'attempted':>10}{'acked':>8}{'stored':>8}{'lost':>6}{'errors':>8}  notes"
    )
    print("\nPer fault\n" + title + "\n" + "-" * (len(title) + 30))
    for name, outcome, error in rows:
        if outcome is None:
            print(f"{name:<20}{'—':>10}{'—':>8}{'—':>8}{'—':>6}{'—':>8}  failed to run: {error}")
            continue
        f = outcome.figures
        shown = {"downtime_s", "recovered_after_s", "invitations_acknowledged",
                 "invitations_stored", "slowest_invitation_s", "login_error", "mail_tasks",
                 "mail_tasks_timed_out", "worker_seconds", "health"}  # fmt: skip
        notes = {
            k: round(v, 2) if isinstance(v, float) else v
            for k, v in outcome.notes.items()
            if k in shown and v not in ("", None)
        }
        notes["outcomes"] = f["outcomes"]
        print(
            f"{name:<20}{f['attempted']:>10}{f['acknowledged']:>8}{f['stored']:>8}{f['lost']:>6}"
            f"{f['errors']:>8}  {json.dumps(notes, ensure_ascii=False)}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--skip-faults", action="store_true", help="only the main run")
    args = parser.parse_args()
    if not (1 <= args.connections <= 64 and 1 <= args.seconds <= 120):
        raise SystemExit("connections 1..64, seconds 1..120")
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is not installed")

    workdir = Path(tempfile.mkdtemp(prefix="sodertorn-faultbench-"))
    started = fk.Started()
    cluster = fk.PostgresCluster()
    lost = 0
    try:
        print(f"== PostgreSQL cluster of our own on 127.0.0.1:{cluster.port}", file=sys.stderr)
        cluster.init().start()
        print("== collectstatic, migrate, an open dialogue round", file=sys.stderr)
        os.environ["FAULT_SETTINGS"] = "sodertorn.settings"  # production, not the test's
        os.environ["FAULT_STATIC_ROOT"] = str(workdir / "static")
        fk.manage(fk.server_env("sqlite:///" + str(workdir / "none.sqlite3")),
                  "collectstatic", "--noinput", "-v0")  # fmt: skip
        template = fk.DatabaseTemplate("postgresql", workdir, cluster)

        tally, stored, elapsed, health = main_run(
            template, workdir, started, args.seconds, args.connections
        )
        started.close()
        lost += tally.summary(stored)["lost"]
        rows = [] if args.skip_faults else fault_table(template, cluster, workdir, started)
        lost += sum(o.figures["lost"] for _n, o, _e in rows if o is not None)
        print_main(tally, stored, elapsed, health, args.seconds, args.connections)
        if rows:
            print_table(rows)
    finally:
        started.close()
        cluster.remove()
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
