"""Language of parts for content (see sodertorn/content_language.py).

``<h1{% lang_attr testbed "title" %}>{{ testbed.title }}</h1>`` gives ``lang="sv"`` on an
English page and nothing on a Swedish one; ``{% lang_span testbed "place_name" %}`` is the
value itself, in a ``<span lang="sv">`` only when marked.
``{% content_notice %}…{% endcontent_notice %}`` (in base.html, around the page's content)
says once, before that content, that some of it is available in Swedish only, when a
``lang_attr`` or ``lang_span`` inside it marked anything.

No database work and no template per call: these sit in lists of hundreds of cards.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from sodertorn.content_language import differs_from_page, shown_language

register = template.Library()

# The languages marked while rendering {% content_notice %}'s content: a set in the context,
# so includes and partials inside it (which share the context) record into it too.
MARKED = "_content_languages_marked"


@register.simple_tag(takes_context=True)
def lang_attr(context, obj, field=None):
    """`` lang="sv"`` when ``obj.field`` is shown in another language than the page's.

    Without a field: the object as ``str()`` shows it (a match that may be a testbed, an
    actor or an idea group)."""
    return lang_of(context, shown_language(obj, field))


@register.simple_tag(takes_context=True)
def lang_of(context, language):
    """`` lang="…"`` for text already known to be in ``language`` (a timeline line carries
    the language its name is shown in), when that is not the page's."""
    if not language or not differs_from_page(language):
        return ""
    marked = context.get(MARKED)
    if marked is not None:
        marked.add(language)
    return format_html(' lang="{}"', language)


@register.simple_tag(takes_context=True)
def lang_span(context, obj, field):
    """``obj.field`` as text, inside ``<span lang="sv">`` only where the page needs it: for a
    value inside a line of other words, so Swedish pages keep their markup as it was."""
    value = obj[field] if isinstance(obj, dict) else getattr(obj, field)
    attribute = lang_attr(context, obj, field)
    if not attribute:
        return value
    return format_html("<span{}>{}</span>", attribute, value)


class ContentNoticeNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        marked = set()
        with context.push(**{MARKED: marked}):
            html = self.nodelist.render(context)
        if not marked:
            return html
        # Something fell back to Swedish (English is the only other content language).
        notice = format_html(
            '<p class="notice content-language-notice" role="note">{}</p>',
            gettext("Some content on this page is available in Swedish only."),
        )
        return mark_safe(notice + html)


@register.tag
def content_notice(parser, token):
    nodelist = parser.parse(("endcontent_notice",))
    parser.delete_first_token()
    return ContentNoticeNode(nodelist)
