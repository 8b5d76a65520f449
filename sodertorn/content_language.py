"""In which language a piece of content is shown, for ``lang`` attributes (WCAG 3.1.2).

All content (testbeds, results, indicators, …) is written in the content language, Swedish
(``settings.LANGUAGE_CODE``); the interface follows the visitor's language. Where the two
differ, an element showing content carries ``lang="sv"`` (sodertorn/templatetags/content.py)
and the page says once that some content is available in Swedish only.

One question, asked per field: ``shown_language(obj, field)``. Today every field answers the
content language. When content becomes translatable (issue 16), this is the one place that
answers "en" for a field whose English value exists, and every template follows.

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


def shown_language(obj, field=None):
    """The language of the text shown for ``obj``'s ``field`` in the active language.

    No database work: what it needs must already be on ``obj`` (a later per-field answer
    reads the translated value the queryset has loaded). ``field`` may name a relation
    shown as a list of names ("themes"), or be None for the object as ``str()`` shows it.
    """
    return content_language()


def base_language(code):
    """ "sv" for "sv", "sv-se" or "sv_SE"."""
    return (code or "").replace("_", "-").split("-")[0].lower()


def differs_from_page(language):
    """True when text in ``language`` needs its own ``lang`` on the active language's page."""
    return base_language(language) != base_language(get_language() or settings.LANGUAGE_CODE)
