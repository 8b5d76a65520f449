"""Plain rows of translated fields (sodertorn/content_language.py ``localized_values`` and
``localized_values_list``): the text modeltranslation would show, in the active language with
the Swedish fallback and the field's default, worked out in SQL instead of per row through
modeltranslation's descriptors, which cost the full catalogue's GeoJSON 250 ms (issue 14,
item 3)."""

import pytest
from django.utils import translation
from modeltranslation import manager

from follow.models import Subscription
from follow.tests.factories import SubscriptionFactory
from sodertorn.content_language import localized_values, localized_values_list
from testbeds.models import Testbed
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory

pytestmark = pytest.mark.django_db

FIELDS = ("slug", "title", "place_name")


@pytest.fixture
def testbeds():
    TestbedFactory(slug="a", title_sv="Cykelstråk", title_en="", place_name_sv="Tumba")
    TestbedFactory(slug="b", title_sv="Dagvatten", title_en="Stormwater", place_name_sv=None)
    TestbedFactory(
        slug="c", title_sv="Busslinjer", title_en=None, place_name_sv="", place_name_en="Park"
    )


@pytest.fixture
def no_fallback_iterables(monkeypatch):
    """modeltranslation's per-row fallback iterables fail when used."""

    def refuse(self):
        raise AssertionError("modeltranslation resolved the row's translated fields per row")

    monkeypatch.setattr(manager.FallbackValuesIterable, "__iter__", refuse)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_rows_are_what_modeltranslation_shows(testbeds, language):
    queryset = Testbed.objects.order_by("slug")
    with translation.override(language):
        shown = list(queryset.values_list(*FIELDS))
        assert list(localized_values_list(queryset, *FIELDS)) == shown
        assert [tuple(row[f] for f in FIELDS) for row in localized_values(queryset, *FIELDS)] == (
            shown
        )
    if language == "en":
        # The English where there is one, else the Swedish, else the field's default "".
        assert shown == [
            ("a", "Cykelstråk", "Tumba"),
            ("b", "Stormwater", ""),
            ("c", "Busslinjer", "Park"),
        ]


def test_rows_do_not_go_through_modeltranslations_per_row_fallback(testbeds, no_fallback_iterables):
    queryset = Testbed.objects.order_by("slug")
    with translation.override("en"):
        assert [title for _slug, title, _place in localized_values_list(queryset, *FIELDS)] == [
            "Cykelstråk",
            "Stormwater",
            "Busslinjer",
        ]
        assert [row["title"] for row in localized_values(queryset, "title")] == [
            "Cykelstråk",
            "Stormwater",
            "Busslinjer",
        ]


def test_the_map_and_the_api_list_read_plain_rows(client, testbeds, no_fallback_iterables):
    Testbed.objects.update(published=True)
    geojson = client.get("/en/testbaddar.geojson")
    assert geojson.status_code == 200
    titles = {f["properties"]["title"] for f in geojson.json()["features"]}
    assert titles == {"Cykelstråk", "Stormwater", "Busslinjer"}
    api = client.get("/api/v1/testbeds/?lang=en")
    assert api.status_code == 200
    assert "Stormwater" in api.content.decode()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_across_a_missing_relation_the_value_stays_empty(testbeds, language):
    """A translated field across a relation with no related row is None, as before: the
    field's default is only for a row's own fields."""
    SubscriptionFactory(testbed=Testbed.objects.get(slug="b"))
    SubscriptionFactory(testbed=None, municipality=MunicipalityFactory())
    with translation.override(language):
        rows = localized_values(Subscription.objects.order_by("pk"), "testbed__title")
        titles = [row["testbed__title"] for row in rows]
    assert titles == ["Stormwater" if language == "en" else "Dagvatten", None]
