"""In which language a piece of content is shown, for ``lang`` attributes (WCAG 3.1.2).

All content (testbeds, results, indicators, …) is written in the content language, Swedish
(``settings.LANGUAGE_CODE``); the interface follows the visitor's language. Where the two
differ, an element showing content carries ``lang="sv"`` (sodertorn/templatetags/content.py)
and the page says once that some content is available in Swedish only.

One question, asked per field: ``shown_language(obj, field)``. Content fields are translatable
(django-modeltranslation, ``<app>/translation.py``): ``title`` reads ``title_en`` on an English
page when it is filled in, else ``title_sv``. The answer is "en" exactly then, and every
template follows; the notice appears only when some field fell back to Swedish.

Not marked, by decision: proper names that read the same in both languages (municipality and
area names such as "Huddinge" or "Flemingsberg", people's names); organisations' names are
marked, as they are mostly Swedish words ("Huddinge kommun"). Text inside attributes (alt
texts, ``<title>``, meta descriptions, the labels of maps and charts) cannot carry a language
of its own and stays unmarked. Residents' dialogue contributions are in whatever language
they were written in, so they are not marked either.
"""

from django.conf import settings
from django.utils.translation import get_language


def content_language():
    """The language content is written in when it has no translation."""
    return settings.LANGUAGE_CODE


def active_language():
    return base_language(get_language() or settings.LANGUAGE_CODE)


def translated_fields(model) -> tuple[str, ...]:
    """The translated fields of ``model`` (a class), or () when it has none."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        return tuple(translator.get_options_for_model(model).get_field_names())
    except NotRegistered:
        return ()


def localized(path: str, language: str | None = None):
    """A query expression for the translated field at ``path`` ("title", "theme__name") in
    the active language, falling back to Swedish where it is empty: for ``values()``,
    ``annotate()`` and ``order_by()`` on querysets modeltranslation does not rewrite (through
    tables, lookups across relations). One column expression: no query per row."""
    from django.db.models import F, TextField, Value
    from django.db.models.functions import Coalesce, NullIf

    language = base_language(language or active_language())
    swedish = F(f"{path}_{content_language()}")
    if language == content_language():
        return swedish
    text = TextField()
    own = NullIf(F(f"{path}_{language}"), Value(""), output_field=text)
    return Coalesce(own, swedish, output_field=text)


def _value(obj, name):
    """``obj``'s loaded ``name`` (a dict key, or an attribute already on the instance): never
    a query for a deferred field."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, "__dict__", {}).get(name)


def _str_field(obj):
    """The translated field ``str(obj)`` shows, for the models that show their title or name."""
    fields = translated_fields(type(obj))
    for name in ("title", "name"):
        if name in fields:
            return name
    return None


def shown_language(obj, field=None):
    """The language of the text shown for ``obj``'s ``field`` in the active language: the
    active language when its own value of the field is filled in, else Swedish (the text
    modeltranslation falls back to).

    No database work: it reads what the queryset loaded (``title_en``; a ``values()`` row
    must carry it, or a ``<field>_language`` a selector worked out). ``field`` may name a
    relation shown as a list of names ("themes": English only when every prefetched one has
    it), or be None for the object as ``str()`` shows it.
    """
    language = active_language()
    if language == content_language() or obj is None:
        return content_language()
    precomputed = _value(obj, f"{field}_language") if field else None
    if precomputed:
        return precomputed
    if field is None:
        field = _str_field(obj)
        if field is None:
            return content_language()
    if _value(obj, f"{field}_{language}"):
        return language
    related = getattr(obj, "_prefetched_objects_cache", {}).get(field)
    if related is not None:
        items = list(related)
        if items and all(shown_language(item) == language for item in items):
            return language
    return content_language()


def base_language(code):
    """ "sv" for "sv", "sv-se" or "sv_SE"."""
    return (code or "").replace("_", "-").split("-")[0].lower()


def differs_from_page(language):
    """True when text in ``language`` needs its own ``lang`` on the active language's page."""
    return base_language(language) != base_language(get_language() or settings.LANGUAGE_CODE)


def _translated_target(model, path: str) -> bool:
    """True when ``path`` ("testbed__title") goes through a relation to a translated field."""
    from django.core.exceptions import FieldDoesNotExist

    *heads, last = path.split("__")
    if not heads:
        return False
    for head in heads:
        try:
            model = model._meta.get_field(head).related_model
        except FieldDoesNotExist:
            return False
        if model is None:
            return False
    return last in translated_fields(model)


def _reads_translated(model, path: str) -> bool:
    """True when ``path`` is one of ``model``'s translated fields or crosses a relation to one."""
    return path in translated_fields(model) or _translated_target(model, path)


def _localized_value(model, path: str):
    """``localized(path)``, for one of the model's own fields ending, as modeltranslation's
    descriptor does, in the field's default ("" for a text field) when no language has a
    value (the translation columns are nullable, the field itself is not). Across a relation
    it stays as it was: NULL where there is no related row."""
    from django.db.models import Value
    from django.db.models.functions import Coalesce

    if "__" in path:
        return localized(path)
    field = model._meta.get_field(path)
    default = field.get_default()
    if default is None:
        return localized(path)
    return Coalesce(localized(path), Value(default), output_field=field)


def _plain(queryset):
    """``queryset`` with modeltranslation's rewriting off, so that ``values()`` rows come
    from Django's own iterables: modeltranslation's fallback iterables resolve every
    translated field per row through its descriptor (about 14 µs a field, 250 ms for the
    full catalogue's map rows). The filters and ordering already applied stay rewritten."""
    return queryset.rewrite(False) if hasattr(queryset, "rewrite") else queryset


def localized_values(queryset, *paths):
    """``queryset.values(*paths)`` with each translated path, the queryset's own
    ("title") or across a relation ("idea_group__name"), read in the active language with
    the Swedish fallback in SQL (``localized()``), as modeltranslation reads them: one
    query, plain dicts."""
    model = queryset.model
    translated = {
        f"content_language_{index}": path
        for index, path in enumerate(paths)
        if _reads_translated(model, path)
    }
    if not translated:
        yield from queryset.values(*paths)
        return
    rows = _plain(queryset).values(
        *(path for path in paths if path not in translated.values()),
        **{alias: _localized_value(model, path) for alias, path in translated.items()},
    )
    for row in rows:
        for alias, path in translated.items():
            row[path] = row.pop(alias)
        yield row


def localized_values_list(queryset, *paths):
    """``queryset.values_list(*paths)`` as tuples in the order of ``paths``, the translated
    ones read as ``localized_values()`` reads them."""
    model = queryset.model
    return _plain(queryset).values_list(
        *(
            _localized_value(model, path) if _reads_translated(model, path) else path
            for path in paths
        )
    )


def translation_paths(path: str) -> tuple[str, ...]:
    """``path`` ("group__name") and its columns in every language ("group__name_sv",
    "group__name_en"), for ``only()`` across a relation: the translated name reads them, so
    leaving them deferred would cost a query per row."""
    return (path, *(f"{path}_{code}" for code, _name in settings.LANGUAGES))
