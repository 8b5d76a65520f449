"""The programme page in the site search (discovered by the search app; see search/registry.py).

A search document belongs to a row, so the page is the row ``about.Page(key="programme")``; its
text is the page's Swedish template rendered without its live parts (the organisation's
numbers, the project records, which are searched as grants of their own)."""

from html import unescape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from sodertorn.searchable import SearchSource

from .models import Page, PageKey

DESCRIPTIONS = {
    PageKey.PROGRAMME: _(
        "The Södertörn Model: its vision, goals, organisation, funding and sister projects, "
        "with the sources they come from."
    ),
}


def _title(page: Page) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(PageKey(page.key).label)


def _summary(page: Page) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(DESCRIPTIONS.get(page.key, ""))


def _body(page: Page) -> str:
    """The text of the page's template in the default language (its headings and paragraphs)."""
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string(f"about/{page.key}.{language}.html", {"for_search": True})
    text = unescape(strip_tags(html))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


sources = [
    SearchSource(
        key="pages",
        model=Page,
        label=_("Pages"),
        title=_title,
        summary=_summary,
        body=_body,
        keywords=lambda page: f"{_title(page)} Södertörnsmodellen",
        order=5,
    ),
]
