"""Real services for the fault suite (tests/test_faults.py) and bench/faults.py.

Everything here starts a real process or socket on 127.0.0.1, on a port of FAULT_PORTS
(default 23200-23399), remembers it by PID and stops it by that PID: Redis, a PostgreSQL
cluster of its own (initdb into a temporary folder, run as the ``postgres`` OS user when we
are root), a mail server that accepts connections and never answers, gunicorn with the
production settings. Standard library only (and psycopg, already a dependency, to count rows).

A "resident" here is what a browser does: GET the round page (CSRF cookie and token, the
signed form stamp), then POST the form with a text no other post has, so that every
acknowledged post (302 to the thank-you anchor) can be looked for in the database.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import pwd
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_BIN = Path(os.environ.get("FAULT_PG_BIN", "/usr/lib/postgresql/15/bin"))
ROUND_SLUG = "felrunda"
ADMIN_USERNAME = "felkurator"
ADMIN_PASSWORD = "fault-suite-password-42"  # noqa: S105 (a throw-away test database)
_taken_ports: set[int] = set()
_ports_lock = threading.Lock()


# Ports and processes ---------------------------------------------------------------------------


def port_range() -> range:
    low, _, high = os.environ.get("FAULT_PORTS", "23200-23399").partition("-")
    return range(int(low), int(high) + 1)


def free_port() -> int:
    """A port of FAULT_PORTS that nothing listens on and that this process has not handed out."""
    ports = list(port_range())
    random.shuffle(ports)
    with _ports_lock:
        for port in ports:
            if port in _taken_ports:
                continue
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    continue
            _taken_ports.add(port)
            return port
    raise RuntimeError(f"no free port in {os.environ.get('FAULT_PORTS', '23200-23399')}")


def wait_for_port(port: int, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process {process.pid} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing answers on 127.0.0.1:{port} after {timeout:g} s")


class Service:
    """A process we started, in a process group of its own, stopped by its PID."""

    name = "service"
    stop_signal = signal.SIGTERM

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.log_path: Path | None = None

    def _spawn(self, args, *, env=None, user=None, cwd=None, log: Path | None = None):
        self.log_path = log
        # The child keeps its own copy of the descriptor; ours is closed below.
        out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                args,
                env=env,
                cwd=cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: workers die with it
                **({"user": user, "group": user, "extra_groups": []} if user else {}),
            )
        finally:
            if log:
                out.close()
        return self.process

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal_group(self, sig) -> None:
        """Signal the process and every child it forked (its own process group, by its PID)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """SIGKILL, as when a machine dies: no clean-up, no goodbye."""
        self.signal_group(signal.SIGKILL)
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)

    def stop(self, timeout: float = 5.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.signal_group(signal.SIGCONT)  # one that was made to hang (SIGSTOP)
            self.signal_group(self.stop_signal)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        # Workers left behind by a master that was killed first.
        self.signal_group(signal.SIGKILL)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


# Redis -----------------------------------------------------------------------------------------


class Redis(Service):
    name = "redis"

    def __init__(self, port: int | None = None):
        super().__init__()
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> Redis:
        binary = shutil.which("redis-server")
        if not binary:
            raise RuntimeError("redis-server is not installed")
        self._spawn(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ]
        )
        wait_for_port(self.port, 10, self.process)
        return self


# A mail server that never answers ------------------------------------------------------------


class HangingSMTP:
    """Accepts TCP connections on 127.0.0.1 and never sends a byte (no greeting): a mail
    server that hangs. Connections are held until stop()."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.accepted = 0
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._held: list[socket.socket] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> HangingSMTP:
        self._sock.bind(("127.0.0.1", self.port))
        self._sock.listen(64)
        self._sock.settimeout(0.2)
        self._thread.start()
        return self

    def _serve(self):
        while not self._stopped.is_set():
            try:
                conn, _addr = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self._held.append(conn)  # read nothing, write nothing

    def stop(self):
        self._stopped.set()
        self._thread.join(2)
        for conn in self._held:
            conn.close()
        self._sock.close()


# PostgreSQL cluster of our own -----------------------------------------------------------------


def _run_as() -> str | None:
    """PostgreSQL refuses to run as root: run it as the postgres OS user then."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise RuntimeError("running as root, but there is no postgres OS user") from exc
    return "postgres"


