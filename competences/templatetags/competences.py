from django import template

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
