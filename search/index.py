"""Keeping the stored search documents current (design: search/registry.py).

Saving or deleting an object of a registered model, or changing its many-to-many relations,
rewrites or removes its document at once (in the same transaction). Raw saves (``loaddata``)
are skipped because related rows may not exist yet: run ``manage.py rebuild_search_index``
after loading fixtures (``load_demo`` does it itself).
"""

from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Value
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

from sodertorn.content_language import base_language

from . import registry, text, vocabulary
from .models import SearchDocument

BATCH = 500
# PostgreSQL's text search configuration of each language's documents and queries.
CONFIGS = {"sv": "swedish", "en": "english"}


def languages() -> list[str]:
    """The languages every object is indexed in: the site's (settings.LANGUAGES)."""
    return [code for code, _name in settings.LANGUAGES]


def search_language(language: str | None = None) -> str:
    """The documents a search reads: those of ``language`` (default: the active one), or of
    the default language when the site does not index that one."""
    code = base_language(language or translation.get_language() or settings.LANGUAGE_CODE)
    return code if code in languages() else settings.LANGUAGE_CODE


def config(language: str) -> str:
    return CONFIGS.get(language, "simple")


def _vector(language: str, fields: dict | None = None):
    """The weighted vector of a document's stored words (title A, summary B, body C): of its
    columns, or of these ``fields``' values (to write it with the row, in one INSERT)."""
    name = config(language)
    column = (lambda key: Value(fields[key])) if fields is not None else (lambda key: key)
    return (
        SearchVector(column("words_a"), config=name, weight="A")
        + SearchVector(column("words_b"), config=name, weight="B")
        + SearchVector(column("words_c"), config=name, weight="C")
    )


def is_postgresql(using: str = DEFAULT_DB_ALIAS) -> bool:
    return connections[using].vendor == "postgresql"


def document_fields(source, obj, language: str) -> dict:
    """The text ``obj``'s document in ``language`` holds: the source's getters read with that
    language active (``translation.override``), so a translated field gives its text in that
    language (or its fallback), cleaned and cut to the stored lengths, with its normalised
    words. Swedish variants are added in every language: an English document holds the
    Swedish text of every field without English (and names such as "Flemingsbergs"). No
    database work beyond the getters'."""
    with translation.override(language):
        fields = source.fields(obj)
    for name in ("title", "summary", "body", "keywords"):
        fields[name] = text.clean(fields[name])
    fields["title"] = fields["title"][:300]
    fields["keywords"] = fields["keywords"][:500]
    fields["words_a"] = text.terms(fields["title"])
    fields["words_b"] = text.terms(fields["summary"])
    fields["words_c"] = text.terms(fields["body"])
    fields["language"] = language
    return fields


def index_object(source, obj, using: str = DEFAULT_DB_ALIAS) -> None:
    """Write (or rewrite) the documents of one object, one per language."""
    documents = SearchDocument.objects.using(using)
    words = set()
    for language in languages():
        fields = document_fields(source, obj, language)
        document, _created = documents.update_or_create(
            source=source.key, object_id=obj.pk, language=language, defaults=fields
        )
        if is_postgresql(using):
            documents.filter(pk=document.pk).update(search_vector=_vector(language))
        words |= _words(fields)
    vocabulary.add(words, using)


def _words(fields: dict) -> set[str]:
    """The document's words for the vocabulary (search/vocabulary.py)."""
    return vocabulary.words_of(
        fields["words_a"], fields["words_b"], fields["words_c"], fields["keywords"]
    )


def remove_object(source, pk, using: str = DEFAULT_DB_ALIAS) -> None:
    SearchDocument.objects.using(using).filter(source=source.key, object_id=pk).delete()


def index_queryset(source, queryset, using: str = DEFAULT_DB_ALIAS) -> None:
    for obj in queryset.using(using).iterator(chunk_size=BATCH):
        index_object(source, obj, using)


