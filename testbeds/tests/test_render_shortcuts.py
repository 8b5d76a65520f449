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
