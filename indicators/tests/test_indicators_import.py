"""Importing indicator data (CSV and Kolada JSON), the import command and admin page, exports."""

import json
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from indicators.models import Area, Observation
from indicators.services import import_observations
from indicators.tests.factories import AreaFactory, IndicatorFactory, municipality_area
from testbeds.tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.each_database, pytest.mark.django_db]

DATA = Path(settings.BASE_DIR) / "indicators" / "tests" / "data"
SAMPLE_CSV = (DATA / "sample.csv").read_bytes()
SAMPLE_KOLADA = (DATA / "kolada.json").read_bytes()
EXPECTED = {
    ("0127", 2016, "T"): Decimal("72.5"),
    ("0127", 2016, "K"): Decimal("70.1"),
    ("0127", 2016, "M"): Decimal("74.9"),
    ("0126", 2016, "T"): Decimal("78.3"),
    ("0126", 2017, "T"): Decimal("78.9"),
    ("0126", 2017, "K"): Decimal("76.4"),
    ("0126", 2017, "M"): Decimal("81.2"),
    ("0127", 2017, "T"): Decimal("73.0"),
}


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (the msgids); the admin is asked for English too."""
    with translation.override("en"):
        yield


@pytest.fixture
def setup():
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    botkyrka = MunicipalityFactory(name="Botkyrka", slug="botkyrka", code="0127")
    municipality_area(huddinge)  # Botkyrka has no area yet: the import makes it
    indicator = IndicatorFactory(
        code="forvarvsfrekvens", name="Förvärvsfrekvens", kolada_kpi="N00914"
    )
    tensta = AreaFactory(own_code="0180-tensta", own_name="Tensta")
    return {"indicator": indicator, "tensta": tensta, "botkyrka": botkyrka}


def stored():
    return {
        (o.area.code, o.year, o.gender): o.value
        for o in Observation.objects.select_related("area__municipality")
    }


def snapshot():
    return sorted(
        Observation.objects.values_list(
            "pk", "indicator_id", "area_id", "year", "gender", "value", "note", "is_example"
        )
    )


# Good files ---------------------------------------------------------------------------------


def test_csv_imports_every_row(setup):
    report = import_observations(SAMPLE_CSV, name="sample.csv")
    assert report.ok and report.written
    assert (report.rows, report.created, report.updated, report.unchanged) == (8, 8, 0, 0)
    assert stored() == EXPECTED
    assert not Observation.objects.filter(is_example=True).exists()


def test_a_programme_municipality_without_an_area_gets_one_from_the_municipality(setup):
    import_observations(SAMPLE_CSV, name="sample.csv")
    area = Area.objects.get(municipality=setup["botkyrka"])
    assert (area.kind, area.name, area.code, area.own_name, area.own_code) == (
        "municipality",
        "Botkyrka",
        "0127",
        "",
        "",
    )


def test_kolada_file_imports_the_same_values_as_the_equivalent_csv(setup):
    report = import_observations(SAMPLE_KOLADA, name="kolada.json")
    assert report.ok, report.errors
    assert report.created == 8
    assert stored() == EXPECTED
    assert [(p.line, p.detail, p.reason) for p in report.skipped] == [
        (2, "K", "No value (null) in the Kolada file.")
    ]
    # …and the CSV then finds nothing to change.
    again = import_observations(SAMPLE_CSV, name="sample.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)


def test_kolada_answer_without_the_count_wrapper_or_as_a_bare_list(setup):
    values = json.loads(SAMPLE_KOLADA)["values"]
    assert import_observations(json.dumps(values), file_format="kolada").created == 8
    Observation.objects.all().delete()
    assert import_observations(json.dumps({"values": values}), name="x.json").created == 8


def test_reimporting_the_same_file_changes_nothing(setup):
    import_observations(SAMPLE_CSV, name="sample.csv")
    before = snapshot()
    report = import_observations(SAMPLE_CSV, name="sample.csv")
    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 8)
    assert snapshot() == before


def test_changed_values_are_updated_in_place(setup):
    import_observations(SAMPLE_CSV, name="sample.csv")
    before = {row[0]: row for row in snapshot()}
    changed = SAMPLE_CSV.replace(b"0127,2016,72.5,T", b"0127,2016,72.9,T")
    report = import_observations(changed, name="sample.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 7)
    after = {row[0]: row for row in snapshot()}
    assert after.keys() == before.keys()  # same rows, one value changed
    assert stored()[("0127", 2016, "T")] == Decimal("72.9")


def test_dry_run_counts_but_writes_nothing(setup):
    report = import_observations(SAMPLE_CSV, name="sample.csv", dry_run=True)
    assert report.ok and not report.written
    assert report.created == 8
    assert not Observation.objects.exists()
    assert not Area.objects.filter(municipality=setup["botkyrka"]).exists()
    assert "Dry run" in report.summary()


def test_semicolon_separated_csv_with_swedish_headers_and_decimal_commas(setup):
    text = "indikator;område;år;värde;kön\nforvarvsfrekvens;0180-tensta;2016;61,5;T\n"
    report = import_observations(text.encode("utf-8"), name="data.csv")
    assert report.ok, report.errors
    assert stored() == {("0180-tensta", 2016, "T"): Decimal("61.5")}


def test_kpi_codes_and_indicator_codes_both_work_in_csv(setup):
    text = "indicator,area,year,value\nN00914,0180-tensta,2016,60\n"
    assert import_observations(text, name="a.csv").created == 1


def test_notes_and_example_flags_are_imported(setup):
    text = "indicator,area,year,value,note,is_example\nforvarvsfrekvens,0126,2016,1,Källa X,1\n"
    import_observations(text, name="a.csv")
    observation = Observation.objects.get()
    assert (observation.note, observation.is_example) == ("Källa X", True)


# Bad files ----------------------------------------------------------------------------------

BAD_ROWS = [
    ("nope,0126,2016,1,T", "Unknown indicator “nope”."),
    ("forvarvsfrekvens,9999,2016,1,T", "Unknown area “9999”."),
    ("forvarvsfrekvens,0126,2016,tolv,T", "The value “tolv” is not a number."),
    ("forvarvsfrekvens,0126,20x6,1,T", "The year “20x6” is not a whole number."),
    ("forvarvsfrekvens,0126,1850,1,T", "The year 1850 is outside 1900–2100."),
    ("forvarvsfrekvens,0126,2016,1,X", "Unknown gender “X”: use T (total), K (women) or M (men)."),
    ("forvarvsfrekvens,0126,2016,NaN,T", "The value “NaN” is not a number."),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_each_kind_of_bad_row_is_reported_with_its_line_and_nothing_is_written(setup, row, reason):
    text = f"indicator,area,year,value,gender\nforvarvsfrekvens,0126,2015,1,T\n{row}\n"
    report = import_observations(text, name="bad.csv")
    assert not report.ok and not report.written
    assert [(p.line, p.reason) for p in report.errors] == [(3, reason)]
    assert not Observation.objects.exists()
    assert "nothing was imported" in report.summary()


def test_a_duplicate_row_in_the_file_names_the_first_line(setup):
    text = (
        "indicator,area,year,value,gender\n"
        "forvarvsfrekvens,0126,2016,1,T\n"
        "forvarvsfrekvens,0127,2016,2,T\n"
        "forvarvsfrekvens,0126,2016,3,T\n"
    )
    report = import_observations(text, name="dup.csv")
    assert [(p.line, p.reason) for p in report.errors] == [
        (4, "Duplicate row: the same indicator, area, year and gender as line 2.")
    ]
    assert not Observation.objects.exists()
    assert not Area.objects.filter(municipality=setup["botkyrka"]).exists()  # rolled back


def test_every_bad_row_is_listed_not_only_the_first(setup):
    text = "indicator,area,year,value\n" + "".join(
        row.rsplit(",", 1)[0] + "\n" for row, _reason in BAD_ROWS[:3]
    )
    report = import_observations(text, name="bad.csv")
    assert [p.line for p in report.errors] == [2, 3, 4]


def test_existing_data_is_untouched_when_a_file_has_errors(setup):
    import_observations(SAMPLE_CSV, name="sample.csv")
    before = snapshot()
    bad = SAMPLE_CSV.replace(b"0127,2016,72.5,T", b"0127,2016,99,T") + b"nope,0126,2016,1,T\n"
    report = import_observations(bad, name="sample.csv")
    assert not report.ok
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"area,year,value\n0126,2016,1\n", "a.csv", "Missing: indicator."),
        (b"", "a.csv", "The file is empty."),
        # UTF-16 with a byte-order mark is read (tests/test_indicators_import_hostile.py).
        ("indicator,område,year,value\n".encode("cp1252"), "a.csv", "is not UTF-8 text"),
        (b'{"values": [', "a.json", "The file is not valid JSON"),
        (b'{"kpi": "N00914"}', "a.json", "This is not a Kolada data file"),
    ],
)
def test_unreadable_files_give_one_clear_error(setup, data, name, message):
    report = import_observations(data, name=name)
    assert len(report.errors) == 1
    assert message in report.errors[0].reason
    assert not Observation.objects.exists()


def test_bad_kolada_records_are_reported_by_record_number(setup):
    document = {
        "values": [
            {"kpi": "N00914", "municipality": "0126", "period": 2016, "values": []},
            {
                "kpi": "N99999",
                "municipality": "0126",
                "period": 2016,
                "values": [{"gender": "T", "value": 1}],
            },
            {"kpi": "N00914", "ou": "V15E012600101", "period": 2016, "values": []},
            {"kpi": "N00914", "period": 2016, "values": []},
        ]
    }
    report = import_observations(json.dumps(document), name="k.json")
    assert [(p.line, p.reason) for p in report.errors] == [
        (2, "Unknown indicator “N99999”."),
        (3, "Organisational-unit data (ou) cannot be imported; use municipality data."),
        (4, "Missing field(s): municipality."),
    ]
    assert report.errors[0].where == "2 (T)"


# Management command -------------------------------------------------------------------------


def test_command_imports_and_reports(setup, tmp_path):
    path = tmp_path / "sample.csv"
    path.write_bytes(SAMPLE_CSV)
    out = StringIO()
    call_command("import_indicators", str(path), stdout=out)
    assert "8 rows read: 8 added, 0 changed, 0 already up to date, 0 skipped." in out.getvalue()
    out = StringIO()
    call_command("import_indicators", str(path), stdout=out)
    assert "0 added, 0 changed, 8 already up to date" in out.getvalue()


def test_command_dry_run_writes_nothing(setup, tmp_path):
    path = tmp_path / "kolada.json"
    path.write_bytes(SAMPLE_KOLADA)
    out = StringIO()
    call_command("import_indicators", str(path), "--dry-run", stdout=out)
    assert "Dry run, nothing written" in out.getvalue()
    assert "Record 2 (K): No value (null) in the Kolada file." in out.getvalue()
    assert not Observation.objects.exists()


def test_command_lists_bad_rows_and_fails(setup, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("indicator,area,year,value\nforvarvsfrekvens,0126,2016,x\nnope,0126,2016,1\n")
    err = StringIO()
    with pytest.raises(CommandError, match="2 bad row"):
        call_command("import_indicators", str(path), stderr=err)
    assert "Line 2: The value “x” is not a number." in err.getvalue()
    assert "Line 3: Unknown indicator “nope”." in err.getvalue()
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_indicators", str(tmp_path / "missing.csv"))


# Admin upload -------------------------------------------------------------------------------

IMPORT_URL = "/admin/indicators/observation/import/"


def admin_text(message: str, **params) -> str:
    """A message as the admin shows it (unprefixed URLs are in the default language, Swedish)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = translation.gettext(message)
    return text % params if params else text


