"""How an app makes its content searchable: the declaration of a search source.

An app lists its sources in its ``search.py``, with this vocabulary only::

    from sodertorn.searchable import SearchSource, markdown_body

    sources = [
        SearchSource(key="results", model=Result, label=_("Results"), title="title",
                     summary="summary", body=markdown_body("body"),
                     published=lambda: Result.objects.published(),
                     municipalities=["testbed__municipalities"]),
    ]

The search app (search/registry.py) reads every project app's ``sources`` at start-up
(``hooks.project_modules("search")``), keeps their documents up to date and answers queries;
nothing in it names a content type, and no app imports it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import translation

from .content_language import active_language, shown_language
from .markup import markdown_to_text

Getter = str | Callable[[models.Model], str]


def _get(obj, getter: Getter | None) -> str:
    if getter is None:
        return ""
    value = getter(obj) if callable(getter) else getattr(obj, getter)
    return "" if value is None else str(value)


def markdown_body(*fields: str) -> Callable[[models.Model], str]:
    """A body getter: the plain text of these Markdown fields, joined."""

    def getter(obj) -> str:
        return "\n\n".join(markdown_to_text(getattr(obj, name) or "") for name in fields)

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
    title_language: callable giving the language of a title a function gives (default: the
        language being indexed); a title named by its field knows its own.
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
    title_language: Callable[[models.Model], str] | None = None

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

    def language_of_title(self, obj) -> str:
        """The language the title is in, in the language being indexed: a translated field's
        English or its Swedish fallback; a function's text in the active language unless the
        source says otherwise (``title_language``)."""
        if self.title_language is not None:
            return self.title_language(obj)
        if isinstance(self.title, str):
            return shown_language(obj, self.title)
        return active_language()

    def fields(self, obj) -> dict:
        """The text of this object's search document as the getters give it (the search app
        cleans and indexes it)."""
        title = _get(obj, self.title)
        return {
            "title": title,
            "title_language": self.language_of_title(obj),
            "summary": _get(obj, self.summary),
            "body": _get(obj, self.body),
            "keywords": _get(obj, self.keywords) if self.keywords else title,
            "url": self.address(obj),
            "is_demo": bool(getattr(obj, "is_demo", False)),
        }
