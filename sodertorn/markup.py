"""Body text: Markdown written by curators, rendered to HTML and sanitised with nh3.

Raw HTML in the source is never trusted: Markdown's output goes through an allow-list
sanitiser (nh3, the Rust ammonia library), so script, event handlers, style attributes and
javascript: links never reach a page. Headings are shifted down one level so a body's "#"
never competes with the page's own <h1>.
"""

import html
import re
from functools import lru_cache

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set(), "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _shift_heading(match: re.Match) -> str:
    return f"<{match.group(1)}h{min(int(match.group(2)) + 1, 6)}"


def render_markdown(text: str | None) -> SafeString:
    if not text:
        return mark_safe("")
    return _render(str(text))  # a lazy text is keyed by its value in the active language


# Rendering is a pure function of the text: a body shown or indexed again (an uncached page,
# a search rebuild, the many bulk rows of one text) is rendered once. SafeString and str are
# immutable; 512 texts of a few KB each.
@lru_cache(maxsize=512)
def _render(text: str) -> SafeString:
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = _HEADING.sub(_shift_heading, html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 just above


def markdown_to_text(value: str) -> str:
    """The visible text of Markdown (rendered and sanitised as on the page, tags removed)."""
    if not value:
        return ""
    return _text(str(value))


@lru_cache(maxsize=512)
def _text(value: str) -> str:
    return html.unescape(strip_tags(render_markdown(value)))
