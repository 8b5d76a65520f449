"""Every public download of the demo data that answers CSV is covered by the hostile-content
check of tests/test_csv_exports_hostile.py (beyond the names and routes it discovers).

A module of its own: the demo data is loaded once for the module, and the hostile tests need a
database without it."""

import pytest

from .public_pages import demo_fixtures, public_pages
from .test_csv_exports_hostile import COVERAGE, read

pytestmark = pytest.mark.django_db

demo_media, _media_root, demo_db, demo = demo_fixtures()


def test_every_public_download_that_answers_csv_is_covered(client, demo):
    """Beyond names and routes: every public non-HTML page of the demo data that answers
    text/csv must be in COVERAGE (a CSV view at, say, /data/hamta/ cannot slip through)."""
    answered_csv = set()
    for name, url in public_pages(html=False):
        response = client.get(url)
        if response.get("Content-Type", "").startswith("text/csv"):
            answered_csv.add(name)
            read(response)  # BOM, content type and attachment as for every CSV
    assert answered_csv >= {"opendata:testbeds_csv", "indicators:export_all_csv"}
    assert answered_csv <= set(COVERAGE), sorted(answered_csv - set(COVERAGE))
