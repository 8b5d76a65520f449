"""Hostile values and files for the indicator import, through the service, the admin upload and
the ``import_indicators`` command: each gets a line-level message (or is read correctly), never
an exception or a 500, and a refused file writes nothing."""

from __future__ import annotations

import html
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from indicators import forms as import_forms
from indicators.admin import ObservationAdmin  # noqa: F401  (the admin is registered)
from indicators.models import Indicator, Observation
from indicators.services import import_observations
from indicators.tests.factories import IndicatorFactory, municipality_area
from testbeds.tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.each_database, pytest.mark.django_db]

HEADER = "indicator,area,year,value\n"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def setup():
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    municipality_area(huddinge)
    share = IndicatorFactory(
        code="forvarvsfrekvens",
        name="Förvärvsfrekvens",
        kolada_kpi="N00914",
        unit="%",
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    dwellings = IndicatorFactory(
        code="nya-bostader",
        name="Completed dwellings",
        unit="per 1,000 inhabitants",
        min_value=Decimal(0),
    )
    return {"share": share, "dwellings": dwellings}


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return (header + "".join(line + "\n" for line in lines)).encode("utf-8")


def kolada(value_json: str, **record) -> bytes:
    fields = {"kpi": '"N00914"', "municipality": '"0126"', "period": "2016", **record}
    body = ", ".join(f'"{key}": {text}' for key, text in fields.items())
    return (
        f'{{"values": [{{{body}, "values": [{{"gender": "T", "value": {value_json}}}]}}]}}'.encode()
    )


def row(value: str, indicator: str = "forvarvsfrekvens") -> str:
    return f"{indicator},0126,2016,{value}"


# (id, file content, file name, where the message is, a fragment of the message)
REFUSED = [
    ("csv-1e30", csv_file(row("1e30")), "a.csv", "2", "is too large"),
    ("csv-1e999999999", csv_file(row("1e999999999")), "a.csv", "2", "is too large"),
    ("csv-5000-digits", csv_file(row("9" * 5000)), "a.csv", "2", "is too large"),
    ("csv-nan", csv_file(row("NaN")), "a.csv", "2", "is not a number"),
    ("csv-inf", csv_file(row("inf")), "a.csv", "2", "is infinite"),
    ("csv-minus-infinity", csv_file(row("-Infinity")), "a.csv", "2", "is infinite"),
    ("csv-text", csv_file(row("=1+1")), "a.csv", "2", "is not a number"),
    (
        "csv-decimal-comma-unquoted",
        csv_file(row("1,5")),
        "a.csv",
        "2",
        "needs quotes",
    ),
    ("csv-extra-cell", csv_file(row("1") + ",x"), "a.csv", "2", "5 cells"),
    ("csv-short-line", csv_file("forvarvsfrekvens,0126"), "a.csv", "2", "2 cells"),
    (
        "csv-missing-columns",
        csv_file(header="indicator,area,year\n"),
        "a.csv",
        "1",
        "Missing: value",
    ),
    (
        "csv-cell-too-long",
        csv_file(row('"' + "x" * 200_000)),
        "a.csv",
        "2",
        "longer than",
    ),
    (
        "csv-year-huge",
        csv_file("forvarvsfrekvens,0126," + "9" * 5000 + ",1"),
        "a.csv",
        "2",
        "outside",
    ),
    ("csv-negative-count", csv_file(row("-3", "nya-bostader")), "a.csv", "2", "outside the valid"),
    ("csv-share-above-100", csv_file(row("100.5")), "a.csv", "2", "outside the valid range"),
    ("csv-share-below-0", csv_file(row("-0.1")), "a.csv", "2", "outside the valid range"),
    (
        "latin-1",
        "indicator,area,year,value,note\nforvarvsfrekvens,0126,2016,1,Södertälje\n".encode(
            "latin-1"
        ),
        "a.csv",
        "1",
        "line 2",
    ),
    ("cp1252", "indikator;område;år;värde\n".encode("cp1252"), "a.csv", "1", "not UTF-8"),
    ("binary", bytes(range(256)) * 40, "a.csv", "1", "not a text file"),
    ("binary-utf8-with-nul", csv_file(row("1\x00")), "a.csv", "1", "NUL"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "bild.json", "–", "not a text"),
    ("empty", b"", "a.csv", "1", "empty"),
    ("kolada-1e308", kolada("1e308"), "a.json", "1", "is too large"),
    ("kolada-1e30", kolada("1e30"), "a.json", "1", "is too large"),
    ("kolada-long-integer", kolada("9" * 5000), "a.json", "1", "is too large"),
    ("kolada-nan", kolada("NaN"), "a.json", "1", "is not a number"),
    ("kolada-infinity", kolada("Infinity"), "a.json", "1", "is infinite"),
    ("kolada-minus-infinity", kolada("-Infinity"), "a.json", "1", "is infinite"),
    ("kolada-value-list", kolada("[1]"), "a.json", "1", "must be a number or null"),
    ("kolada-value-object", kolada('{"a": 1}'), "a.json", "1", "must be a number or null"),
    ("kolada-kpi-object", kolada("1", kpi='{"a": [1]}'), "a.json", "1", "kpi"),
    ("kolada-period-list", kolada("1", period="[2016]"), "a.json", "1", "period"),
    ("kolada-period-long", kolada("1", period="9" * 5000), "a.json", "1", "outside"),
    ("kolada-negative-share", kolada("-3"), "a.json", "1", "outside the valid range"),
    ("json-nested-100000", b"[" * 100_000 + b"]" * 100_000, "a.json", "–", "nested too deeply"),
    (
        "json-nested-in-values",
        b'{"values": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "a.json",
        "–",
        "nested too deeply",
    ),
    ("json-truncated", b'{"values": [{"kpi": "N00914"', "a.json", "–", "not valid JSON"),
    ("json-scalar", b"1e308", "a.json", "–", "not a Kolada data file"),
    (
        "json-huge-string",
        kolada("1", kpi=json.dumps("N" * 2_000_000)),
        "a.json",
        "1",
        "Unknown indicator",
    ),
    (
        "utf-16-bad",
        b"\xff\xfe" + "indicator".encode("utf-16-le") + b"\x00\xd8",
        "a.csv",
        "1",
        "UTF-16",
    ),
]

# (id, file content, file name, the value stored for forvarvsfrekvens, 0126, 2016)
ACCEPTED = [
    ("csv-decimal-comma-quoted", csv_file(row('"1,5"')), "a.csv", Decimal("1.5")),
    (
        "csv-semicolons-decimal-comma",
        "indikator;område;år;värde\nforvarvsfrekvens;0126;2016;1,5\n".encode(),
        "a.csv",
        Decimal("1.5"),
    ),
    (
        "csv-extra-named-columns",
        csv_file(row("7") + ",Huddinge,x", header="indicator,area,year,value,area_name,extra\n"),
        "a.csv",
        Decimal(7),
    ),
    ("csv-tiny", csv_file(row("1e-30")), "a.csv", Decimal(0)),
    ("csv-range-edge-0", csv_file(row("0")), "a.csv", Decimal(0)),
    ("csv-range-edge-100", csv_file(row("100")), "a.csv", Decimal(100)),
    ("csv-utf-8-bom", b"\xef\xbb\xbf" + csv_file(row("2.5")), "a.csv", Decimal("2.5")),
    (
        "csv-utf-16-excel-unicode-text",
        "indicator\tarea\tyear\tvalue\nforvarvsfrekvens\t0126\t2016\t3,5\n".encode("utf-16"),
        "a.txt",
        Decimal("3.5"),
    ),
    ("kolada-decimal", kolada("78.1"), "a.json", Decimal("78.1")),
]

ALL_REFUSED = pytest.mark.parametrize(
    ("data", "name", "where", "fragment"),
    [pytest.param(*case[1:], id=case[0]) for case in REFUSED],
)
ALL_ACCEPTED = pytest.mark.parametrize(
    ("data", "name", "value"), [pytest.param(*case[1:], id=case[0]) for case in ACCEPTED]
)


def stored_value():
    return Observation.objects.values_list("value", flat=True).get()


# The service --------------------------------------------------------------------------------


@ALL_REFUSED
def test_service_reports_the_line_and_writes_nothing(setup, data, name, where, fragment):
    report = import_observations(data, name=name)
    assert not report.ok and not report.written
    problems = [(problem.where, problem.reason) for problem in report.errors]
    # Kolada records also name the gender: "1 (T)".
    assert any(w.split(" ")[0] == where and fragment in reason for w, reason in problems), problems
    assert all(len(reason) < 400 for _w, reason in problems), "messages quote values shortly"
    assert not Observation.objects.exists()


@ALL_ACCEPTED
def test_service_reads_these_files(setup, data, name, value):
    report = import_observations(data, name=name)
    assert report.ok, report.errors
    assert report.created == 1
    assert stored_value() == value


def test_the_range_message_names_value_unit_and_range(setup):
    report = import_observations(csv_file(row("-3", "nya-bostader")), name="a.csv")
    assert [problem.reason for problem in report.errors] == [
        "−3 per 1,000 inhabitants is outside the valid range of “Completed dwellings” "
        "(at least 0 per 1,000 inhabitants)."
    ]


def test_a_bad_line_does_not_hide_the_others(setup):
    data = csv_file(row("1e30"), row("50"), row("NaN").replace("2016", "2017"))
    report = import_observations(data, name="a.csv")
    assert [problem.where for problem in report.errors] == ["2", "4"]


def test_a_guarded_note_from_the_export_loses_its_quote(setup):
    data = csv_file(row("5") + ",'=HYPERLINK(1)", header="indicator,area,year,value,note\n")
    assert import_observations(data, name="a.csv").ok
    assert Observation.objects.get().note == "=HYPERLINK(1)"


# The admin upload ---------------------------------------------------------------------------

IMPORT_URL = "/admin/indicators/observation/import/"


def upload(client, data, name, **fields):
    return client.post(
        IMPORT_URL,
        {"file": SimpleUploadedFile(name, data), "file_format": "", "dry_run": "", **fields},
    )


@ALL_REFUSED
def test_admin_upload_lists_the_line_and_writes_nothing(
    admin_client, setup, data, name, where, fragment
):
    assert reverse("admin:indicators_observation_import") == IMPORT_URL
    response = upload(admin_client, data, name)
    assert response.status_code == 200
    if response.context["report"] is None:  # an empty file: the form says so before importing
        assert data == b"" and response.context["form"].errors["file"]
        return
    # The admin is in the default language: compare with the service's report in it.
    with translation.override("sv"):
        expected = import_observations(data, name=name, dry_run=True).errors
    page = response.text
    for problem in expected:
        assert f"<td>{html.escape(problem.where)}</td>" in page
        assert html.escape(problem.reason) in page
    assert not Observation.objects.exists()


@ALL_ACCEPTED
def test_admin_upload_reads_these_files(admin_client, setup, data, name, value):
    response = upload(admin_client, data, name)
    assert response.status_code == 200
    assert stored_value() == value


def test_admin_upload_above_the_size_limit_is_a_form_error(admin_client, setup, monkeypatch):
    monkeypatch.setattr(import_forms, "MAX_UPLOAD_BYTES", 1024 * 1024)
    huge = b'{"values": [' + b'{"kpi": "N00914"},' * 100_000 + b"{}]}"
    response = upload(admin_client, huge, "a.json")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Observation.objects.exists()


# The command --------------------------------------------------------------------------------


@ALL_REFUSED
def test_command_lists_the_line_and_fails_cleanly(tmp_path, setup, data, name, where, fragment):
    path = tmp_path / name
    path.write_bytes(data)
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_indicators", str(path), stdout=stdout, stderr=stderr)
    lines = stderr.getvalue().splitlines()
    assert any(line.startswith(("Line", "Record")) and fragment in line for line in lines), lines
    assert any(line.split(" ")[1].rstrip(":") == where for line in lines), lines
    assert not Observation.objects.exists()


@ALL_ACCEPTED
def test_command_reads_these_files(tmp_path, setup, data, name, value):
    path = tmp_path / name
    path.write_bytes(data)
    call_command("import_indicators", str(path), stdout=StringIO(), stderr=StringIO())
    assert stored_value() == value


# The valid range on the indicator and the observation form --------------------------------


def test_min_above_max_is_refused_by_the_form_and_the_database(setup):
    indicator = setup["share"]
    indicator.min_value, indicator.max_value = Decimal(10), Decimal(5)
    with pytest.raises(ValidationError) as caught:
        indicator.full_clean()
    assert "max_value" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=indicator.pk).update(min_value=10, max_value=5)


