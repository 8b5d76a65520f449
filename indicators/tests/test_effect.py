"""A testbed's effect against similar places (issue 18, part 5; indicators/effect.py): the
choice of the comparison areas, the difference in differences, the sentences, the page's
tables and notices, the 404 and the query count."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from indicators import effect
from indicators.models import Observation
from indicators.tests.factories import (
    IndicatorFactory,
    bulk_areas,
    bulk_observations,
    municipality_area,
    small_area,
)
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory

pytestmark = pytest.mark.django_db


def effect_url(testbed, language="sv"):
    with translation.override(language):
        return reverse("indicators:testbed_effect", kwargs={"slug": testbed.slug})


def text_of(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text.replace("&#x27;", "'").replace("&quot;", '"'))


def observe(indicator, area, values: dict, *, example=False):
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            area=area,
            year=year,
            gender="T",
            value=Decimal(str(value)),
            is_example=example,
        )
        for year, value in values.items()
    )


# The pure functions ----------------------------------------------------------------------------


def test_nearest_areas_on_standardised_values_own_areas_left_out_ties_by_name():
    # Two indicators on very different scales: standardised, both count.
    profiles = {
        1: {10: 50.0, 20: 1000.0},  # the testbed's area
        2: {10: 50.0, 20: 1000.0},  # the testbed's second area: left out
        3: {10: 52.0, 20: 1000.0},  # "Beta": tied with 4
        4: {10: 48.0, 20: 1000.0},  # "Alfa": tied with 3, first by name
        5: {10: 50.0, 20: 3000.0},  # far on the second indicator only
        6: {10: 70.0, 20: 5000.0},  # far on both
        7: {10: 50.0},  # no value of the second indicator: not a candidate
    }
    names = {1: "Egen", 2: "Egen två", 3: "Beta", 4: "Alfa", 5: "Gamma", 6: "Delta", 7: "Eta"}
    found = effect.nearest(effect.standardise(profiles), [1, 2], names, k=3)
    assert [area_id for area_id, _d in found] == [4, 3, 5]
    assert found[0][1] == pytest.approx(found[1][1])
    assert found[0][1] < found[2][1]


def test_only_years_before_the_start_make_the_profiles():
    rows = [
        (10, 1, 2014, Decimal("40"), False),
        (10, 1, 2015, Decimal("60"), False),
        (10, 1, 2016, Decimal("1000"), False),  # the start year: after
        (10, 1, 2019, Decimal("1000"), False),
    ]
    assert effect.profiles_before(rows, 2016) == {1: {10: 50.0}}


def test_difference_in_differences_from_the_last_year_before_to_the_latest():
    testbed = {2014: 50.0, 2015: 50.0, 2016: 53.0, 2017: 54.0}
    comparison = {2014: 50.0, 2015: 50.0, 2016: 50.25, 2017: 51.0}
    base, last, testbed_change, comparison_change = effect.difference_in_differences(
        testbed, comparison, 2016
    )
    assert (base, last) == (2015, 2017)
    assert testbed_change == pytest.approx(4.0)
    assert comparison_change == pytest.approx(1.0)
    assert effect.difference_in_differences(testbed, comparison, 2014)[2] is None  # no before
    assert effect.difference_in_differences(testbed, comparison, 2018)[2] is None  # no after


# A constructed testbed -------------------------------------------------------------------------


@pytest.fixture
def place():
    """A testbed started in 2016 in small area Egen and eight other small areas. On indicator
    A (shares), before 2016, Mitt is as Egen, Nära and Nästan are one point off (a tie), Ett and
    Två two; Sen becomes identical only after the start and must not be chosen; Långt is far.
    Every near area gains one point from 2015 to 2017, Egen four."""
    municipality = MunicipalityFactory(name="Kommunen")
    parent = municipality_area(municipality)
    testbed = TestbedFactory(
        municipalities=[municipality],
        start_date=datetime.date(2016, 5, 1),
        latitude=Decimal("59.25"),
        longitude=Decimal("17.95"),
    )
    own = small_area(parent, "egen", "Egen", lon=17.94, lat=59.24)
    near = small_area(parent, "nara", "Nära", lon=18.5, lat=59.0)
    almost = small_area(parent, "nastan", "Nästan", lon=18.6, lat=59.0)
    late = small_area(parent, "sen", "Sen", lon=18.7, lat=59.0)
    far = small_area(parent, "langt", "Långt", lon=18.8, lat=59.0)
    indicator = IndicatorFactory(code="andel-a", name="Andel A", unit="%", decimals=1)
    indicator.used_for_similarity = True
    indicator.save()
    observe(indicator, own, {2014: 50, 2015: 50, 2016: 53, 2017: 54}, example=True)
    for code, name, lon, value in (
        ("mitt", "Mitt", 18.9, 50),
        ("ett", "Ett", 19.0, 52),
        ("tva", "Två", 19.1, 48),
    ):
        area = small_area(parent, code, name, lon=lon, lat=59.0)
        observe(indicator, area, {2014: value, 2015: value, 2016: value, 2017: value + 1})
    observe(indicator, near, {2014: 51, 2015: 51, 2016: 51, 2017: 52})
    observe(indicator, almost, {2014: 49, 2015: 49, 2016: 49.5, 2017: 50})
    observe(indicator, late, {2014: 60, 2015: 60, 2016: 53, 2017: 54})
    observe(indicator, far, {2014: 90, 2015: 90, 2016: 90, 2017: 90})
    return {"testbed": testbed, "indicator": indicator, "own": own}


def test_the_comparison_areas_are_the_nearest_before_the_start(place):
    result = effect.testbed_effect(place["testbed"], k=3)
    assert [area.name for area in result.areas] == ["Egen"]
    assert [n.name for n in result.neighbours] == ["Mitt", "Nära", "Nästan"]
    assert result.neighbours[0].distance == 0
    assert result.neighbours[1].distance == pytest.approx(result.neighbours[2].distance)
    assert [n.name for n in effect.testbed_effect(place["testbed"]).neighbours] == [
        "Mitt",
        "Nära",
        "Nästan",
        "Ett",
        "Två",
    ]
    assert result.before_years == (2014, 2015)
    assert result.has_example  # the testbed's own values are example data


def test_the_difference_in_differences_of_the_testbed(place):
    result = effect.testbed_effect(place["testbed"], k=2)
    (item,) = result.effects
    assert (item.base_year, item.last_year) == (2015, 2017)
    assert item.testbed_change == pytest.approx(4.0)
    assert item.comparison_change == pytest.approx(1.0)  # Mitt and Nära: 50.5 -> 51.5
    assert item.difference == pytest.approx(3.0)
    assert [(r.year, r.after_start) for r in item.rows][1:3] == [(2015, False), (2016, True)]


def test_the_sentence_in_english_and_swedish(place):
    with translation.override("en"):
        item = effect.testbed_effect(place["testbed"], k=2).effects[0]
        assert item.sentence == (
            "After the start in 2016, “Andel A” rose by 4.0 percentage points in the testbed's "
            "area and rose by 1.0 in the 2 most similar areas."
        )
        assert "is +3.0 percentage points" in item.difference_sentence
        assert "a comparison, not proof" in item.difference_sentence
    with translation.override("sv"):
        item = effect.testbed_effect(place["testbed"], k=2).effects[0]
        # Numbers in the Swedish format whatever the catalogue holds.
        assert "4,0" in item.sentence and "1,0" in item.sentence
        assert "+3,0" in item.difference_sentence
        if gettext("percentage points") != "percentage points":  # the catalogue is compiled
            assert item.sentence == (
                "Efter starten 2016 ökade ”Andel A” med 4,0 procentenheter i testbäddens "
                "område och ökade med 1,0 i de 2 mest lika områdena."
            )
            assert "Det är en jämförelse, inte ett bevis" in item.difference_sentence


def test_a_fall_and_no_change_in_words(place):
    Observation.objects.filter(area=place["own"], year=2017).update(value=Decimal("47"))
    # The comparison (Mitt +1, Nära −1) stays the same on average.
    Observation.objects.filter(area__own_code="nara", year=2017).update(value=Decimal("50"))
    with translation.override("en"):
        item = effect.testbed_effect(place["testbed"], k=2).effects[0]
    assert "fell by 3.0 percentage points in the testbed's area" in item.sentence
    assert "and stayed the same in the 2 most similar areas." in item.sentence
    assert "is −3.0 percentage points" in item.difference_sentence


def test_the_page_shows_the_chart_tables_comparison_areas_and_example_notice(client, place):
    response = client.get(effect_url(place["testbed"], "en"))
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    # The chart: both lines, the start marked, labelled at the lines' ends.
    assert 'class="effect-line effect-line-testbed"' in html
    assert 'class="effect-line effect-line-comparison"' in html
    assert "Start 2016" in text
    assert "effect-end-label-comparison" in html
    # The summary table: the change and the difference, in the English format.
    summary = html[html.index('id="effect-summary"') :]
    summary = summary[: summary.index("</table>")]
    assert '<th scope="col">Difference in change</th>' in summary
    assert re.search(r"2015–2017.*\+4\.0.*\+1\.0.*\+3\.0", text_of(summary))
    # The year table.
    years = html[html.index('class="table table-numbers effect-years"') :]
    years = text_of(years[: years.index("</table>")])
    assert "2017 after the start 54.0 51.0 +3.0" in years
    assert "2015 50.0 50.0 0.0" in years
    # The comparison areas with their distance; not the one alike only after the start.
    neighbours = html[html.index('id="effect-neighbours"') :]
    neighbours = text_of(neighbours[: neighbours.index("</table>")])
    assert "Nära" in neighbours and "Nästan" in neighbours
    assert "Sen" not in neighbours and "Långt" not in neighbours
    assert "Distance" in neighbours
    # Example data said so.
    assert "notice-example" in html
    # The sentence and its caution.
    assert "a comparison, not proof" in text


def test_swedish_page_has_swedish_numbers(client, place):
    response = client.get(effect_url(place["testbed"]))
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "+3,0" in text
    assert "Exempeldata" in text


def test_real_data_has_no_example_notice(client, place):
    Observation.objects.update(is_example=False)
    html = client.get(effect_url(place["testbed"], "en")).content.decode()
    assert "notice-example" not in html


def test_a_testbed_in_no_small_area_has_no_effect_page(client, place):
    elsewhere = TestbedFactory(latitude=Decimal("58.0"), longitude=Decimal("16.0"))
    assert client.get(effect_url(elsewhere)).status_code == 404
    assert client.get("/testbaddar/finns-inte/effekt/").status_code == 404
    unpublished = TestbedFactory(
        published=False, latitude=Decimal("59.25"), longitude=Decimal("17.95")
    )
    assert client.get(effect_url(unpublished)).status_code == 404


def test_too_few_values_before_the_start_says_so(client, place):
    testbed = place["testbed"]
    testbed.start_date = datetime.date(2014, 1, 1)  # no year before the start has values
    testbed.save()
    response = client.get(effect_url(testbed, "en"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="effect-problem"' in html
    assert "too few values before the start" in text_of(html)
    assert 'id="effect-summary"' not in html


def test_no_chosen_indicator_says_so(client, place):
    place["indicator"].used_for_similarity = False
    place["indicator"].save()
    html = client.get(effect_url(place["testbed"], "en")).content.decode()
    assert "No indicator has been chosen for finding similar areas yet." in text_of(html)


def test_the_testbed_page_links_to_the_effect_page(client, place):
    html = client.get(place["testbed"].get_absolute_url()).content.decode()
    assert f'href="{effect_url(place["testbed"])}"' in html
    elsewhere = TestbedFactory(latitude=Decimal("58.0"), longitude=Decimal("16.0"))
    assert "/effekt/" not in client.get(elsewhere.get_absolute_url()).content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_same_number_of_queries_for_10_and_500_small_areas(client):
    municipality = MunicipalityFactory()
    parent = municipality_area(municipality)
    testbed = TestbedFactory(
        municipalities=[municipality],
        start_date=datetime.date(2016, 1, 1),
        latitude=Decimal("59.31"),
        longitude=Decimal("17.96"),
    )
    own = small_area(parent, "egen", "Egen", lon=17.95, lat=59.30)
    indicators = [IndicatorFactory(code="ind-a"), IndicatorFactory(code="ind-b")]
    for indicator in indicators:
        indicator.used_for_similarity = True
        indicator.save()
    years = [2013, 2014, 2015, 2016, 2017]
    bulk_observations(indicators, [own], years)
    bulk_observations(indicators, bulk_areas(10, kind="small_area", parent=parent), years)
    url = effect_url(testbed)
    few = count_queries(client, url)
    more = bulk_areas(490, kind="small_area", parent=parent, start=10)
    bulk_observations(indicators, more, years)
    assert len(effect.testbed_effect(testbed).neighbours) == effect.K
    assert count_queries(client, url) == few


def test_the_page_sweeps_find_the_effect_page():
    from tests.public_pages import KWARGS_REGISTRY, discover_patterns

    names = {pattern.name for pattern in discover_patterns()}
    assert "indicators:testbed_effect" in names
    from indicators.demo_small_areas import EFFECT_TESTBED

    assert KWARGS_REGISTRY["indicators:testbed_effect"]() == {"slug": EFFECT_TESTBED}


def test_a_count_changes_in_its_own_unit_and_without_one_no_stray_spaces(place):
    place["indicator"].unit = ""
    place["indicator"].save()
    with translation.override("en"):
        item = effect.testbed_effect(place["testbed"], k=2).effects[0]
    assert "rose by 4.0 in the testbed's area" in item.sentence
    assert "is +3.0. It is a comparison" in item.difference_sentence
    assert "  " not in item.sentence + item.difference_sentence
