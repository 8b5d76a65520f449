"""Database connection set-up."""


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def sqlite_unicode_lower(sender, connection, **kwargs):
    """SQLite's built-in lower() folds only ASCII; replace it with Python's, as PostgreSQL's
    lower() already handles å, ä and ö."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("lower", 1, _unicode_lower, deterministic=True)
