"""Fault suite: nothing a resident was told is stored gets lost when a part fails.

Against real services started here and stopped by PID (tests/faultkit.py): the portal under
gunicorn with the production settings, Redis, a mail server that never answers, and on
PostgreSQL a cluster of its own. Each test drives a few seconds of load (public pages and
dialogue posts, each post with a text of its own), injects one fault, and checks:

* every acknowledged post (302 to the thank-you anchor) is in the database
  (acknowledged ⊆ stored);
* public pages do not answer 500 while the fault lasts (where the app can answer at all);
* no request hangs: every one is answered within the client's timeout.

Runs in `make test` on SQLite and on PostgreSQL (marker ``faults``; ``-m "not faults"`` leaves
it out). The figures of the last run are written to var/faults/figures-<vendor>.json, the
servers' logs to var/faults/logs-<vendor>/.
"""

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from . import faultkit as fk

pytestmark = [pytest.mark.each_database, pytest.mark.faults, pytest.mark.xdist_group("faults")]

VENDOR = "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"
FIGURES: dict[str, dict] = {}


@pytest.fixture(scope="module")
def workdir():
    path = Path(tempfile.mkdtemp(prefix="sodertorn-faults-"))
    yield path
    out = fk.ROOT / "var" / "faults"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"figures-{VENDOR}.json").write_text(json.dumps(FIGURES, indent=2, default=str))
    logs = out / f"logs-{VENDOR}"  # the servers' logs of the last run, for when a test fails
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir()
    for log in path.glob("*.log"):
        shutil.copy(log, logs / log.name)
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(workdir):
    """On PostgreSQL: a cluster of our own (it is restarted by one test)."""
    if VENDOR != "postgresql":
        yield None
        return
    if not (fk.PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL binaries not found in {fk.PG_BIN} (set FAULT_PG_BIN)")
    pg = fk.PostgresCluster()
    try:
        pg.init().start()
        yield pg
    finally:
        pg.remove()


@pytest.fixture(scope="module")
def template(workdir, cluster):
    return fk.DatabaseTemplate(VENDOR, workdir, cluster)


@pytest.fixture
def db(template):
    return template.copy()


@pytest.fixture
def started():
    """Every process and socket a test starts is stopped, by PID, whatever the test did."""
    items = fk.Started()
    yield items
    processes = [item for item in items.items if isinstance(item, fk.Service)]
    items.close()
    left = [f"{p.name} {p.pid}" for p in processes if p.alive()]
    assert not left, f"still running after the test: {left}"


def record(outcome: fk.Outcome) -> dict:
    figures = {k: v for k, v in outcome.figures.items() if k not in {"smtp_env", "smtp", "server"}}
    FIGURES[outcome.fault] = figures
    print(json.dumps(figures, default=str))
    return figures


def assert_nothing_acknowledged_was_lost(outcome: fk.Outcome) -> None:
    tally = outcome.tally
    assert tally.attempted, "the load sent no post at all"
    assert not outcome.lost, f"acknowledged but not stored: {sorted(outcome.lost)[:5]}"


def test_cache_killed_mid_run_pages_answer_and_every_post_is_stored(db, workdir, started):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    outcome = fk.cache_down(db, workdir, started)
    figures = record(outcome)
    assert_nothing_acknowledged_was_lost(outcome)
    tally = outcome.tally
    # No 500 and no failed form: the pages and the round page keep answering without Redis.
    assert not tally.page_errors, tally.page_errors
    # Every post is taken: the rate limit and the form stamp do not need the cache.
    assert tally.outcomes == {"ack": len(tally.attempted)}, tally.outcomes
    assert figures["stored"] == figures["attempted"]
    # The health check still passes (the database is fine) and reports the cache.
    assert outcome.notes["health"] == 200
    assert json.loads(outcome.notes["health_body"])["cache"] == "degraded"


def test_cache_hung_mid_run_posts_are_answered_promptly_and_stored(db, workdir, started):
    """Redis stopped (SIGSTOP): every call waits for the 1 s client timeout. Each post may
    wait for it once per pause of the page cache, not once per cache call."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    outcome = fk.cache_down(db, workdir, started, hang=True)
    record(outcome)
    assert_nothing_acknowledged_was_lost(outcome)
    tally = outcome.tally
    assert not tally.page_errors, tally.page_errors
    assert tally.outcomes == {"ack": len(tally.attempted)}, tally.outcomes
    assert tally.longest < 5, f"a request took {tally.longest:.1f} s with Redis hung"
    assert outcome.notes["health"] == 200
    assert json.loads(outcome.notes["health_body"])["cache"] == "degraded"


def test_smtp_hanging_posts_and_invitations_answer_fast_and_are_stored(db, workdir, started):
    outcome = fk.smtp_hanging(db, workdir, started)
    figures = record(outcome)
    tally = outcome.tally
    assert_nothing_acknowledged_was_lost(outcome)
    assert tally.outcomes == {"ack": len(tally.attempted)}, tally.outcomes
    # (The servers' SMTP timeout is 10 s: a post that waited for the mail server would show.)
    assert tally.longest < 5, f"a post took {tally.longest:.1f} s with the mail server hung"
    assert figures["invitations_acknowledged"] == figures["invitations"]
    assert figures["invitations_stored"] == figures["invitations"]
    assert figures["slowest_invitation_s"] < 5
    # The worker gave up on the silent server (SMTP timeout) instead of hanging, and every
    # mail is kept as a failed task with the timeout in its traceback (visible in the admin).
    assert figures["worker_exit"] == 0
    assert figures["worker_seconds"] < 20
    sent_by_worker = 1 + figures["invitations"]  # the moderators' notice and the invitations
    assert figures["mail_tasks"] == {"FAILED": sent_by_worker}, figures["mail_tasks"]
    assert figures["mail_tasks_timed_out"] == sent_by_worker
    assert figures["smtp_connections"] >= sent_by_worker
    # … and the health check says so, without failing.
    assert figures["health"] == 200
    assert json.loads(figures["health_body"])["mail"] == "degraded"


@pytest.mark.skipif(
    VENDOR != "postgresql",
    reason="PostgreSQL-specific: restarts a PostgreSQL server (SQLite has none to restart)",
)
def test_database_restarted_mid_load_loses_no_acknowledged_post(db, cluster, workdir, started):
    outcome = fk.database_restart(db, cluster, workdir, started)
    record(outcome)
    assert_nothing_acknowledged_was_lost(outcome)
    tally, notes = outcome.tally, outcome.notes
    # No request hangs: each was answered (or refused) within the client's timeout.
    assert "timeout" not in tally.outcomes and "timeout" not in tally.page_errors, tally.outcomes
    # While the database is down, pages and posts answer 503 with Retry-After, never 500.
    assert "500" not in tally.page_errors, tally.page_errors
    assert "http 500" not in tally.outcomes, tally.outcomes
    # The app reconnects by itself (CONN_HEALTH_CHECKS): healthy, pages and posts work again.
    assert notes["recovered_after_s"] is not None, "the health check never recovered"
    assert set(notes["pages_after"].values()) == {"200"}, notes["pages_after"]
    assert notes["post_after"] == "ack" and notes["post_after_stored"]


def test_app_server_killed_mid_load_loses_no_acknowledged_post(db, workdir, started):
    outcome = fk.app_server_killed(db, workdir, started)
    record(outcome)
    assert_nothing_acknowledged_was_lost(outcome)
    tally, notes = outcome.tally, outcome.notes
    assert not notes["killed_alive"]
    # Only the dead server's connections failed; nothing answered 500.
    assert set(tally.page_errors) <= {"connection"}, tally.page_errors
    assert not {o for o in tally.outcomes if o.startswith("http 5")}, tally.outcomes
    assert set(notes["survivor_pages"].values()) == {"200"}, notes["survivor_pages"]
    assert tally.outcomes.get("ack", 0) > 0
