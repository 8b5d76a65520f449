from django import template
from django.urls import reverse

from sodertorn import hooks

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """``{% main_menu as entries %}``: the main menu from every app's ``menu_items`` hook, as
    dicts with ``label``, ``url`` and ``current`` (see ``hooks.current_menu_item``)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    items = hooks.menu_items()
    current = hooks.current_menu_item(items, match.view_name) if match else None
    return [
        {"label": item.label, "url": reverse(item.url_name), "current": item is current}
        for item in items
    ]
