"""Backup and restore round trip on the current database (SQLite or PostgreSQL) and media:
restored into an empty database and media folder, then checked row by row and file by file."""

import io
import re
import sqlite3
from contextlib import closing

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from indicators.tests.factories import IndicatorFactory, ObservationFactory
from results.models import GalleryImage
from results.tests.test_results import jpeg_with_gps
from sodertorn.backup import Database, count_rows, count_rows_of
from testbeds.tests.factories import TestbedFactory

pytestmark = [pytest.mark.each_database, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content(settings):
    testbed = TestbedFactory(title="Säkerhetskopierad bädd")
    GalleryImage.objects.create(
        testbed=testbed,
        image=SimpleUploadedFile("torget.jpg", jpeg_with_gps((60, 40)), content_type="image/jpeg"),
        alt_text="Torget",
    )
    indicator = IndicatorFactory()
    for year in (2018, 2019, 2020):
        ObservationFactory(indicator=indicator, year=year)
    (settings.MEDIA_ROOT / "notes").mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "notes" / "å ä ö.txt").write_text("filnamn med mellanslag")
    return testbed


@pytest.fixture
def empty_target(tmp_path):
    """An empty database of the same kind as the current one: a new SQLite file, or a new
    PostgreSQL database (created here and dropped afterwards)."""
    current = Database.from_settings(connection.settings_dict)
    if current.engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{current.name}_restore"[:63]
    with current.connect() as admin, admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = current.user + (f":{current.password}" if current.password else "")
    host = f"{current.host or '127.0.0.1'}:{current.port or 5432}"
    try:
        yield f"postgres://{auth}@{host}/{name}"
    finally:
        with current.connect() as admin, admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(command, *args, **options) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def figures(output: str) -> dict[str, tuple[int, int]]:
    found = {}
    for label in ("tables", "rows", "files"):
        match = re.search(rf"^{label} before/after: (\d+) / (\d+)", output, re.M)
        assert match, (label, output)
        found[label] = (int(match[1]), int(match[2]))
    return found


def test_backup_and_restore_into_an_empty_database_loses_nothing(
    content, empty_target, tmp_path, settings
):
    live_rows = count_rows_of(connection)
    live_files = sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    assert live_rows["testbeds_testbed"] == 1 and len(live_files) >= 2

    backup_out = run("backup", str(tmp_path / "backup"))
    assert f"rows: {sum(live_rows.values())}" in backup_out
    restored_media = tmp_path / "restored-media"
    output = run(
        "restore",
        str(tmp_path / "backup"),
        database_url=empty_target,
        media_root=str(restored_media),
    )
    print(output)
    numbers = figures(output)
    assert numbers["rows"] == (sum(live_rows.values()),) * 2
    assert numbers["tables"] == (len(live_rows),) * 2
    assert numbers["files"] == (len(live_files),) * 2
    assert "nothing is missing" in output
    assert count_rows(Database.from_url(empty_target)) == live_rows
    for path in live_files:
        relative = path.relative_to(settings.MEDIA_ROOT)
        assert (restored_media / relative).read_bytes() == path.read_bytes()
    # the backup is readable by its owner only
    assert (tmp_path / "backup").stat().st_mode & 0o077 == 0
    assert (tmp_path / "backup" / "manifest.json").stat().st_mode & 0o077 == 0


def test_restore_refuses_a_database_or_media_folder_that_is_not_empty(
    content, empty_target, tmp_path
):
    run("backup", str(tmp_path / "backup"))
    run("restore", str(tmp_path / "backup"), database_url=empty_target, no_media=True)
    with pytest.raises(CommandError, match="not empty|has \\d+ tables"):
        run("restore", str(tmp_path / "backup"), database_url=empty_target, no_media=True)
    with pytest.raises(CommandError, match="not empty|has \\d+ tables"):
        run("restore", str(tmp_path / "backup"))  # the current database is not empty


def test_the_check_reports_a_missing_file_and_a_missing_row(content, empty_target, tmp_path):
    run("backup", str(tmp_path / "backup"))
    media = tmp_path / "restored-media"
    run("restore", str(tmp_path / "backup"), database_url=empty_target, media_root=str(media))
    next(p for p in media.rglob("*.txt")).unlink()
    target = Database.from_url(empty_target)
    if target.engine == "sqlite":
        with closing(sqlite3.connect(target.name)) as db:
            db.execute("DELETE FROM indicators_observation WHERE year = 2020")
            db.commit()
    else:
        with target.connect() as db, db.cursor() as cursor:
            cursor.execute("DELETE FROM indicators_observation WHERE year = 2020")
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 difference"):
        call_command(
            "restore",
            str(tmp_path / "backup"),
            check=True,
            database_url=empty_target,
            media_root=str(media),
            stdout=out,
        )
    text = out.getvalue()
    assert "file notes/å ä ö.txt: missing" in text
    assert "table indicators_observation: 2 rows, 3 in the backup" in text
