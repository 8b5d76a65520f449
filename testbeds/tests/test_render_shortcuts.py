"""What the catalogue pages compute once instead of per row or per request (issue 14)."""

import pytest
from django.utils import translation

from sodertorn import hooks
from testbeds import sections, selectors
from testbeds.filters import TestbedFilter
from testbeds.models import Testbed

from .factories import TestbedFactory


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_card_url_and_status_label_are_the_models_own(language):
    TestbedFactory.create_batch(3, published=True)
    with translation.override(language):
        cards = selectors.card_list(selectors.cards(Testbed.objects.published()))
        assert [(t.card_url, t.card_status_label) for t in cards] == [
            (t.get_absolute_url(), t.get_status_display()) for t in cards
        ]


def test_sections_are_collected_once_until_the_registrations_change(monkeypatch):
    calls = []

    def counted():
        calls.append(1)
        return [{"template": "tests/_counted.html", "order": 5}]

    monkeypatch.setitem(hooks._hooks, "testbed_sections", [*hooks._hooks["testbed_sections"]])
    hooks.register("testbed_sections", counted)
    first = sections.registered()
    assert sections.registered() == first
    assert len(calls) == 1
    assert "tests/_counted.html" in [s.template for s in first]
    sections.register("tests/_extra.html", order=6)
    try:
        assert "tests/_extra.html" in [s.template for s in sections.registered()]
        assert len(calls) == 2
    finally:
        sections.unregister("tests/_extra.html")
    assert "tests/_extra.html" not in [s.template for s in sections.registered()]


@pytest.mark.django_db
def test_filter_form_class_is_built_once():
    assert TestbedFilter({}).get_form_class() is TestbedFilter({"q": "x"}).get_form_class()


@pytest.mark.django_db
def test_filter_choices_are_read_with_one_plain_query_each():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import MunicipalityFactory, ThemeFactory

    MunicipalityFactory(name="Huddinge", slug="huddinge")
    ThemeFactory(name="Energi", slug="energi")
    form = TestbedFilter({"municipality": "huddinge"}, queryset=Testbed.objects.all()).form
    with CaptureQueriesContext(connection) as queries:
        html = str(form["municipality"]) + str(form["theme"])
    assert 'value="huddinge" id="id_municipality_0" checked>\n Huddinge</label>' in html
    assert 'value="energi" id="id_theme_0">\n Energi</label>' in html
    # no server-side cursor (DECLARE … FETCH … CLOSE on PostgreSQL): plain SELECTs (one per
    # field's choices, one to validate the chosen municipality)
    assert {q["sql"].split()[0] for q in queries.captured_queries} == {"SELECT"}


@pytest.mark.django_db
def test_card_names_in_name_order_with_one_query(django_assert_num_queries):
    from .factories import MunicipalityFactory, ThemeFactory

    one, two = TestbedFactory.create_batch(2, published=True)
    one.municipalities.add(MunicipalityFactory(name="Tyresö"), MunicipalityFactory(name="Botkyrka"))
    one.themes.add(ThemeFactory(name="Mobilitet"), ThemeFactory(name="Energi"))
    two.themes.add(ThemeFactory(name="Ängar"))
    ids = [one.pk, two.pk]
    with django_assert_num_queries(1):
        municipalities, themes = selectors.card_names(ids)
    # the same names in the same (database) order as one query per through table
    assert municipalities == selectors.names_by_testbed(
        Testbed.municipalities, "municipality__name", ids
    )
    assert themes == selectors.names_by_testbed(Testbed.themes, "theme__name", ids)
    assert themes[one.pk] == ["Energi", "Mobilitet"] and themes[two.pk] == ["Ängar"]
    assert municipalities[one.pk][0] == "Botkyrka" and municipalities[one.pk][-1] == "Tyresö"
    with django_assert_num_queries(0):
        assert selectors.card_names([]) == ({}, {})