def upload(client, data=SAMPLE_CSV, name="sample.csv", **fields):
    return client.post(
        IMPORT_URL,
        {"file": SimpleUploadedFile(name, data), "file_format": "", **fields},
    )


def test_import_page_is_for_logged_in_staff_only(client, setup):
    assert reverse("admin:indicators_observation_import") == IMPORT_URL
    response = upload(client)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Observation.objects.exists()


def test_staff_without_import_permissions_are_refused(client, django_user_model, setup):
    user = django_user_model.objects.create_user("staff", password="pw-123456789", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_observation"))
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client).status_code == 403
    assert not Observation.objects.exists()
    changelist = client.get(reverse("admin:indicators_observation_changelist"))
    assert IMPORT_URL not in changelist.text


def test_curator_with_permissions_checks_then_imports(client, django_user_model, setup):
    user = django_user_model.objects.create_user("curator", password="pw-123456789", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_observation", "change_observation", "view_observation"]
        )
    )
    client.force_login(user)
    assert IMPORT_URL in client.get(reverse("admin:indicators_observation_changelist")).text
    page = client.get(IMPORT_URL)
    assert page.status_code == 200 and 'name="dry_run"' in page.text

    dry = upload(client, dry_run="on")
    assert dry.status_code == 200
    assert (
        admin_text(
            "Dry run, nothing written: %(rows)d rows read; %(created)d would be added, "
            "%(updated)d changed, %(unchanged)d are already up to date, %(skipped)d skipped.",
            rows=8,
            created=8,
            updated=0,
            unchanged=0,
            skipped=0,
        )
        in dry.text
    )
    assert not Observation.objects.exists()

    done = upload(client)
    assert (
        admin_text(
            "%(rows)d rows read: %(created)d added, %(updated)d changed, %(unchanged)d "
            "already up to date, %(skipped)d skipped.",
            rows=8,
            created=8,
            updated=0,
            unchanged=0,
            skipped=0,
        )
        in done.text
    )
    assert stored() == EXPECTED


