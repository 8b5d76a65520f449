"""``{% follow_box obj %}``: the follow section of a public page (a link to the form and the
Atom feed, nothing per visitor, so the page stays cacheable); ``{% follow_feed_link obj %}``:
the page's ``<link rel="alternate">`` to the feed."""

from django import template
from django.urls import reverse

from follow import kinds

register = template.Library()


def follow_context(obj) -> dict:
    kind = kinds.kind_of(obj)
    return {
        "follow_kind": kind,
        "follow_title": kind.title(obj),
        "follow_url": reverse(
            "follow:subscribe", kwargs={"kind": kind.segment, "key": kind.key(obj)}
        ),
        "follow_feed_url": kind.feed_url(obj),
    }


@register.inclusion_tag("follow/_follow_box.html")
def follow_box(obj):
    return follow_context(obj)


@register.inclusion_tag("follow/_feed_link.html")
def follow_feed_link(obj):
    return follow_context(obj)
