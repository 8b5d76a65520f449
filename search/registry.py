"""One search over everything the portal publishes; content types join by registering.

Design
------
* **Registration.** An app that wants its content found puts a ``search.py`` module next to
  its models; the search app imports every installed app's ``<app>.search`` module at start-up
  (``SearchConfig.ready``, the way ``load_demo`` finds ``<app>.demo``). The module calls::

      from search.registry import SearchSource, register
      register(SearchSource(key="results", model=Result, label=_("Results"),
                            title="title", summary="summary", body=markdown_body("body"),
                            published=lambda: Result.objects.published(),
                            municipalities=["testbed__municipalities"]))

  Nothing in the search app names a content type: a new app joins with one small file.
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
  source's lookups from its model to ``testbeds.Municipality``.
* **Query.** ``search/query.py``: PostgreSQL full-text search (Swedish configuration,
  weighted, ranked) plus pg_trgm word similarity on the keyword line; SQLite matches whole
  words in the stored normalised words. One SQL statement returns the best few hits of every
  type and the number of hits per type (window functions), whatever the number of hits.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import translation

from . import text

Getter = str | Callable[[models.Model], str]


def _get(obj, getter: Getter | None) -> str:
    if getter is None:
        return ""
    value = getter(obj) if callable(getter) else getattr(obj, getter)
    return "" if value is None else str(value)


def markdown_body(*fields: str) -> Callable[[models.Model], str]:
    """A body getter: the plain text of these Markdown fields, joined."""

    def getter(obj) -> str:
        return "\n\n".join(text.markdown_to_text(getattr(obj, name) or "") for name in fields)

    return getter


@dataclass(frozen=True, eq=False)
class SearchSource:
    """How one model is searched.

    key: short name used in the address (``?type=results``) and stored on every document.
    label: plural heading of the group on the results page.
    title / summary / body / keywords: attribute names or callables giving plain text.
        Title weighs most, then summary, then body. ``keywords`` (default: the title) is the
        line typos are forgiven against (trigram similarity on PostgreSQL).
    published: callable returning the queryset of what the public may see.
    municipalities: lookups from the model to testbeds.Municipality, for the municipality
        filter (a source without any is left out when that filter is used).
    queryset: callable returning the rows to index (add select_related for the getters).
    url: callable giving the object's address (default ``get_absolute_url``).
    follows: {model: lookup}: when such a row is saved, re-index this model's rows whose
        ``lookup`` is that row (e.g. work entries follow their idea group's slug and name).
    order: position of the group on the results page.
    """

    key: str
    model: type[models.Model]
    label: str
    title: Getter
    summary: Getter | None = None
    body: Getter | None = None
    keywords: Getter | None = None
    published: Callable[[], models.QuerySet] | None = None
    municipalities: Iterable[str] = ()
    queryset: Callable[[], models.QuerySet] | None = None
    url: Callable[[models.Model], str] | None = None
    follows: dict = field(default_factory=dict)
    order: int = 100

    @property
    def label_lower(self) -> str:
        return self.model._meta.label_lower

    def published_queryset(self) -> models.QuerySet:
        if self.published is not None:
            return self.published()
        return self.model._default_manager.all()

    def index_queryset(self) -> models.QuerySet:
        if self.queryset is not None:
            return self.queryset()
        return self.model._default_manager.all()

    def address(self, obj) -> str:
        """The object's address in the default language, whatever language is active while it
        is indexed (an edit made from an /en/ page); the results page translates it."""
        with translation.override(settings.LANGUAGE_CODE):
            return self.url(obj) if self.url else obj.get_absolute_url()

    def document(self, obj) -> dict:
        """The stored fields of this object's search document."""
        title = _get(obj, self.title)
        return {
            "title": text.clean(title),
            "summary": text.clean(_get(obj, self.summary)),
            "body": text.clean(_get(obj, self.body)),
            "keywords": text.clean(_get(obj, self.keywords) if self.keywords else title),
            "url": self.address(obj),
            "is_demo": bool(getattr(obj, "is_demo", False)),
        }


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