def rebuild(using: str = DEFAULT_DB_ALIAS, stdout=None) -> dict[str, int]:
    """Replace every document with fresh ones from the registered sources: {key: number of
    documents}, one per object and language.

    Replaces the vocabulary with the documents' words (search/vocabulary.py), then refreshes
    the table's statistics (and vacuums it when outside a transaction)."""
    counts, words = {}, set()
    with transaction.atomic(using=using):
        documents = SearchDocument.objects.using(using)
        documents.exclude(source__in=[s.key for s in registry.sources()]).delete()
        postgresql = is_postgresql(using)
        for source in registry.sources():
            documents.filter(source=source.key).delete()
            batch, count = [], 0
            rows = source.index_queryset().using(using)
            # iterator() needs a chunk size to keep a queryset's prefetch_related.
            for obj in rows.iterator(chunk_size=BATCH):
                for language in languages():
                    fields = document_fields(source, obj, language)
                    words |= _words(fields)
                    # The vector in the same INSERT: every row written once, so a rebuild
                    # leaves no second version of each to vacuum and the table stays compact.
                    vector = _vector(language, fields) if postgresql else None
                    batch.append(
                        SearchDocument(
                            source=source.key, object_id=obj.pk, search_vector=vector, **fields
                        )
                    )
                if len(batch) >= BATCH:
                    documents.bulk_create(batch)
                    count += len(batch)
                    batch = []
            documents.bulk_create(batch)
            count += len(batch)
            counts[source.key] = count
        vocabulary.replace(words, using)
    refresh_statistics(using)
    return counts


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """After a rebuild, reclaim the table's dead rows and refresh its planner statistics.

    A rebuild deletes every document and writes each new one once (its vector in the same
    INSERT), leaving a dead row per document (the old one). On
    PostgreSQL ``VACUUM (ANALYZE, INDEX_CLEANUP ON)`` clears them (``INDEX_CLEANUP ON``: when
    the dead rows fill under 2 % of a larger table's pages, as after a rebuild of a few
    documents in a table grown by earlier ones, a plain VACUUM skips the indexes and leaves
    the dead rows' line pointers, still counted as dead), but VACUUM cannot run inside a transaction
    block: inside one (``load_demo``'s ``atomic()``, a test) ``ANALYZE`` runs now and the
    VACUUM once the outermost block commits. SQLite: ``ANALYZE`` of the one table (cheap).
    Returns the statement run now, or None.
    """
    connection = connections[using]
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    if connection.vendor == "postgresql":
        in_transaction = connection.in_atomic_block or not connection.get_autocommit()
        statement = (
            f"ANALYZE {table}" if in_transaction else f"VACUUM (ANALYZE, INDEX_CLEANUP ON) {table}"
        )
        if connection.in_atomic_block:
            transaction.on_commit(lambda: refresh_statistics(using), using=using, robust=True)
    elif connection.vendor == "sqlite":
        statement = f"ANALYZE {table}"
    else:
        return None
    with connection.cursor() as cursor:
        if statement.startswith("VACUUM") and connection.pg_version >= 150000:
            # This session's row counts reach pg_stat_user_tables at most once a second: sent
            # after the VACUUM's, they would count the rows it removed as dead again.
            cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute(statement)
    return statement


# Signals -------------------------------------------------------------------------------------


def _source_of(sender):
    return registry.for_model(sender)


def _on_save(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    source = _source_of(sender)
    if source is not None and not raw:
        index_object(source, instance, using)


def _on_delete(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    source = _source_of(sender)
    if source is not None:
        remove_object(source, instance.pk, using)


def _on_m2m(sender, instance, action, reverse, model, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    if not action.startswith("post_"):
        return
    source = _source_of(type(instance))
    if source is not None:
        index_object(source, instance, using)
    else:  # the other side changed: re-index the registered objects it touched
        source = _source_of(model)
        if source is not None and pk_set:
            index_queryset(source, source.index_queryset().filter(pk__in=pk_set), using)


def _on_followed_save(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    if raw:
        return
    for source in registry.sources():
        for model, lookup in source.follows.items():
            if issubclass(sender, model) or sender._meta.concrete_model is model:
                # through a subquery: a lookup across a to-many relation repeats rows
                pks = source.model._default_manager.filter(**{lookup: instance.pk}).values("pk")
                rows = source.index_queryset().filter(pk__in=pks)
                index_queryset(source, rows, using)


def _senders(model) -> list:
    """The model and its proxy models (a save through a proxy has the proxy as sender)."""
    return [model] + [
        other
        for other in apps.get_models()
        if other._meta.proxy and other._meta.concrete_model is model
    ]


def _uid(kind: str, model) -> str:
    return f"search:{kind}:{model._meta.label_lower}"


def connect(source) -> None:
    for model in _senders(source.model):
        post_save.connect(_on_save, sender=model, dispatch_uid=_uid("save", model))
        post_delete.connect(_on_delete, sender=model, dispatch_uid=_uid("delete", model))
    for m2m in source.model._meta.local_many_to_many:
        through = m2m.remote_field.through
        m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=_uid("m2m", through))
    for model in source.follows:
        for sender in _senders(model):
            post_save.connect(_on_followed_save, sender=sender, dispatch_uid=_uid("follow", sender))


_pauses = 0


@contextmanager
def paused():
    """No index updates on save or delete inside the block (every source's signals
    disconnected, then connected again): for a bulk load that rebuilds the index after it
    (search/demo.py) and for the tests that never search (conftest.py). Blocks nest: only
    the outermost one connects the signals again."""
    global _pauses
    sources = registry.sources()
    if _pauses == 0:
        for source in sources:
            disconnect(source)
            # the receivers that re-index a source's rows when a row it follows is saved
            # (shared by every source following that model; connect() restores them)
            for model in source.follows:
                for sender in _senders(model):
                    post_save.disconnect(sender=sender, dispatch_uid=_uid("follow", sender))
    _pauses += 1
    try:
        yield
    finally:
        _pauses -= 1
        if _pauses == 0:
            for source in sources:
                connect(source)


def disconnect(source) -> None:
    for model in _senders(source.model):
        post_save.disconnect(sender=model, dispatch_uid=_uid("save", model))
        post_delete.disconnect(sender=model, dispatch_uid=_uid("delete", model))
    for m2m in source.model._meta.local_many_to_many:
        through = m2m.remote_field.through
        m2m_changed.disconnect(sender=through, dispatch_uid=_uid("m2m", through))
    # A followed model's receiver is shared by the sources that follow it: dropped with the
    # last of them (registry.unregister pops the source before calling this).
    still_followed = {model for other in registry.sources() for model in other.follows}
    for model in source.follows:
        if model not in still_followed:
            for sender in _senders(model):
                post_save.disconnect(sender=sender, dispatch_uid=_uid("follow", sender))