def test_after_a_clean_dry_run_the_checked_file_is_imported_without_choosing_it_again(
    admin_client, setup, settings
):
    dry = upload(admin_client, dry_run="on")
    summary = admin_text(
        "Dry run, nothing written: %(rows)d rows read; %(created)d would be added, "
        "%(updated)d changed, %(unchanged)d are already up to date, %(skipped)d skipped.",
        rows=8,
        created=8,
        updated=0,
        unchanged=0,
        skipped=0,
    )
    assert dry.text.count(summary) == 1  # the report, not also an admin message above it
    token = re.search(r'<input type="hidden" name="pending" value="([^"]+)">', dry.text).group(1)
    kept = list((settings.MEDIA_ROOT / "private").rglob("*.data"))
    assert len(kept) == 1 and not Observation.objects.exists()

    assert admin_client.post(IMPORT_URL, {"pending": "someone-elses"}).status_code == 200
    assert not Observation.objects.exists()
    done = admin_client.post(IMPORT_URL, {"pending": token})
    assert done.status_code == 200
    written = admin_text(
        "%(rows)d rows read: %(created)d added, %(updated)d changed, %(unchanged)d "
        "already up to date, %(skipped)d skipped.",
        rows=8,
        created=8,
        updated=0,
        unchanged=0,
        skipped=0,
    )
    assert done.text.count(written) == 1 and 'name="pending"' not in done.text
    assert stored() == EXPECTED
    assert list((settings.MEDIA_ROOT / "private").rglob("*.data")) == []
    again = admin_client.post(IMPORT_URL, {"pending": token}, follow=True)
    assert admin_text("The checked file is no longer kept: choose it again.") in again.text


