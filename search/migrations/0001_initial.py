import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# PostgreSQL only (outside the model state, so SQLite never sees them): GIN indexes for the
# stored full-text vector and for trigram similarity on the keyword line.
INDEXES = [
    (
        "search_document_vector_gin",
        "CREATE INDEX IF NOT EXISTS search_document_vector_gin "
        "ON search_searchdocument USING gin (search_vector)",
    ),
    (
        "search_document_keywords_trgm",
        "CREATE INDEX IF NOT EXISTS search_document_keywords_trgm "
        "ON search_searchdocument USING gin (keywords gin_trgm_ops)",
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _name, sql in INDEXES:
            schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _sql in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        # CREATE EXTENSION IF NOT EXISTS pg_trgm; does nothing on other databases.
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.CharField(max_length=40, verbose_name="type")),
                ("object_id", models.PositiveBigIntegerField(verbose_name="object id")),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                ("body", models.TextField(blank=True, verbose_name="body")),
                ("keywords", models.CharField(blank=True, max_length=500, verbose_name="keywords")),
                ("url", models.CharField(max_length=500, verbose_name="address")),
                ("is_demo", models.BooleanField(default=False, verbose_name="example content")),
                ("words_a", models.TextField(blank=True)),
                ("words_b", models.TextField(blank=True)),
                ("words_c", models.TextField(blank=True)),
                ("search_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
                "ordering": ["source", "object_id"],
                "constraints": [
                    models.UniqueConstraint(fields=("source", "object_id"), name="search_document_unique"),
                    models.CheckConstraint(condition=models.Q(("source", ""), _negated=True), name="search_document_has_source"),
                ],
            },
        ),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
