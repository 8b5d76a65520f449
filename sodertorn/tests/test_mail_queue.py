"""Mail leaves the request path (issue 12): queued with sodertorn.mail.queue_mail only after
the transaction commits, stored as a task in the database (django-tasks-db) and sent by the
worker (db_worker) with an SMTP timeout."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult

from collaboration.tests.factories import ActorFactory
from dialogue.models import Contribution
from dialogue.tests.factories import ModeratorFactory, RoundFactory, form_data
from ideagroups.tests.factories import IdeaGroupFactory
from sodertorn.mail import queue_mail
from sodertorn.tests.factories import CuratorFactory, UserFactory

pytestmark = pytest.mark.each_database  # behaviour depends on the database: run on each

ROOT = Path(__file__).resolve().parents[2]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DB_TASKS
    return settings


# After the commit, never before ---------------------------------------------------------------


@pytest.mark.django_db
def test_mail_is_queued_only_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        queue_mail("Ämne", "Text", ["a@example.com"], headers={"X-Test": "1"})
        assert mail.outbox == []  # nothing leaves inside the transaction
    assert len(callbacks) == 1
    (message,) = mail.outbox
    assert (message.subject, message.body, message.to) == ("Ämne", "Text", ["a@example.com"])
    assert message.extra_headers["X-Test"] == "1"
    assert message.from_email == "noreply@sodertornsmodellen.se"


@pytest.mark.django_db
def test_no_mail_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue_mail("Ämne", "Text", ["a@example.com"])
                raise RuntimeError("the write fails")
        except RuntimeError:
            pass
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_invitation_rolled_back_sends_nothing(django_capture_on_commit_callbacks):
    """invite_member queues its mail inside its transaction: if the surrounding work fails
    after it, the account, the membership and the mail all go."""
    from ideagroups import services

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.invite_member(
                    by=CuratorFactory(),
                    email="ny.person@example.com",
                    first_name="Ny",
                    last_name="Person",
                    group=IdeaGroupFactory(),
                    actor=ActorFactory(),
                    role="member",
                    base_url="http://testserver",
                )
                raise RuntimeError("a later step fails")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not UserFactory._meta.model.objects.filter(email="ny.person@example.com").exists()


# Through the database and the worker ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_queued_mail_waits_in_the_database_until_the_worker_sends_it(db_tasks):
    queue_mail("Köad", "Skickas av arbetaren", ["a@example.com"])
    task = DBTaskResult.objects.get()
    assert task.task_path == "sodertorn.mail.send_queued_mail"
    assert task.status == "READY"
    assert mail.outbox == []
    run_worker()
    (message,) = mail.outbox
    assert message.subject == "Köad" and message.to == ["a@example.com"]
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_residents_post_queues_the_moderator_notice_for_the_worker(db_tasks):
    ModeratorFactory(email="moderator@example.com")
    round_ = RoundFactory()
    response = Client().post(round_.get_absolute_url(), form_data(text="Till moderatorn"))
    assert response.status_code == 302
    assert Contribution.objects.filter(text="Till moderatorn").exists()
    assert mail.outbox == []  # not sent in the resident's request
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_worker()
    (message,) = mail.outbox
    assert message.to == ["moderator@example.com"]
    assert "/admin/dialogue/pendingcontribution/" in message.body


@pytest.mark.django_db(transaction=True)
def test_invitation_and_password_reset_go_through_the_worker(db_tasks):
    curator = Client()
    curator.force_login(CuratorFactory())
    response = curator.post(
        "/admin/ideagroups/membership/invite/",
        {
            "email": "ny.person@example.com",
            "first_name": "Ny",
            "last_name": "Person",
            "group": IdeaGroupFactory().pk,
            "actor": ActorFactory().pk,
            "role": "member",
        },
    )
    assert response.status_code == 302
    member = UserFactory(email="medlem@example.com")
    response = Client().post("/konto/losenord/aterstall/", {"email": member.email})
    assert response.status_code == 302
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    run_worker()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["medlem@example.com", "ny.person@example.com"]
    reset = next(m for m in mail.outbox if m.to == ["medlem@example.com"])
    assert "/konto/losenord/aterstall/" in reset.body and "\n" not in reset.subject


# A hanging mail server --------------------------------------------------------------------------


class Accepted(list):
    """The connections the silent server accepted; ``port`` is where it listens."""

    port: int


@pytest.fixture
def hanging_smtp():
    """A server on loopback that accepts connections and never says a word (stopped after the
    test)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))  # a free port: parallel workers never collide
    server.listen(16)
    server.settimeout(0.2)
    accepted, stop = Accepted(), threading.Event()
    accepted.port = server.getsockname()[1]

    def serve():
        while not stop.is_set():
            try:
                conn, _addr = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(conn)  # held open, silent

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield accepted
    stop.set()
    thread.join(timeout=5)
    for conn in accepted:
        conn.close()
    server.close()


@pytest.mark.django_db(transaction=True)
def test_a_hanging_mail_server_neither_blocks_the_post_nor_the_worker(
    db_tasks, hanging_smtp, settings
):
    def smtp(timeout):
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": hanging_smtp.port, "timeout": timeout},
            }
        }

    smtp(timeout=5)
    ModeratorFactory(email="moderator@example.com")
    round_ = RoundFactory()
    started = time.monotonic()
    response = Client().post(round_.get_absolute_url(), form_data(text="Fryser inte"))
    assert response.status_code == 302
    assert time.monotonic() - started < 3  # the silent mail server (5 s) was not waited for
    assert Contribution.objects.filter(text="Fryser inte").exists()
    assert not hanging_smtp  # nobody talked to it yet
    smtp(timeout=0.5)
    started = time.monotonic()
    run_worker()
    assert time.monotonic() - started < 4  # the SMTP timeout ended the send
    assert hanging_smtp  # the worker did try the mail server
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED"
    assert "timed out" in task.traceback.lower() or "timeout" in task.traceback.lower()


# Settings ---------------------------------------------------------------------------------------


def production_value(expression: str, **env) -> str:
    script = f"import django; django.setup(); {expression}"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "sodertorn.settings",
            "DJANGO_SECRET_KEY": "x" * 60,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_smtp_has_a_timeout_and_tasks_go_to_the_database_in_production():
    show = (
        "from django.core.mail import mailers; from django.tasks import task_backends;"
        "print(mailers.default.timeout, type(task_backends['default']).__name__)"
    )
    assert production_value(show) == "10.0 DatabaseBackend"
    assert production_value(show, DJANGO_EMAIL_TIMEOUT="2.5").startswith("2.5 ")


@pytest.mark.django_db(transaction=True)
def test_mail_queue_status_for_health_checks(db_tasks, hanging_smtp, settings):
    from sodertorn.mail import mail_queue_status

    assert mail_queue_status() == {"waiting": 0, "oldest_waiting_seconds": 0, "failed_last_hour": 0}
    queue_mail("Väntar", "Text", ["a@example.com"])
    queue_mail("Väntar", "Text", ["b@example.com"])
    assert mail_queue_status()["waiting"] == 2
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": hanging_smtp.port, "timeout": 0.3},
        }
    }
    run_worker()
    assert mail_queue_status() == {"waiting": 0, "oldest_waiting_seconds": 0, "failed_last_hour": 2}


def test_mail_queue_status_is_none_without_the_database_backend():
    from sodertorn.mail import mail_queue_status

    assert mail_queue_status() is None