def test_a_dry_run_with_bad_rows_keeps_no_file_to_import(admin_client, setup, settings):
    bad = b"indicator,area,year,value\nnope,0126,2016,1\n"
    response = upload(admin_client, data=bad, name="bad.csv", dry_run="on")
    assert 'name="pending"' not in response.text
    assert not (settings.MEDIA_ROOT / "private").exists() or not list(
        (settings.MEDIA_ROOT / "private").rglob("*.data")
    )


def test_admin_report_lists_every_bad_row(admin_client, setup):
    bad = b"indicator,area,year,value\nforvarvsfrekvens,0126,2016,x\nnope,0126,2016,1\n"
    response = upload(admin_client, data=bad, name="bad.csv")
    assert response.status_code == 200
    not_a_number = admin_text("The value “%(value)s” is not a number.", value="x")
    unknown = admin_text("Unknown indicator “%(code)s”.", code="nope")
    assert f"<td>2</td><td>{not_a_number}</td>" in response.text
    assert f"<td>3</td><td>{unknown}</td>" in response.text
    assert not Observation.objects.exists()


def test_admin_upload_without_a_file_is_a_form_error(admin_client, setup):
    response = admin_client.post(IMPORT_URL, {"file_format": ""})
    assert response.status_code == 200
    assert admin_text("This field is required.") in response.text


def test_admin_pages_for_indicator_models_open(admin_client, setup):
    import_observations(SAMPLE_CSV, name="sample.csv")
    observation = Observation.objects.first()
    for url in [
        reverse("admin:indicators_area_changelist"),
        reverse("admin:indicators_area_add"),
        reverse("admin:indicators_area_change", args=[setup["tensta"].pk]),
        reverse("admin:indicators_indicator_changelist"),
        reverse("admin:indicators_indicator_change", args=[setup["indicator"].pk]),
        reverse("admin:indicators_observation_changelist"),
        reverse("admin:indicators_observation_change", args=[observation.pk]),
    ]:
        assert admin_client.get(url).status_code == 200, url


