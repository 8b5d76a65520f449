"""Every API endpoint answers as its OpenAPI description says (schemathesis, against the served
description, with the demo data): no 500, documented status codes, content types and bodies."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from tests import public_pages

demo_media, _media_root, demo_db, demo = public_pages.demo_fixtures()


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Requests go through Django's real WSGI handler, which closes the database connection
    after each one (as in production); inside a test's transaction that would end the test's
    connection. Django's own test client leaves these signals out in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The description is read from the running application (it needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_description(case, demo):
    # The WSGI transport does not unpack gzip as an HTTP client would; the page cache sends
    # gzip only to clients that ask for it.
    # A well-formed slug that names no municipality (theme, testbed…) is rejected with a
    # documented 400, like the pages' filter errors: not the "valid data accepted" check's idea.
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance]
    )
