"""Backup and restore of the database and the media, with a check that nothing is missing.

A backup is a folder with three files:

- ``database.dump`` (PostgreSQL, ``pg_dump -Fc``) or ``database.sqlite3`` (SQLite, a copy made
  with SQLite's online backup API);
- ``media.tar``: every file under MEDIA_ROOT;
- ``manifest.json``: the row count of every table and the size and SHA-256 of every media
  file, taken from the same snapshot as the dump.

``restore`` loads a backup into an EMPTY database and an empty media folder and then compares
them with the manifest (``manage.py restore --check`` compares without loading). Used by
``manage.py backup`` and ``manage.py restore`` (docs/deploy.md, "Backup and restore").
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

MANIFEST = "manifest.json"
MEDIA_TAR = "media.tar"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    pass


# Databases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """Where a database is: enough to count its rows, dump it or restore into it."""

    engine: str  # "postgresql" or "sqlite"
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, settings_dict: dict) -> Database:
        engine = settings_dict["ENGINE"].rsplit(".", 1)[-1]
        if engine not in ("postgresql", "sqlite3"):
            raise BackupError(f"unsupported database engine {settings_dict['ENGINE']}")
        return cls(
            engine="sqlite" if engine == "sqlite3" else "postgresql",
            name=str(settings_dict["NAME"]),
            user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "",
            host=settings_dict.get("HOST") or "",
            port=str(settings_dict.get("PORT") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        parts = urlsplit(url)
        if parts.scheme in ("postgres", "postgresql", "pgsql"):
            return cls(
                engine="postgresql",
                name=unquote(parts.path.lstrip("/")),
                user=unquote(parts.username or ""),
                password=unquote(parts.password or ""),
                host=parts.hostname or "",
                port=str(parts.port or ""),
            )
        if parts.scheme == "sqlite":
            return cls(engine="sqlite", name=unquote(parts.path[1:]))
        raise BackupError(f"unsupported database address {url!r}")

    def with_name(self, name: str) -> Database:
        return Database(self.engine, name, self.user, self.password, self.host, self.port)

    # PostgreSQL connection and client programs
    def conninfo(self, dbname: str | None = None) -> dict:
        info = {"dbname": dbname or self.name}
        for key in ("user", "password", "host", "port"):
            if getattr(self, key):
                info[key] = getattr(self, key)
        return info

    def pg_args(self) -> list[str]:
        args = []
        if self.host:
            args += ["-h", self.host]
        if self.port:
            args += ["-p", self.port]
        if self.user:
            args += ["-U", self.user]
        return args

    def pg_env(self) -> dict:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, dbname: str | None = None):
        import psycopg

        return psycopg.connect(**self.conninfo(dbname), autocommit=True)

    def label(self) -> str:
        if self.engine == "sqlite":
            return f"SQLite {self.name}"
        return f"PostgreSQL {self.name} on {self.host or 'localhost'}:{self.port or 5432}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
    )
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(f"SELECT count(*) FROM {_quote(schema)}.{_quote(table)}")
        key = table if schema == "public" else f"{schema}.{table}"
        counts[key] = cursor.fetchone()[0]
    return counts


def _sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        t: connection.execute(f"SELECT count(*) FROM {_quote(t)}").fetchone()[0] for t in tables
    }


def count_rows(database: Database) -> dict[str, int]:
    """Rows per table, as the database holds them now."""
    if database.engine == "sqlite":
        if not Path(database.name).exists():
            return {}
        with closing(sqlite3.connect(database.name)) as connection:
            return _sqlite_counts(connection)
    with database.connect() as connection, connection.cursor() as cursor:
        return _pg_counts(cursor)


def count_rows_of(django_connection) -> dict[str, int]:
    """Rows per table through a Django connection (also an in-memory SQLite database)."""
    django_connection.ensure_connection()
    if django_connection.vendor == "sqlite":
        return _sqlite_counts(django_connection.connection)
    with django_connection.cursor() as cursor:
        return _pg_counts(cursor)


def _dump_postgresql(database: Database, target: Path) -> dict[str, int]:
    """pg_dump -Fc of a snapshot, and the row counts of the same snapshot."""
    import psycopg

    if not shutil.which("pg_dump"):
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    with psycopg.connect(**database.conninfo()) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _pg_counts(cursor)
            result = subprocess.run(
                [
                    "pg_dump",
                    *database.pg_args(),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={target}",
                    database.name,
                ],
                env=database.pg_env(),
                capture_output=True,
                text=True,
            )
        connection.rollback()
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return counts


def _copy_sqlite(source: sqlite3.Connection, target: Path) -> dict[str, int]:
    with closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
        return _sqlite_counts(copy)


# Media -------------------------------------------------------------------------------------


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def list_files(root: Path) -> dict[str, dict]:
    """{relative path: {"size", "sha256"}} of every file under root."""
    root = Path(root)
    if not root.exists():
        return {}
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(root).as_posix()] = {
                "size": path.stat().st_size,
                "sha256": _hash(path),
            }
    return files


def _tar_media(root: Path, target: Path) -> dict[str, dict]:
    files = list_files(root)
    with tarfile.open(target, "w") as archive:
        for name in files:
            archive.add(Path(root) / name, arcname=name, recursive=False)
    return files


# Backup and restore ------------------------------------------------------------------------


@dataclass
class Comparison:
    rows_before: int
    rows_after: int
    files_before: int
    files_after: int
    bytes_before: int
    bytes_after: int
    tables_before: int
    tables_after: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        lines = [
            f"tables before/after: {self.tables_before} / {self.tables_after}",
            f"rows before/after: {self.rows_before} / {self.rows_after}",
            f"files before/after: {self.files_before} / {self.files_after} "
            f"({self.bytes_before} / {self.bytes_after} bytes)",
        ]
        if self.problems:
            lines.append(f"MISSING OR DIFFERENT ({len(self.problems)}):")
            lines += [f"  {problem}" for problem in self.problems[:50]]
            if len(self.problems) > 50:
                lines.append(f"  … and {len(self.problems) - 50} more")
        else:
            lines.append("check: nothing is missing")
        return lines


def compare(manifest: dict, rows: dict[str, int], files: dict[str, dict] | None) -> Comparison:
    expected_rows, expected_files = manifest["tables"], manifest["files"]
    problems = []
    for table, count in sorted(expected_rows.items()):
        if table not in rows:
            problems.append(f"table {table}: missing ({count} rows in the backup)")
        elif rows[table] != count:
            problems.append(f"table {table}: {rows[table]} rows, {count} in the backup")
    for table in sorted(set(rows) - set(expected_rows)):
        problems.append(f"table {table}: not in the backup")
    if files is not None:
        for name, meta in sorted(expected_files.items()):
            found = files.get(name)
            if found is None:
                problems.append(f"file {name}: missing")
            elif found != meta:
                problems.append(f"file {name}: different size or content")
        for name in sorted(set(files) - set(expected_files)):
            problems.append(f"file {name}: not in the backup")
    files = files if files is not None else {}
    return Comparison(
        rows_before=sum(expected_rows.values()),
        rows_after=sum(rows.values()),
        files_before=len(expected_files),
        files_after=len(files),
        bytes_before=sum(meta["size"] for meta in expected_files.values()),
        bytes_after=sum(meta["size"] for meta in files.values()),
        tables_before=len(expected_rows),
        tables_after=len(rows),
        problems=problems,
    )


def backup(
    folder: Path, *, database: Database, media_root: Path | None, sqlite_source=None
) -> dict:
    """Write a backup into ``folder`` (created; must be empty) and return its manifest.

    ``sqlite_source`` is an open sqlite3 connection to copy from (Django's own, so an
    in-memory test database works too); otherwise the file ``database.name`` is opened."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty")
    folder.chmod(0o700)  # the dump holds password hashes and personal data
    previous_umask = os.umask(0o077)
    try:
        return _backup(
            folder, database=database, media_root=media_root, sqlite_source=sqlite_source
        )
    finally:
        os.umask(previous_umask)


