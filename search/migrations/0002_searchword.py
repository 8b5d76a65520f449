from django.db import migrations, models

# Outside the model state, one per database (see SearchWord's docstring): how the near words of
# a query word are found among the indexed words.
POSTGRESQL = [
    # the word in code point order, for the look-up of a word or the words it begins
    (
        'CREATE INDEX IF NOT EXISTS search_searchword_word_c ON search_searchword (word COLLATE "C")',
        "DROP INDEX IF EXISTS search_searchword_word_c",
    ),
    (
        "CREATE INDEX IF NOT EXISTS search_searchword_folded_trgm "
        "ON search_searchword USING gin (folded gin_trgm_ops)",
        "DROP INDEX IF EXISTS search_searchword_folded_trgm",
    ),
]
SQLITE = [
    (
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_searchword_trigrams USING fts5("
        "folded, content='search_searchword', content_rowid='id', tokenize='trigram')",
        "DROP TABLE IF EXISTS search_searchword_trigrams",
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS search_searchword_trigrams_insert "
        "AFTER INSERT ON search_searchword BEGIN "
        "INSERT INTO search_searchword_trigrams (rowid, folded) VALUES (new.id, new.folded); END",
        "DROP TRIGGER IF EXISTS search_searchword_trigrams_insert",
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS search_searchword_trigrams_delete "
        "AFTER DELETE ON search_searchword BEGIN "
        "INSERT INTO search_searchword_trigrams (search_searchword_trigrams, rowid, folded) "
        "VALUES ('delete', old.id, old.folded); END",
        "DROP TRIGGER IF EXISTS search_searchword_trigrams_delete",
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS search_searchword_trigrams_update "
        "AFTER UPDATE ON search_searchword BEGIN "
        "INSERT INTO search_searchword_trigrams (search_searchword_trigrams, rowid, folded) "
        "VALUES ('delete', old.id, old.folded); "
        "INSERT INTO search_searchword_trigrams (rowid, folded) VALUES (new.id, new.folded); END",
        "DROP TRIGGER IF EXISTS search_searchword_trigrams_update",
    ),
]


def _statements(vendor):
    return {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, [])


def create(apps, schema_editor):
    for sql, _reverse in _statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for _sql, reverse in reversed(_statements(schema_editor.connection.vendor)):
        schema_editor.execute(reverse)


def fill(apps, schema_editor):
    """The words of the documents already there (a fresh database has none)."""
    from search import vocabulary

    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchWord = apps.get_model("search", "SearchWord")
    alias = schema_editor.connection.alias
    rows = SearchDocument.objects.using(alias).values_list("words_a", "words_b", "words_c", "keywords")
    found = set()
    for row in rows.iterator(chunk_size=500):
        found |= vocabulary.words_of(*row)
    SearchWord.objects.using(alias).bulk_create(
        [SearchWord(word=word, folded=vocabulary.fold(word)) for word in sorted(found)],
        batch_size=500,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=40, unique=True, verbose_name="word")),
                ("folded", models.CharField(db_index=True, max_length=40, verbose_name="without diacritics")),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
                "ordering": ["word"],
            },
        ),
        migrations.RunPython(create, drop, elidable=False),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
