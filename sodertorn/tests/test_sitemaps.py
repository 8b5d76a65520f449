"""The sitemap is an index of sections, each paginated, so no file grows with the catalogue."""

import re

import pytest

from sodertorn import sitemaps
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db


def locs(text: str) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", text)


def test_sitemap_xml_is_an_index_of_every_section(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "<sitemapindex" in response.text
    named = {re.search(r"/sitemap-([^.]+)\.xml", loc).group(1) for loc in locs(response.text)}
    assert named == set(sitemaps.collect())


def test_a_section_longer_than_the_limit_is_split_into_pages(client, monkeypatch, sitemap_text):
    monkeypatch.setattr(sitemaps.PublicSitemap, "limit", 4)
    beds = [TestbedFactory(slug=f"badd-{n}", published=True) for n in range(5)]
    index = locs(client.get("/sitemap.xml").text)
    # 5 testbeds in two languages: 10 addresses, 4 per page.
    testbed_pages = [loc for loc in index if "/sitemap-testbeds.xml" in loc]
    assert len(testbed_pages) == 3 and testbed_pages[-1].endswith("?p=3")
    first = client.get("/sitemap-testbeds.xml")
    assert len(locs(first.text)) == 4
    assert client.get("/sitemap-testbeds.xml", {"p": 9}).status_code == 404
    every = locs(sitemap_text())
    for bed in beds:
        assert sum(loc.endswith(f"/testbaddar/{bed.slug}/") for loc in every) == 2


def test_an_unknown_section_is_404(client):
    assert client.get("/sitemap-finns-inte.xml").status_code == 404


def test_indicator_area_analysis_and_open_data_pages_are_in_the_sitemap(sitemap_text):
    from indicators.tests.factories import AreaFactory, IndicatorFactory, municipality_area

    IndicatorFactory(code="n00945")
    AreaFactory(own_code="0180-rinkeby", own_name="Rinkeby")
    municipality_area(code="0126", slug="huddinge", name="Huddinge")
    every = locs(sitemap_text())
    for path in (
        "/indikatorer/",
        "/indikatorer/n00945/",
        "/omraden/",
        "/omraden/0180-rinkeby/",
        "/omraden/0126/",
        "/analys/",
        "/mal/",
        "/data/",
    ):
        for prefix in ("", "/en"):
            assert sum(loc.endswith(prefix + path) for loc in every) >= 1, prefix + path


def test_every_address_lists_its_swedish_english_and_default_versions(client, sitemap_text):
    """hreflang alternates (Django's Sitemap i18n, alternates, x_default): each <url> names
    its sv and en versions and x-default (the Swedish one), in every section."""
    TestbedFactory(slug="badd-a", published=True)
    text = sitemap_text()
    entries = re.findall(r"<url>(.*?)</url>", text, flags=re.S)
    assert entries
    for entry in entries:
        (loc,) = locs(entry)
        alternates = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', entry))
        assert set(alternates) == {"sv", "en", "x-default"}, loc
        assert loc in (alternates["sv"], alternates["en"])
        swedish = alternates["sv"].removeprefix("http://testserver")
        assert alternates["en"] == "http://testserver/en" + swedish, loc
        assert alternates["x-default"] == alternates["sv"]
