"""PostgreSQL only: the search table's wide text columns moved behind the ones every search
reads for every hit, and the vector kept in the row.

A search reads ``source``, ``object_id``, ``language``, ``search_vector`` (and for a few rows
``keywords``) of every candidate document; the shown text (title, summary, body, address) is
read for the few shown, and the stored words only when a document is written (SQLite matches
them, PostgreSQL makes the vector of them). PostgreSQL reads a column by stepping over every
column before it, so with the vector behind the texts a common word's search spent most of
its time stepping over them: the columns moved here are added again at the end, copied and
the old ones dropped (no change to the model's state). ``STORAGE MAIN`` keeps the vector in
the row rather than in the TOAST table when a row is long (the texts go there first), so
matching does not fetch it from another table. At 5,000 testbeds: about 20 -> 15 ms for the
first search statement of a common word (bench/search.py).

Not atomic as a whole: the move is one transaction, then ``VACUUM FULL`` (which cannot run in
one) rewrites the table without the dropped columns' copies the rows still hold. Going back
leaves the order as it is: Django reads columns by name.
"""

from django.db import migrations

TABLE = "search_searchdocument"
# (column, type) as Django creates them; every one NOT NULL.
MOVED = [
    ("title", "varchar(300)"),
    ("summary", "text"),
    ("body", "text"),
    ("url", "varchar(500)"),
    ("words_a", "text"),
    ("words_b", "text"),
    ("words_c", "text"),
]


def move_columns(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    for column, kind in MOVED:
        execute(f"ALTER TABLE {TABLE} RENAME COLUMN {column} TO {column}_before")
        execute(f"ALTER TABLE {TABLE} ADD COLUMN {column} {kind}")
    execute(f"UPDATE {TABLE} SET " + ", ".join(f"{c} = {c}_before" for c, _kind in MOVED))
    for column, _kind in MOVED:
        execute(f"ALTER TABLE {TABLE} DROP COLUMN {column}_before")
        execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET NOT NULL")
    execute(f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE MAIN")


def vacuum_full(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"VACUUM FULL ANALYZE {TABLE}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("search", "0004_document_title_language"),
    ]

    operations = [
        migrations.RunPython(move_columns, migrations.RunPython.noop, atomic=True),
        migrations.RunPython(vacuum_full, migrations.RunPython.noop, atomic=False),
    ]