def _backup(folder: Path, *, database: Database, media_root: Path | None, sqlite_source) -> dict:
    if database.engine == "postgresql":
        dump = PG_DUMP
        counts = _dump_postgresql(database, folder / dump)
    else:
        dump = SQLITE_COPY
        if sqlite_source is not None:
            counts = _copy_sqlite(sqlite_source, folder / dump)
        else:
            with closing(sqlite3.connect(database.name)) as source:
                counts = _copy_sqlite(source, folder / dump)
    files = _tar_media(media_root, folder / MEDIA_TAR) if media_root is not None else {}
    manifest = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": database.engine,
        "database_file": dump,
        "media": media_root is not None,
        "tables": counts,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{path} not found: not a backup folder")
    return json.loads(path.read_text())


def _require_empty_database(database: Database) -> None:
    if database.engine == "sqlite":
        path = Path(database.name)
        if path.exists() and path.stat().st_size and count_rows(database):
            raise BackupError(f"{database.label()} is not empty: restore only into an empty one")
        return
    try:
        with database.connect() as connection, connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_tables "
                "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
            tables = cursor.fetchone()[0]
    except Exception as exc:
        raise BackupError(
            f"cannot open {database.label()} ({exc}); create it first, empty: "
            f"createdb {database.name}"
        ) from exc
    if tables:
        raise BackupError(
            f"{database.label()} has {tables} tables: restore only into an empty database"
        )


def _require_empty_folder(root: Path) -> None:
    if root.exists() and any(root.iterdir()):
        raise BackupError(f"media folder {root} is not empty: restore only into an empty one")


def restore(folder: Path, *, database: Database, media_root: Path | None) -> Comparison:
    """Load a backup into an empty database (and an empty media folder), then compare."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest["engine"] != database.engine:
        raise BackupError(
            f"the backup is of a {manifest['engine']} database; the target is {database.engine}"
        )
    _require_empty_database(database)
    if media_root is not None and manifest.get("media"):
        _require_empty_folder(Path(media_root))
    dump = folder / manifest["database_file"]
    if database.engine == "postgresql":
        if not shutil.which("pg_restore"):
            raise BackupError("pg_restore is not installed (apt-get install postgresql-client)")
        result = subprocess.run(
            [
                "pg_restore",
                *database.pg_args(),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={database.name}",
                str(dump),
            ],
            env=database.pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        Path(database.name).parent.mkdir(parents=True, exist_ok=True)
        source, copy = sqlite3.connect(dump), sqlite3.connect(database.name)
        with closing(source), closing(copy):
            source.backup(copy)
    if media_root is not None and manifest.get("media"):
        media_root = Path(media_root)
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA_TAR) as archive:
            archive.extractall(media_root, filter="data")
    return check(folder, database=database, media_root=media_root)


def check(folder: Path, *, database: Database, media_root: Path | None) -> Comparison:
    """Compare a database and a media folder with a backup's manifest."""
    manifest = read_manifest(folder)
    files = list_files(media_root) if media_root is not None and manifest.get("media") else None
    return compare(manifest, count_rows(database), files)
