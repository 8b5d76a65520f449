from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from sodertorn.templatetags.content import lang_attr, lang_span

from .. import selectors

register = template.Library()


@register.simple_tag
def testbed_competence_suggestions(testbed):
    """{% testbed_competence_suggestions testbed as suggestions %}: from the page's prefetch."""
    return selectors.testbed_suggestions(testbed)


@register.simple_tag
def actor_competence_suggestions(actor):
    """{% actor_competence_suggestions actor as suggestions %}: three queries."""
    return selectors.actor_suggestions(actor)


def _names(context, competences) -> str:
    return mark_safe(
        ", ".join(conditional_escape(lang_span(context, item, "name")) for item in competences)
    )


@register.simple_tag(takes_context=True)
def match_item(context, match):
    """``{% match_item match %}``: one ranked match (services.Match) as its ``<li>``.

    Written in Python, not as an included template (about 0.5 ms each; a testbed page with
    needs shows up to ten, the /kompetens/ page every match): the same HTML, translations,
    example label and ``lang`` marks (which also feed ``{% content_notice %}``)."""
    candidate = match.candidate
    demo = ""  # includes/demo_label.html's, without the newline the file ends with
    if getattr(candidate, "is_demo", False):
        demo = format_html(
            '<span class="tag tag-demo" title="{}">{}</span>',
            mark_safe(gettext("Invented demonstration content")),
            mark_safe(gettext("Example")),
        )
    if match.is_full:
        coverage = format_html(
            '<span class="tag tag-full">{}</span>', mark_safe(gettext("Covers every need"))
        )
    else:
        total = len(match.needs)
        text = ngettext(
            "Covers %(covered)s of %(total)s need", "Covers %(covered)s of %(total)s needs", total
        ) % {"covered": len(match.covered), "total": total}
        coverage = format_html('<span class="tag">{}</span>', mark_safe(text))
    uncovered = ""
    if match.uncovered:
        uncovered = format_html(
            "<dt>{}</dt><dd>{}</dd>",
            mark_safe(gettext("Needs not covered")),
            _names(context, match.uncovered),
        )
    return format_html(
        '<li class="match">\n  <p class="match-title"><a href="{}"{}>{}</a>{}\n\n    {}</p>\n'
        '  <dl class="match-needs">\n    <dt>{}</dt><dd>{}</dd>\n    {}\n  </dl>\n</li>\n',
        candidate.get_absolute_url(),
        lang_attr(context, candidate),
        str(candidate),
        demo,
        coverage,
        mark_safe(gettext("Needs covered")),
        _names(context, match.covered),
        uncovered,
    )
