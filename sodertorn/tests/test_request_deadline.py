"""Requests past the time limit are really ended: in Python (the watchdog), in PostgreSQL
(statement_timeout) and under gunicorn with the project's gunicorn.conf.py."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.urls import path

from sodertorn import urls as project_urls
from sodertorn.tests.test_production import production_env, run_python
from sodertorn.views import bench_sleep

pytestmark = pytest.mark.each_database  # behaviour depends on the database: run on each

ROOT = Path(__file__).resolve().parents[2]
urlpatterns = [*project_urls.urlpatterns, path("bench/sleep", bench_sleep)]

postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="statement_timeout is PostgreSQL's",
)


@pytest.mark.urls("sodertorn.tests.test_request_deadline")
@pytest.mark.django_db
def test_python_work_past_the_limit_is_ended_with_a_503(client, settings):
    settings.REQUEST_TIMEOUT = 0.5
    started = time.monotonic()
    response = client.get("/bench/sleep?seconds=10")
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]
    assert 'id="timeout-heading"' in response.content.decode()


@pytest.mark.urls("sodertorn.tests.test_request_deadline")
@pytest.mark.django_db
def test_requests_within_the_limit_are_untouched_and_leave_nothing_behind(client, settings):
    settings.REQUEST_TIMEOUT = 0.5
    for _ in range(3):
        response = client.get("/bench/sleep?seconds=0.1")
        assert response.status_code == 200 and response.content == b"done"
    time.sleep(0.8)  # past the old deadlines: nothing fires into this thread
    assert client.get("/bench/sleep?seconds=0").status_code == 200
    assert client.get("/bench/sleep?seconds=x").status_code == 400


def test_web_processes_give_postgresql_a_statement_timeout(tmp_path):
    env = production_env(tmp_path)
    env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/whatever"
    script = """
        import os, django
        {setup}
        django.setup()
        from django.conf import settings
        print(settings.DATABASES["default"]["OPTIONS"].get("options", ""))
        """
    web = run_python(script.format(setup="import sodertorn.wsgi"), env)
    assert web.returncode == 0, web.stderr
    assert web.stdout.strip() == "-c statement_timeout=25000"
    command = run_python(script.format(setup=""), env)  # manage.py, imports, migrations
    assert command.stdout.strip() == ""
    custom = run_python(script.format(setup=""), {**env, "DJANGO_DB_STATEMENT_TIMEOUT": "7.5"})
    assert custom.stdout.strip() == "-c statement_timeout=7500"


@postgres_only
@pytest.mark.django_db
def test_the_statement_timeout_reaches_the_connection():
    from django.db.backends.postgresql.base import DatabaseWrapper

    settings_dict = {**connection.settings_dict}
    settings_dict["OPTIONS"] = {**settings_dict["OPTIONS"], "options": "-c statement_timeout=1500"}
    wrapper = DatabaseWrapper(settings_dict)  # a second connection, with these options
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "1500ms"
    finally:
        wrapper.close()


@postgres_only
@pytest.mark.urls("sodertorn.tests.test_request_deadline")
@pytest.mark.django_db(transaction=True)
def test_a_query_past_the_statement_timeout_ends_the_request_with_a_503(client, settings):
    settings.REQUEST_TIMEOUT = 30
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 500")
    try:
        started = time.monotonic()
        response = client.get("/bench/sleep?seconds=10&db=1")
        assert time.monotonic() - started < 5
        assert response.status_code == 503
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


def free_port() -> int:
    for port in range(23410, 23499):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 23410-23499")


def test_gunicorn_with_the_project_conf_ends_a_request_past_the_limit(tmp_path):
    port = free_port()
    env = {
        **production_env(tmp_path),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_BENCH_CEILING": "1",
        "DJANGO_REQUEST_TIMEOUT": "2",
        "DJANGO_DEBUG": "1",  # static files as they are: no collectstatic for this test
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_ACCESSLOG": "off",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "sodertorn.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/bench/ceiling", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        started = time.monotonic()
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(f"{base}/bench/sleep?seconds=20", timeout=15)
        assert error.value.code == 503
        assert time.monotonic() - started < 6  # not the 20 s the view wanted
        # the worker lives on and serves the next request
        assert urllib.request.urlopen(f"{base}/bench/ceiling", timeout=5).read() == b"ok"
    except BaseException:
        print((tmp_path / "gunicorn.log").read_text()[-5000:])
        raise
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