def test_a_range_that_stored_observations_break_is_refused(setup):
    import_observations(csv_file(row("40")), name="a.csv")
    indicator = setup["share"]
    indicator.max_value = Decimal(30)
    with pytest.raises(ValidationError) as caught:
        indicator.full_clean()
    assert "1 stored observation(s) lie outside" in str(caught.value.message_dict)


def test_admin_shows_the_range_fields(admin_client, setup):
    page = admin_client.get(
        reverse("admin:indicators_indicator_change", args=[setup["share"].pk])
    ).text
    assert 'name="min_value"' in page and 'name="max_value"' in page


def test_admin_observation_form_checks_the_range(admin_client, setup):
    from indicators.models import Area

    area = Area.objects.get(municipality__code="0126")
    data = {
        "indicator": setup["dwellings"].pk,
        "area": area.pk,
        "year": 2016,
        "gender": "T",
        "value": "-3",
        "note": "",
    }
    response = admin_client.post(reverse("admin:indicators_observation_add"), data)
    assert response.status_code == 200
    assert "value" in response.context["adminform"].form.errors
    assert not Observation.objects.exists()
    response = admin_client.post(
        reverse("admin:indicators_observation_add"), {**data, "value": "3"}
    )
    assert response.status_code == 302
    assert stored_value() == Decimal(3)


def test_demo_indicators_have_sensible_ranges():
    definitions = {
        d["code"]: d
        for d in json.loads(
            (Path(settings.BASE_DIR) / "fixtures" / "indicators.json").read_text("utf-8")
        )
    }
    for code, definition in definitions.items():
        assert definition["min_value"] == "0", code  # counts, shares, rates: never negative
        if definition["unit"] == "%":
            assert definition["max_value"] == "100", code


def test_admin_lists_at_most_1000_bad_rows_of_a_huge_file(admin_client, setup):
    data = csv_file(*(row("1e30").replace("2016", str(1900 + n % 200)) for n in range(1500)))
    response = upload(admin_client, data, "a.csv")
    assert response.status_code == 200
    assert len(response.context["report"].errors) == 1500
    assert response.text.count("1e30") == 1000
    assert "500" in response.text.split("1e30")[-1]  # "…and 500 more bad rows"
    assert not Observation.objects.exists()
