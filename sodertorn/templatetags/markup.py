from django import template

from sodertorn.markup import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """{{ testbed.body|markdown }}: Markdown rendered and sanitised (see sodertorn.markup)."""
    return render_markdown(text)
