"""Limits and headers at the edge: forged addresses, oversized bodies, Permissions-Policy,
attachments kept out of shared caches, private files readable by the app only, staff idle
timeout."""

import datetime
import io
import re
import stat
import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogue.models import Contribution
from dialogue.tests.factories import RoundFactory, form_data
from ideagroups.tests.test_ideagroups import attach, group_world  # noqa: F401 (fixture)
from results.forms import ResultAttachmentForm
from results.models import ResultAttachment
from results.tests.test_results import PDF, make_result
from sodertorn.security import STAFF_LAST_SEEN
from sodertorn.tests.factories import UserFactory
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


# Addresses ---------------------------------------------------------------------------------


def test_invented_forwarded_addresses_count_as_one_address(client, settings):
    """8 posts with 8 invented X-Forwarded-For from an untrusted peer: one address, so the
    rate limit of 5 stops the sixth, whatever the header says."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.DIALOGUE_RATE_LIMIT = 5
    round_ = RoundFactory(testbed=TestbedFactory(), slug="oppen")
    statuses = [
        client.post(
            round_.get_absolute_url(),
            form_data(text=f"Bidrag nummer {n}"),
            REMOTE_ADDR="198.51.100.5",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(8)
    ]
    assert statuses == [302] * 5 + [429] * 3
    assert Contribution.objects.filter(text__startswith="Bidrag nummer").count() == 5


def test_posts_through_a_trusted_proxy_count_per_visitor(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.DIALOGUE_RATE_LIMIT = 1
    round_ = RoundFactory(testbed=TestbedFactory(), slug="oppen")
    for n in range(3):
        response = client.post(
            round_.get_absolute_url(),
            form_data(text=f"Bidrag via balanseraren {n}"),
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"6.6.6.6, 203.0.113.{n}",
        )
        assert response.status_code == 302  # three visitors, one post each


def test_https_is_believed_only_from_a_trusted_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client = Client()
    spoofed = client.get("/", REMOTE_ADDR="198.51.100.5", HTTP_X_FORWARDED_PROTO="https")
    assert spoofed.status_code == 301  # still plain http: redirected
    proxied = client.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


def test_an_invalid_trusted_proxy_stops_start_up(tmp_path):
    from sodertorn.tests.test_production import production_env, run_python

    result = run_python(
        "import django; django.setup()",
        production_env(tmp_path, DJANGO_TRUSTED_PROXIES="10.0.0.0/8,lastbalanserare"),
    )
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES" in result.stderr


# Request size ------------------------------------------------------------------------------


class UnreadableInput(io.RawIOBase):
    """wsgi.input that fails the test if anything reads the body."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = readinto = read


def raw_post(path, length, **extra):
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "wsgi.input": UnreadableInput(),
        "REMOTE_ADDR": "198.51.100.5",
        **extra,
    }
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    return Client().generic("POST", path, **environ)


def test_a_100_mb_login_post_is_refused_unread(settings):
    settings.MAX_REQUEST_BYTES = 12 * MB
    response = raw_post("/konto/logga-in/", 100 * MB)
    assert response.status_code == 413
    assert response["Connection"] == "close"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert '<html lang="sv">' in text and "413" in text
    assert "Permissions-Policy" in response  # the outer headers still apply


def test_the_413_page_speaks_the_language_of_the_url(settings):
    settings.MAX_REQUEST_BYTES = 12 * MB
    response = raw_post("/en/konto/logga-in/", 13 * MB)
    assert response.status_code == 413
    text = response.content.decode()
    assert '<html lang="en">' in text
    assert "larger than the 12.0\xa0MB the portal accepts" in text


