"""Database connection set-up."""

from pathlib import Path


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def sqlite_unicode_lower(sender, connection, **kwargs):
    """SQLite's built-in lower() folds only ASCII; replace it with Python's, as PostgreSQL's
    lower() already handles å, ä and ö."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def ensure_sqlite_directories(databases: dict) -> None:
    """Create the folder of each SQLite database file (var/ by default) before the first
    connection: SQLite makes the file, not its folder. Called at start-up
    (SodertornConfig.ready), so importing the settings touches no disk."""
    for database in databases.values():
        name = str(database.get("NAME") or "")
        if (
            database.get("ENGINE", "").endswith("sqlite3")
            and name
            and name != ":memory:"
            and not name.startswith("file:")
        ):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
