"""A list sorted by a translated field is sorted by the text shown: on an English page the
English where there is one, else the Swedish (sodertorn/translated_ordering.py)."""

import pytest
from django.utils import translation

from testbeds.models import Testbed
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def testbeds():
    TestbedFactory(title_sv="Cykelstråk", title_en="")
    TestbedFactory(title_sv="Dagvatten", title_en="Area stormwater")
    TestbedFactory(title_sv="Busslinjer", title_en="")


def titles(queryset):
    return [testbed.title for testbed in queryset]


def test_in_english_untranslated_rows_sort_by_their_swedish_among_the_translated(testbeds):
    with translation.override("en"):
        assert titles(Testbed.objects.order_by("title")) == [
            "Area stormwater",
            "Busslinjer",
            "Cykelstråk",
        ]
        assert titles(Testbed.objects.order_by("-title", "pk")) == [
            "Cykelstråk",
            "Busslinjer",
            "Area stormwater",
        ]
        # Across a relation and in values() the same.
        assert list(Testbed.objects.order_by("title").values_list("slug", flat=True)) == list(
            Testbed.objects.order_by("title").values_list("slug", flat=True).distinct()
        )


def test_in_swedish_the_swedish_text_orders(testbeds):
    with translation.override("sv"):
        assert titles(Testbed.objects.order_by("title")) == [
            "Busslinjer",
            "Cykelstråk",
            "Dagvatten",
        ]


def test_select_related_and_distinct_keep_their_field_names(testbeds):
    with translation.override("en"):
        rows = list(Testbed.objects.select_related(None).order_by("slug").distinct())
        assert len(rows) == 3
