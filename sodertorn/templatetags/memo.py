"""``{% memo value … %}…{% endmemo %}``: a fragment rendered once per process for each
combination of the listed values, the active language and the URLconf, then reused.

For the parts of every page that never change with the content: the main menu, the header's
links and search form, the footer (templates/base.html). Whatever the fragment shows must
follow from those alone: no content, no user, no token, no block a child template fills.
The memo lives on the compiled template node, so a reloaded template starts afresh, and it
is forgotten whenever a setting changes (tests' ``override_settings``).
"""

from django import template
from django.core.signals import setting_changed
from django.urls import get_urlconf
from django.utils.translation import get_language

register = template.Library()

LIMIT = 1000  # entries per fragment before it starts afresh (languages × view names)
_generation = 0


def _forget(**kwargs):
    global _generation
    _generation += 1


setting_changed.connect(_forget)


class MemoNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values
        self.rendered = {}

    def render(self, context):
        key = (
            _generation,
            get_language(),
            get_urlconf(),
            *(value.resolve(context) for value in self.values),
        )
        html = self.rendered.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(self.rendered) >= LIMIT:
                self.rendered.clear()
            self.rendered[key] = html
        return html


@register.tag
def memo(parser, token):
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, values)