# Exports ------------------------------------------------------------------------------------


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_indicator_csv_export_can_be_imported_again_unchanged(client, setup):
    import_observations(SAMPLE_CSV, name="sample.csv")
    response = client.get("/indikatorer/forvarvsfrekvens.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="forvarvsfrekvens.csv"' in response["Content-Disposition"]
    text = streamed(response)
    lines = text.splitlines()
    assert lines[0] == "indicator,area,area_name,year,gender,value,note,is_example"
    assert "forvarvsfrekvens,0127,Botkyrka,2016,T,72.5,,0" in lines
    assert len(lines) == 9
    before = snapshot()
    report = import_observations(text.encode("utf-8"), name="export.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 8)
    assert snapshot() == before


def test_indicator_json_export(client, setup):
    import_observations(SAMPLE_CSV, name="sample.csv")
    data = client.get("/indikatorer/forvarvsfrekvens.json").json()
    assert data["indicator"]["code"] == "forvarvsfrekvens"
    assert data["indicator"]["kolada_kpi"] == "N00914"
    values = {(o["area"], o["year"], o["gender"]): o["value"] for o in data["observations"]}
    assert values == {key: float(value) for key, value in EXPECTED.items()}
    assert client.get("/indikatorer/saknas.json").status_code == 404
    assert client.get("/indikatorer/saknas.csv").status_code == 404


def test_export_of_all_indicators(client, setup):
    other = IndicatorFactory(code="annan", name="Annan")
    import_observations(SAMPLE_CSV + b"annan,0180-tensta,2016,5,T\n", name="sample.csv")
    text = streamed(client.get("/indikatorer/data.csv"))
    assert len(text.splitlines()) == 10
    assert "annan,0180-tensta,Tensta,2016,T,5,,0" in text
    data = client.get("/indikatorer/data.json").json()
    assert [i["code"] for i in data["indicators"]] == [other.code, "forvarvsfrekvens"]
    assert len(data["indicators"][1]["observations"]) == 8


# The temporary import table follows Observation's fields (issue 13) ---------------------------


def test_import_table_columns_come_from_the_observation_fields():
    from django.db import connection

    from indicators.models import Observation
    from indicators.services import import_table_columns

    columns = dict(import_table_columns())
    concrete = {
        f.column: f.db_type(connection)
        for f in Observation._meta.concrete_fields
        if not f.primary_key
    }
    assert columns == concrete  # every written column, typed as the model types it


@pytest.mark.django_db(transaction=True)
def test_import_table_types_match_the_observation_table_on_postgresql():
    """Fails when a column of indicators_observation and the temporary table drift apart."""
    from django.db import connection, transaction

    from indicators.models import Observation
    from indicators.services import IMPORT_TABLE, import_table_ddl

    if connection.vendor != "postgresql":
        pytest.skip("the COPY path is PostgreSQL's")
    query = (
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
        "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(import_table_ddl())
        cursor.execute(query, [IMPORT_TABLE])
        temporary = dict(cursor.fetchall())
        cursor.execute(query, [Observation._meta.db_table])
        real = dict(cursor.fetchall())
    assert temporary == {column: real[column] for column in temporary}


def test_a_confirmed_import_that_fails_keeps_the_checked_file_to_import_again(
    admin_client, setup, settings
):
    """The data changed between the dry run and the confirmation: nothing is written and the
    kept file is not lost, so the curator can put things right and confirm again."""
    dry = upload(admin_client, dry_run="on")
    token = re.search(r'<input type="hidden" name="pending" value="([^"]+)">', dry.text).group(1)
    indicator = setup["indicator"]
    indicator.code, indicator.kolada_kpi = "renamed", "N00000"
    indicator.save()

    failed = admin_client.post(IMPORT_URL, {"pending": token})
    assert failed.status_code == 200 and not Observation.objects.exists()
    assert f'name="pending" value="{token}"' in failed.text
    assert (
        admin_text(
            "Nothing was written, and the checked file is still kept. Correct what the rows "
            "below need in the portal, then import it again without choosing it:"
        )
        in failed.text
    )
    assert len(list((settings.MEDIA_ROOT / "private").rglob("*.data"))) == 1

    indicator.code, indicator.kolada_kpi = "forvarvsfrekvens", "N00914"
    indicator.save()
    done = admin_client.post(IMPORT_URL, {"pending": token})
    assert 'name="pending"' not in done.text and stored() == EXPECTED
    assert list((settings.MEDIA_ROOT / "private").rglob("*.data")) == []