class PostgresCluster(Service):
    """initdb into a temporary folder, then ``postgres -D dir -p PORT -k dir`` on 127.0.0.1.
    restart() stops it the hard way (SIGQUIT: immediate shutdown, crash recovery on start)
    or the polite way, and starts it again on the same port."""

    name = "postgres"
    stop_signal = signal.SIGINT  # fast shutdown: no waiting for clients to leave

    def __init__(self, port: int | None = None):
        super().__init__()
        self.port = port or free_port()
        self.user = _run_as()
        self.dir = Path(tempfile.mkdtemp(prefix="sodertorn-faults-pg-"))
        self.data = self.dir / "data"
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.superuser = self.user or pwd.getpwuid(os.geteuid()).pw_name

    def url(self, database: str) -> str:
        return f"postgres://{self.superuser}@127.0.0.1:{self.port}/{database}"

    def init(self) -> PostgresCluster:
        subprocess.run(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "-U",
                self.superuser,
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            user=self.user,
            group=self.user,
            **({"extra_groups": []} if self.user else {}),
        )
        return self

    def start(self) -> PostgresCluster:
        # fsync off: a process crash (what the suite does) loses nothing with it, only a
        # machine crash would; it keeps set-up fast on a shared CI machine.
        self._spawn(
            [
                str(PG_BIN / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-k",
                str(self.dir),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=on",
                "-c",
                "max_connections=100",
            ],
            user=self.user,
            log=self.dir / "postgres.log",
        )
        self.wait_ready(20)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"postgres exited with {self.process.returncode}")
            ready = subprocess.run(
                [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
                check=False,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        raise TimeoutError("postgres did not become ready")

    def restart(self, *, immediate: bool = True) -> float:
        """Stop the postmaster (SIGQUIT immediate / SIGINT fast) and start it again; returns
        the seconds it was down."""
        started = time.monotonic()
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGQUIT if immediate else signal.SIGINT)
            self.process.wait(20)
        self.start()
        return time.monotonic() - started

    def psql(self, sql: str, database: str = "postgres") -> None:
        subprocess.run(
            [
                str(PG_BIN / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                self.superuser,
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-qc",
                sql,
            ],
            check=True,
            capture_output=True,
        )

    def remove(self) -> None:
        self.stop(10)
        shutil.rmtree(self.dir, ignore_errors=True)


# The portal's database: migrated once, then one copy per test --------------------------------


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of an app server or manage.py: production settings (DEBUG off, a
    random secret, loopback only, plain http), nothing inherited from the test run's own
    DATABASE_URL, REDIS_URL, DJANGO_* or GUNICORN_* variables."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "GUNICORN_", "PYTEST_"))
        and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE=os.environ.get("FAULT_SETTINGS", "tests.fault_settings"),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_DIALOGUE_MIN_SECONDS="0",
        DJANGO_DIALOGUE_RATE_LIMIT="1000000",
        # The curator logs in to the admin by password only: the second factor (on in
        # production) is tested in tests/test_staff_otp.py, not here.
        DJANGO_STAFF_OTP="0",
        DJANGO_LOG_LEVEL="ERROR",
        # No mail unless a test points the servers at a mail server of its own.
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        DATABASE_URL=database_url,
        PYTHONDONTWRITEBYTECODE="1",
    )
    if os.environ.get("FAULT_STATIC_ROOT"):  # bench/faults.py: collected static files
        env["DJANGO_STATIC_ROOT"] = os.environ["FAULT_STATIC_ROOT"]
    env.update(extra)
    return env


SETUP_SNIPPET = f"""
from django.contrib.auth.models import Group, Permission
from collaboration.tests.factories import ActorFactory
from dialogue.tests.factories import ModeratorFactory, RoundFactory
from ideagroups.tests.factories import IdeaGroupFactory
from sodertorn.tests.factories import UserFactory
from testbeds.tests.factories import TestbedFactory
testbed = TestbedFactory(title="Feltestbädd", slug="feltestbadd", published=True)
RoundFactory(testbed=testbed, slug="{ROUND_SLUG}", title="Felrunda")
ModeratorFactory(username="felmoderator", email="moderator@example.se")
admin = UserFactory(username="{ADMIN_USERNAME}", email="kurator@example.se",
                    is_staff=True, is_superuser=True)
admin.set_password("{ADMIN_PASSWORD}"); admin.save()
ActorFactory(name="Felaktören")
IdeaGroupFactory(name="Felgruppen")
"""


def manage(env: dict, *args: str, timeout: float = 120) -> None:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


@dataclass
class Database:
    """One copy of the migrated portal database the servers of one test share."""

    url: str
    vendor: str  # "sqlite" or "postgresql"

    def _pg(self):
        import psycopg

        return psycopg.connect(self.url.replace("postgres://", "postgresql://"), connect_timeout=5)

    def texts(self, prefix: str) -> set[str]:
        """The texts of every stored contribution that starts with prefix."""
        sql = "SELECT text FROM dialogue_contribution WHERE text LIKE %s"
        if self.vendor == "sqlite":
            path = self.url.removeprefix("sqlite:///")
            with contextlib.closing(sqlite3.connect(path, timeout=10)) as conn:
                rows = conn.execute(sql.replace("%s", "?"), [prefix + "%"]).fetchall()
        else:
            with self._pg() as conn:
                rows = conn.execute(sql, [prefix + "%"]).fetchall()
        return {row[0] for row in rows}

    def rows(self, sql: str) -> list[tuple]:
        if self.vendor == "sqlite":
            path = self.url.removeprefix("sqlite:///")
            with contextlib.closing(sqlite3.connect(path, timeout=10)) as conn:
                return conn.execute(sql).fetchall()
        with self._pg() as conn:
            return conn.execute(sql).fetchall()

    def scalar(self, sql: str):
        if self.vendor == "sqlite":
            path = self.url.removeprefix("sqlite:///")
            with contextlib.closing(sqlite3.connect(path, timeout=10)) as conn:
                return conn.execute(sql).fetchone()[0]
        with self._pg() as conn:
            return conn.execute(sql).fetchone()[0]


class DatabaseTemplate:
    """Migrates and fills one database (a SQLite file, or a database in our own PostgreSQL
    cluster) once; copy() gives each test a fresh database from it in well under a second."""

    def __init__(self, vendor: str, workdir: Path, cluster: PostgresCluster | None = None):
        self.vendor, self.workdir, self.cluster = vendor, workdir, cluster
        self.copies = 0
        if vendor == "sqlite":
            self.url = f"sqlite:///{workdir / 'template.sqlite3'}"
        else:
            assert cluster is not None
            cluster.psql("CREATE DATABASE faults_template")
            self.url = cluster.url("faults_template")
        # One process for both (a Django start-up less on a busy machine).
        migrate = "from django.core.management import call_command\n"
        migrate += "call_command('migrate', interactive=False, verbosity=0)\n"
        manage(server_env(self.url), "shell", "-c", migrate + SETUP_SNIPPET)

    def copy(self) -> Database:
        self.copies += 1
        if self.vendor == "sqlite":
            path = self.workdir / f"copy{self.copies}.sqlite3"
            # The backup API, not a file copy: in WAL mode the last writes may still be in the
            # -wal file beside it.
            source = sqlite3.connect(self.url.removeprefix("sqlite:///"))
            target = sqlite3.connect(path)
            with contextlib.closing(source), contextlib.closing(target):
                source.backup(target)
            return Database(f"sqlite:///{path}", "sqlite")
        name = f"faults_{self.copies}"
        # FILE_COPY, not PostgreSQL 15's default WAL_LOG: a sequence copied by WAL_LOG may hand
        # out numbers without logging them, so after the crash-restart of the restart test
        # it went back and inserts failed on duplicate ids (an artefact of the copy, not of
        # the portal: a database that was not created from a template does not do this).
        self.cluster.psql(f"CREATE DATABASE {name} TEMPLATE faults_template STRATEGY FILE_COPY")
        return Database(self.cluster.url(name), "postgresql")


# Gunicorn --------------------------------------------------------------------------------------


class Gunicorn(Service):
    name = "gunicorn"
    stop_signal = signal.SIGINT  # quick shutdown (SIGTERM would wait for keep-alive clients)

    def __init__(
        self,
        env: dict,
        *,
        workdir: Path,
        port: int | None = None,
        workers: int = 2,
        threads: int = 4,
        label: str = "gunicorn",
    ):
        super().__init__()
        self.port = port or free_port()
        self.label = label
        self.env = {
            **env,
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
            "GUNICORN_ACCESSLOG": "off",
            "GUNICORN_LOGLEVEL": "warning",
            "GUNICORN_TIMEOUT": env.get("GUNICORN_TIMEOUT", "30"),
        }
        self.workdir = workdir

    def start(self, timeout: float = 30) -> Gunicorn:
        self._spawn(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "sodertorn.wsgi",
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            env=self.env,
            cwd=ROOT,
            log=self.workdir / f"{self.label}-{self.port}.log",
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"gunicorn exited:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if get(self.port, "/healthz", timeout=2)[0] in (200, 503):
                    return self
            time.sleep(0.1)
        raise TimeoutError(f"gunicorn did not answer:\n{self.log_tail()}")


# HTTP: pages and residents' posts --------------------------------------------------------------


def get(port: int, path: str, *, timeout: float = 10, headers=None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_STARTED = re.compile(r'name="started" value="([^"]+)"|value="([^"]+)"[^>]*name="started"')


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def post_contribution(port: int, text: str, *, timeout: float = 10) -> str:
    """One resident's post: GET the round page, POST the form. Returns "ack" (302 to the
    thank-you anchor), "form" (the form GET failed: no post was sent), or what the POST
    gave instead ("http 500", "timeout", "connection")."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        try:
            conn.request("GET", f"/dialog/{ROUND_SLUG}/", headers={"Host": "127.0.0.1"})
            response = conn.getresponse()
            page = response.read().decode("utf-8", "replace")
            token, started = _CSRF.search(page), _STARTED.search(page)
            if response.status != 200 or not token or not started:
                return "form"
        except (OSError, http.client.HTTPException):
            return "form"
        cookies = _cookies(response)
        body = urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "started": started.group(1) or started.group(2),
                "kind": "proposal",
                "text": text,
                "name": "Felsökare",
                "area": "Flemingsberg",
                "consent": "on",
                "website": "",
            }
        )
        headers = {
            "Host": "127.0.0.1",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        }
        try:
            conn.request("POST", f"/dialog/{ROUND_SLUG}/", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
        except TimeoutError:
            return "timeout"
        except (OSError, http.client.HTTPException):
            return "connection"
        if response.status == 302 and response.getheader("Location", "").endswith("#tack"):
            return "ack"
        return f"http {response.status}"
    finally:
        conn.close()


def login(port: int, username: str, password: str, *, timeout: float = 10) -> dict[str, str]:
    """Log in through the admin's login form; returns the session's cookies."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/admin/login/", headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        page = response.read().decode()
        jar = _cookies(response)
        body = urlencode(
            {
                "csrfmiddlewaretoken": _CSRF.search(page).group(1),
                "username": username,
                "password": password,
                "next": "/admin/",
            }
        )
        conn.request(
            "POST",
            "/admin/login/",
            body=body,
            headers={
                "Host": "127.0.0.1",
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            },
        )
        response = conn.getresponse()
        response.read()
        if response.status != 302:
            raise RuntimeError(f"login failed: {response.status}")
        jar.update(_cookies(response))
        return jar
    finally:
        conn.close()


def submit_admin_form(
    port: int, path: str, jar: dict[str, str], fields: dict, *, timeout: float = 10
) -> tuple[int, str]:
    """GET an admin form page (for its CSRF token), POST fields; returns (status, Location)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        conn.request("GET", path, headers={"Host": "127.0.0.1", "Cookie": cookie})
        response = conn.getresponse()
        page = response.read().decode()
        if response.status != 200:
            return response.status, ""
        body = urlencode({"csrfmiddlewaretoken": _CSRF.search(page).group(1), **fields})
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Host": "127.0.0.1",
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    except TimeoutError:
        return 0, "timeout"
    finally:
        conn.close()


# Load: public pages and posts from several threads, bounded in time ----------------------------

PUBLIC_PAGES = ["/", "/testbaddar/", "/testbaddar/feltestbadd/", "/dialog/", "/idegrupper/"]


@dataclass
class Tally:
    """What the load saw. A post is attempted when its POST is sent, acknowledged when the
    answer is the redirect to the thank-you anchor."""

    prefix: str
    requests: int = 0
    page_errors: dict[str, int] = field(default_factory=dict)  # "http 500" / "connection" …
    attempted: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    longest: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def page(self, outcome: str, seconds: float) -> None:
        with self.lock:
            self.requests += 1
            self.longest = max(self.longest, seconds)
            if outcome != "200":
                self.page_errors[outcome] = self.page_errors.get(outcome, 0) + 1

    def post(self, text: str, outcome: str, seconds: float) -> None:
        with self.lock:
            self.requests += 1 if outcome == "form" else 2
            self.longest = max(self.longest, seconds)
            self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
            if outcome != "form":
                self.attempted.append(text)
            if outcome == "ack":
                self.acknowledged.append(text)

    @property
    def errors(self) -> int:
        """5xx answers and failed connections, pages and posts alike."""
        bad_posts = sum(n for o, n in self.outcomes.items() if o not in ("ack", "http 429"))
        return sum(self.page_errors.values()) + bad_posts

    def summary(self, stored: set[str]) -> dict:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "outcomes": dict(self.outcomes),
            "page_errors": dict(self.page_errors),
            "longest_s": round(self.longest, 2),
            "attempted": len(self.attempted),
            "acknowledged": len(self.acknowledged),
            "stored": len(stored & set(self.attempted)),
            "lost": len(set(self.acknowledged) - stored),
        }


def page_outcome(port: int, path: str, timeout: float) -> str:
    try:
        status, _body = get(port, path, timeout=timeout)
    except TimeoutError:
        return "timeout"
    except (OSError, http.client.HTTPException):
        return "connection"
    return str(status)


def run_load(
    ports: list[int],
    *,
    seconds: float,
    threads: int,
    prefix: str,
    post_share: float = 0.5,
    timeout: float = 10,
    tally: Tally | None = None,
    events: list[tuple[float, callable]] = (),
) -> Tally:
    """THREADS loops over public pages and posts, spread over PORTS in turn, for SECONDS;
    EVENTS are (seconds after the start, function) run once from the main thread (the
    faults). Bounded: every request has TIMEOUT, every loop stops at the deadline."""
    tally = tally or Tally(prefix)
    started = time.monotonic()
    stop_at = started + seconds

    def worker(number: int):
        rng = random.Random(number)
        i = 0
        while time.monotonic() < stop_at:
            port = ports[(number + i) % len(ports)]
            i += 1
            began = time.monotonic()
            if rng.random() < post_share:
                text = f"{prefix}-{uuid.uuid4().hex} Fler bänkar vid stationen."
                outcome = post_contribution(port, text, timeout=timeout)
                tally.post(text, outcome, time.monotonic() - began)
                if outcome not in ("ack", "http 429"):
                    time.sleep(0.02)
            else:
                outcome = page_outcome(port, rng.choice(PUBLIC_PAGES), timeout)
                tally.page(outcome, time.monotonic() - began)
                if outcome != "200":
                    time.sleep(0.02)

    pool = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)]
    for thread in pool:
        thread.start()
    for at, action in sorted(events, key=lambda e: e[0]):
        delay = started + at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        action()
    for thread in pool:
        thread.join(seconds + 2 * timeout + 5)
    return tally


# The four faults, as functions the tests and bench/faults.py share ------------------------------


class Started:
    """Everything a scenario starts, stopped in reverse order by close() whatever happened."""

    def __init__(self):
        self.items: list = []

    def add(self, item):
        self.items.append(item)
        return item

    def close(self) -> None:
        for item in reversed(self.items):
            with contextlib.suppress(Exception):
                item.stop()
        self.items.clear()


@dataclass
class Outcome:
    """A scenario's figures: the load's tally, what was stored, and what the scenario saw."""

    fault: str
    tally: Tally
    stored: set[str]
    notes: dict = field(default_factory=dict)

    @property
    def figures(self) -> dict:
        return {"fault": self.fault, **self.tally.summary(self.stored), **self.notes}

    @property
    def lost(self) -> set[str]:
        return set(self.tally.acknowledged) - self.stored


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def cache_down(
    db: Database,
    workdir: Path,
    started: Started,
    *,
    seconds=4.0,
    threads=4,
    kill_at=1.5,
    after_posts=4,
    hang: bool = False,
) -> Outcome:
    """Redis is the app's cache; it is killed (SIGKILL) mid-run, or with ``hang`` stopped
    (SIGSTOP: connections are still accepted by the kernel, nothing answers, every call
    waits for the client's timeout). Then a few more posts while it stays so, and the health
    check."""
    redis = started.add(Redis().start())
    server = started.add(
        Gunicorn(server_env(db.url, REDIS_URL=redis.url), workdir=workdir, label="cache").start()
    )
    for path in PUBLIC_PAGES:  # cached in Redis before it goes
        get(server.port, path)
    prefix = f"fault-cache-{uuid.uuid4().hex[:8]}"
    tally = run_load(
        [server.port],
        seconds=seconds,
        threads=threads,
        prefix=prefix,
        events=[(kill_at, (lambda: redis.signal_group(signal.SIGSTOP)) if hang else redis.kill)],
    )
    for n in range(after_posts):
        text = f"{prefix}-after-{n} Bygg cykelbanan hela vägen."
        began = time.monotonic()
        tally.post(text, post_contribution(server.port, text), time.monotonic() - began)
    status, body = get(server.port, "/healthz")
    return Outcome(
        "cache hung" if hang else "cache down",
        tally,
        db.texts(prefix),
        {"health": status, "health_body": body.decode()},
    )


def smtp_hanging(
    db: Database, workdir: Path, started: Started, *, posts=4, invitations=2, timeout=10.0
) -> Outcome:
    """The mail server accepts connections and never answers. Residents post (a moderator
    notice is due), a curator invites members; every answer must come fast."""
    smtp = started.add(HangingSMTP().start())
    env = server_env(
        db.url,
        DJANGO_EMAIL_BACKEND=SMTP_BACKEND,
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(smtp.port),
        DJANGO_EMAIL_USE_TLS="0",
        # The app servers would wait this long if they still talked to the mail server …
        DJANGO_EMAIL_TIMEOUT="10",
    )
    server = started.add(Gunicorn(env, workdir=workdir, label="smtp").start())
    prefix = f"fault-smtp-{uuid.uuid4().hex[:8]}"
    tally = Tally(prefix)
    for n in range(posts):
        text = f"{prefix}-{n} Mer belysning i parken."
        began = time.monotonic()
        tally.post(
            text, post_contribution(server.port, text, timeout=timeout), time.monotonic() - began
        )
    invited, slowest_invitation, login_error = [], 0.0, ""
    try:
        jar = login(server.port, ADMIN_USERNAME, ADMIN_PASSWORD, timeout=timeout)
    except (OSError, RuntimeError) as exc:  # a server frozen by the mail cannot log anyone in
        jar, login_error = None, f"{type(exc).__name__}: {exc}"
    group = db.scalar("SELECT id FROM ideagroups_ideagroup WHERE name = 'Felgruppen'")
    actor = db.scalar("SELECT id FROM collaboration_actor WHERE name = 'Felaktören'")
    for n in range(invitations if jar else 0):
        email = f"{prefix}-{n}@example.se"
        began = time.monotonic()
        status, _location = submit_admin_form(
            server.port,
            "/admin/ideagroups/membership/invite/",
            jar,
            {
                "email": email,
                "first_name": "Fel",
                "last_name": f"Sökare {n}",
                "group": group,
                "actor": actor,
                "role": "member",
            },
            timeout=timeout,
        )
        slowest_invitation = max(slowest_invitation, time.monotonic() - began)
        if status == 302:
            invited.append(email)
    stored_invitations = db.scalar(
        "SELECT COUNT(*) FROM ideagroups_membership m JOIN auth_user u ON u.id = m.user_id"
        f" WHERE u.email LIKE '{prefix}-%'"
    )
    # The mail worker: it must give up on the silent server (SMTP timeout), not hang, and
    # leave each mail recorded as a failed task (visible, with its traceback).
    began = time.monotonic()
    worker = subprocess.run(
        [PYTHON, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        # … the worker gives up after 1 s per mail.
        cwd=ROOT, env={**env, "DJANGO_EMAIL_TIMEOUT": "1"}, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    worker_seconds = time.monotonic() - began
    tasks = "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
    mail_tasks = dict(db.rows(tasks))
    timed_out = db.scalar(
        "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
        " AND (LOWER(traceback) LIKE '%timed out%' OR LOWER(traceback) LIKE '%timeout%')"
    )
    health_status, health_body = get(server.port, "/healthz")
    return Outcome(
        "SMTP hanging",
        tally,
        db.texts(prefix),
        {
            "invitations": invitations,
            "login_error": login_error,
            "invitations_acknowledged": len(invited),
            "invitations_stored": stored_invitations,
            "slowest_invitation_s": slowest_invitation,
            "smtp_connections": smtp.accepted,
            "worker_exit": worker.returncode,
            "worker_seconds": worker_seconds,
            "mail_tasks": mail_tasks,
            "mail_tasks_timed_out": timed_out,
            "health": health_status,
            "health_body": health_body.decode(),
            "smtp_env": env,
            "smtp": smtp,
            "server": server,
        },
    )


def database_restart(
    db: Database,
    cluster: PostgresCluster,
    workdir: Path,
    started: Started,
    *,
    seconds=5.0,
    threads=4,
    restart_at=1.5,
    timeout=10.0,
) -> Outcome:
    """PostgreSQL is stopped the hard way (immediate shutdown) and started again while the
    app server is under load; then the pages must recover by themselves."""
    server = started.add(Gunicorn(server_env(db.url), workdir=workdir, label="dbrestart").start())
    prefix = f"fault-db-{uuid.uuid4().hex[:8]}"
    downtime: list[float] = []
    tally = run_load(
        [server.port],
        seconds=seconds,
        threads=threads,
        prefix=prefix,
        timeout=timeout,
        events=[(restart_at, lambda: downtime.append(cluster.restart()))],
    )
    recovered_after = None
    began = time.monotonic()
    while time.monotonic() - began < 15:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if get(server.port, "/healthz", timeout=5)[0] == 200:
                recovered_after = time.monotonic() - began
                break
        time.sleep(0.2)
    pages_after = {path: page_outcome(server.port, path, timeout) for path in PUBLIC_PAGES}
    text = f"{prefix}-after Ett torg för alla."
    began = time.monotonic()
    after = post_contribution(server.port, text, timeout=timeout)
    tally.post(text, after, time.monotonic() - began)
    return Outcome(
        "DB restart",
        tally,
        db.texts(prefix),
        {
            "downtime_s": downtime[0] if downtime else None,
            "recovered_after_s": recovered_after,
            "pages_after": pages_after,
            "post_after": after,
            "post_after_stored": text in db.texts(prefix),
        },
    )


def app_server_killed(
    db: Database, workdir: Path, started: Started, *, seconds=4.0, threads=6, kill_at=1.5
) -> Outcome:
    """Two app servers share the database; posts go to each in turn; one is killed with
    SIGKILL (master and workers) mid-load."""
    env = server_env(db.url)
    first = started.add(Gunicorn(env, workdir=workdir, label="app1").start())
    second = started.add(Gunicorn(env, workdir=workdir, label="app2").start())
    prefix = f"fault-app-{uuid.uuid4().hex[:8]}"
    tally = run_load(
        [first.port, second.port],
        seconds=seconds,
        threads=threads,
        prefix=prefix,
        events=[(kill_at, first.kill)],
    )
    survivor = {path: page_outcome(second.port, path, 10) for path in PUBLIC_PAGES}
    return Outcome(
        "app server killed",
        tally,
        db.texts(prefix),
        {"killed_alive": first.alive(), "survivor_pages": survivor},
    )
