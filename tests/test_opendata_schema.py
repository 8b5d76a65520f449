"""Every API endpoint answers as its OpenAPI description says (schemathesis, against the served
description, with the demo data): no 500, documented status codes, content types and bodies."""

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from . import public_pages

demo_media, _media_root, demo_db, demo = public_pages.demo_fixtures()


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