def test_a_chunked_body_without_a_length_is_not_read(client):
    response = raw_post("/konto/logga-in/", None, HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code in {200, 403}  # the (empty) form or the CSRF refusal


def test_bodies_up_to_the_limit_pass(client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = client.post("/konto/logga-in/", {"username": "x" * 500, "password": "y"})
    assert response.status_code == 200
    response = client.post("/konto/logga-in/", {"username": "x" * 1200, "password": "y"})
    assert response.status_code == 413


def test_the_admin_has_room_for_its_imports(settings):
    settings.MAX_REQUEST_BYTES = 12 * MB
    settings.MAX_ADMIN_REQUEST_BYTES = 60 * MB
    assert raw_post("/admin/indicators/observation/import/", 70 * MB).status_code == 413
    from sodertorn.security import RequestSizeLimitMiddleware

    assert RequestSizeLimitMiddleware.limit_for("/admin/indicators/") == 60 * MB
    assert RequestSizeLimitMiddleware.limit_for("/dialog/x/") == 12 * MB


# Headers and files -------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/en/", "/testbaddar/", "/healthz-nope", "/admin/login/"])
def test_every_response_carries_a_permissions_policy(client, url):
    response = client.get(url)
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


def test_a_cached_page_carries_it_too(client):
    client.get("/testbaddar/")
    cached = client.get("/testbaddar/")
    assert cached["X-Page-Cache"] == "hit"
    assert "camera=()" in cached["Permissions-Policy"]


def test_work_attachments_are_never_kept_by_shared_caches(client, group_world):  # noqa: F811
    entry = attach(group_world["entries"]["published"])
    response = client.get(entry.get_attachment_url())
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_result_attachments_are_never_kept_by_shared_caches(client):
    result = make_result(TestbedFactory(slug="a"), 1)
    form = ResultAttachmentForm(
        data={"title": "Rapport"},
        files={"file": SimpleUploadedFile("rapport.pdf", PDF)},
        instance=ResultAttachment(result=result),
    )
    assert form.is_valid(), form.errors
    attachment = form.save()
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")


def test_private_files_are_readable_by_the_app_only(group_world, settings):  # noqa: F811
    entry = attach(group_world["entries"]["draft"])
    path = settings.MEDIA_ROOT / entry.attachment.name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # public media keep the global mode
    result = make_result(TestbedFactory(slug="b"), 2)
    form = ResultAttachmentForm(
        data={"title": "Rapport"},
        files={"file": SimpleUploadedFile("rapport.pdf", PDF)},
        instance=ResultAttachment(result=result),
    )
    assert form.is_valid(), form.errors
    public = settings.MEDIA_ROOT / form.save().file.name
    assert stat.S_IMODE(public.stat().st_mode) == 0o644


# Staff idle timeout ------------------------------------------------------------------------


def set_last_seen(client, seconds_ago):
    session = client.session
    session[STAFF_LAST_SEEN] = time.time() - seconds_ago
    session.save()


def test_staff_are_logged_out_after_the_idle_time(client, settings):
    settings.STAFF_IDLE_MINUTES = 30
    curator = UserFactory(username="kurator", is_staff=True, is_superuser=True)
    client.force_login(curator)
    assert client.get("/admin/").status_code == 200
    set_last_seen(client, 29 * 60)
    assert client.get("/admin/").status_code == 200  # still active
    set_last_seen(client, 31 * 60)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_staff_session_and_is_written_at_most_once_a_minute(client, settings):
    settings.STAFF_IDLE_MINUTES = 30
    client.force_login(UserFactory(username="kurator", is_staff=True, is_superuser=True))
    client.get("/admin/")
    first = client.session[STAFF_LAST_SEEN]
    client.get("/admin/")
    assert client.session[STAFF_LAST_SEEN] == first  # not rewritten within the minute
    set_last_seen(client, 25 * 60)
    client.get("/admin/")
    assert time.time() - client.session[STAFF_LAST_SEEN] < 5  # refreshed
    set_last_seen(client, 25 * 60)
    assert client.get("/admin/").status_code == 200


def test_members_keep_the_normal_session_age(client, settings):
    settings.STAFF_IDLE_MINUTES = 30
    member = UserFactory(username="medlem")
    client.force_login(member)
    set_last_seen(client, 10 * 3600)
    client.get("/mina-sidor/")
    assert client.session.get("_auth_user_id") == str(member.pk)


# Password reset ----------------------------------------------------------------------------

RESET = "/konto/losenord/aterstall/"


def normalised(queries) -> list[str]:
    """The SQL of each query with its literals left out (the hashes and times differ)."""
    return [re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", query["sql"]) for query in queries]


def reset(client, email, address="198.51.100.5"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_work(
    client, django_capture_on_commit_callbacks
):
    UserFactory(username="medlem", email="medlem@example.se")
    answers = {}
    for email in ("medlem@example.se", "ingen@example.se"):
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks() as callbacks,
        ):
            response = reset(client, email, address=f"198.51.100.{len(answers) + 1}")
        answers[email] = (
            response.status_code,
            response.get("Location"),
            response.content,
            normalised(queries.captured_queries),
            len(callbacks),
        )
    known, unknown = answers.values()
    assert known == unknown
    assert known[0] == 302 and known[4] == 1  # one task enqueued either way
    assert not any("auth_user" in sql for sql in known[3])  # no account lookup in the request


def test_rate_limit_rows_leave_the_page_cache_alone():
    from sodertorn.cache import registered_models

    assert "sodertorn.ratelimitevent" not in registered_models()


def test_the_task_mails_known_addresses_only(client, django_capture_on_commit_callbacks):
    UserFactory(username="medlem", email="medlem@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        reset(client, "ingen@example.se")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        reset(client, "Medlem@Example.se")
    (message,) = mail.outbox
    assert message.to == ["medlem@example.se"]
    assert "http://testserver/konto/losenord/aterstall/" in message.body


def test_password_reset_is_limited_per_e_mail_address(client, settings):
    settings.PASSWORD_RESET_EMAIL_LIMIT = 3
    statuses = [
        reset(client, "medlem@example.se", address=f"198.51.100.{n}").status_code for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    response = reset(client, "MEDLEM@example.se", address="192.0.2.1")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    text = response.content.decode()
    assert 'id="reset-throttled"' in text and 'role="alert"' in text
    assert reset(client, "annan@example.se", address="192.0.2.1").status_code == 302


def test_password_reset_is_limited_per_client_address(client, settings):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 4
    statuses = [reset(client, f"person{n}@example.se").status_code for n in range(6)]
    assert statuses == [302] * 4 + [429] * 2
    assert reset(client, "person9@example.se", address="192.0.2.1").status_code == 302


def test_the_reset_limit_ends_with_its_window(client, settings):
    from sodertorn.models import RateLimitEvent

    settings.PASSWORD_RESET_EMAIL_LIMIT = 1
    assert reset(client, "medlem@example.se").status_code == 302
    assert reset(client, "medlem@example.se").status_code == 429
    RateLimitEvent.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    assert reset(client, "medlem@example.se").status_code == 302
    assert RateLimitEvent.objects.count() == 2  # the old rows were removed
    assert not RateLimitEvent.objects.filter(key__contains="medlem").exists()  # hashed
