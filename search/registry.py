"""One search over everything the portal publishes; content types join by registering.

Design
------
* **Registration.** An app that wants its content found puts a ``search.py`` module next to
  its models, listing ``sources = [SearchSource(...)]`` in the kernel's vocabulary
  (``sodertorn/searchable.py``); at start-up (``SearchConfig.ready``) the search app reads
  every project app's ``search`` module (``hooks.project_modules("search")``, the way
  sitemaps are found) and registers its sources here. Nothing in the search app names a
  content type, and no app imports the search app: a new app joins with one small file.
* **Stored documents.** Each row of a registered model has one ``search.SearchDocument``
  (title, summary and body as plain text, a keyword line for typo matching, its URL, the
  normalised words, and on PostgreSQL a stored weighted ``tsvector`` with a GIN index; see
  ``search/models.py``). Registering connects ``post_save``, ``post_delete`` and
  ``m2m_changed`` of the model (and ``post_save`` of the models named in ``follows``), so the
  document follows every edit; ``manage.py rebuild_search_index`` rebuilds everything and
  ``load_demo`` ends with a rebuild (``search/demo.py``).
* **Visibility at query time.** Every row is indexed, published or not, and each search keeps
  only documents whose object is in the source's ``published()`` queryset (one ``IN``
  subquery per source, in the same SQL statement). The apps' own visibility rules stay the
  single source of truth, and changes that send no signal (publishing with
  ``QuerySet.update()``, unpublishing a testbed and with it its results and films) are right
  at once without re-indexing. The municipality filter is applied the same way, through the
  source's lookups from its model to ``testbeds.Municipality``. Each subquery's SQL is
  compiled once per process (``query._published_sql``), so a source's ``published()`` must
  give the same SQL whenever it is built (no rule on today's date).
* **Query.** ``search/query.py``: PostgreSQL full-text search (Swedish configuration,
  weighted, ranked) plus pg_trgm word similarity on the keyword line; SQLite matches whole
  words in the stored normalised words. Two SQL statements, whatever the number of hits:
  the first few hits of every type by a cheap pre-rank and the number of hits per type
  (window functions), then the shown ones with their full score.
"""

from sodertorn.searchable import SearchSource, markdown_body

__all__ = ["SearchSource", "for_model", "get", "markdown_body", "register", "sources"]

_sources: dict[str, SearchSource] = {}


def register(source: SearchSource) -> SearchSource:
    """Add a content type to the search (call at start-up; safe to call again)."""
    from . import index

    for other in _sources.values():
        if other.key != source.key and other.model is source.model:
            raise ValueError(f"{source.model.__name__} is already registered as {other.key!r}")
    _sources[source.key] = source
    index.connect(source)
    return source


def unregister(key: str) -> None:
    from . import index

    source = _sources.pop(key, None)
    if source is not None:
        index.disconnect(source)


def sources() -> list[SearchSource]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.key))


def get(key: str) -> SearchSource | None:
    return _sources.get(key)


def for_model(model) -> SearchSource | None:
    for source in _sources.values():
        if source.model is model or (
            model._meta.proxy and source.model is model._meta.concrete_model
        ):
            return source
    return None
