"""Fixtures of the follow app's tests: requests and digest runs whose mails, queued after the
commit, are sent at once (into the locmem outbox)."""

import datetime

import pytest
from django.utils import timezone

from follow import services


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def send(path, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data, **extra)

    return send


@pytest.fixture
def digest(django_capture_on_commit_callbacks):
    def run(days: float = 1):
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_digests(now=timezone.now() + datetime.timedelta(days=days))

    return run
