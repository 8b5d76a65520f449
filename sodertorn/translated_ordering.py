"""Sorting by a translated field sorts by the text a visitor sees.

django-modeltranslation rewrites ``order_by("title")`` to ``order_by("title_en")`` on an
English page. Most content has no English yet, so every untranslated row has an empty
``title_en`` and the list came out in no order at all (by primary key, in effect). Here an
ordering on a translated field becomes the expression the page shows: the English text where
there is one, else the Swedish (``content_language.localized``), in one column expression.
In Swedish nothing changes: ``title_sv`` is the shown text.

Installed once from ``sodertorn.apps.ModeltranslationConfig.ready``. Only ordering changes;
``select_related`` and ``distinct`` keep modeltranslation's own rewriting (field names).
"""

from modeltranslation import manager

from .content_language import active_language, content_language, localized

_rewrite_order_lookup_key = manager.rewrite_order_lookup_key


def shown_text_order(model, lookup_key):
    """``lookup_key`` ("title", "-testbed__title") as modeltranslation rewrites it, or, for a
    translated field in a language other than Swedish, the fallback expression."""
    rewritten = _rewrite_order_lookup_key(model, lookup_key)
    language = active_language()
    if not isinstance(rewritten, str) or language == content_language():
        return rewritten
    descending = rewritten.startswith("-")
    path = rewritten.removeprefix("-")
    original = lookup_key.removeprefix("-") if isinstance(lookup_key, str) else None
    suffix = f"_{language}"
    if original is None or path == original or not path.endswith(suffix):
        return rewritten
    expression = localized(path.removesuffix(suffix), language)
    return expression.desc() if descending else expression.asc()


def _rewrite_select_related(self) -> None:
    if isinstance(self.query.select_related, dict):
        self.query.select_related = {
            _rewrite_order_lookup_key(self.model, name): value
            for name, value in self.query.select_related.items()
        }


def _distinct(self, *field_names):
    if self._rewrite:
        field_names = [_rewrite_order_lookup_key(self.model, name) for name in field_names]
    return super(manager.MultilingualQuerySet, self).distinct(*field_names)


def install() -> None:
    manager.rewrite_order_lookup_key = shown_text_order
    manager.MultilingualQuerySet._rewrite_select_related = _rewrite_select_related
    manager.MultilingualQuerySet.distinct = _distinct
