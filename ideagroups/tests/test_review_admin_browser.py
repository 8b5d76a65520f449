"""The curators' review queue at 1280 pixels: the whole table is in view (or, for a table that
cannot fit, it scrolls inside its own box); the page itself never scrolls sideways."""

import datetime

import pytest

from ideagroups.models import WorkEntry
from ideagroups.tests.factories import IdeaGroupFactory, WorkEntryFactory
from sodertorn.tests.factories import CuratorFactory, MemberUserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "secret-password-123"


@pytest.fixture
def queue():
    CuratorFactory(username="karin")
    # Long names, as real ones are: the group, the author, the title.
    group = IdeaGroupFactory(
        name="Idégruppen för hållbar mobilitet och trygga stråk kring Flemingsbergs station"
    )
    author = MemberUserFactory(first_name="Maja-Stina", last_name="Ekström Lindqvist")
    for n in range(3):
        WorkEntryFactory(
            group=group,
            author=author,
            status=WorkEntry.Status.SUBMITTED,
            date=datetime.date(2016, 5, 1),
            title=f"Workshop {n} om stationens entréer, gångstråk och belysning under vintern",
        )


def test_the_review_table_fits_at_1280_pixels(live_server, page, queue):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "karin")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.goto(f"{live_server.url}/admin/ideagroups/submittedworkentry/")
    sizes = page.evaluate(
        """() => {
        const table = document.querySelector('#result_list');
        return {
            page: document.documentElement.scrollWidth,
            viewport: document.documentElement.clientWidth,
            table: table.getBoundingClientRect().right,
            box: table.closest('.results').getBoundingClientRect().right,
        };
    }"""
    )
    # Neither the page nor the table's own box scrolls: every column is in view.
    assert sizes["page"] <= sizes["viewport"], sizes
    assert sizes["table"] <= sizes["box"] + 1, sizes
    last = page.locator("#result_list tbody tr").first.locator("td").last
    assert last.bounding_box()["x"] + last.bounding_box()["width"] <= 1280
