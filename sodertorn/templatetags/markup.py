from django import template

from sodertorn.markup import markdown_to_text, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """{{ testbed.body|markdown }}: Markdown rendered and sanitised (see sodertorn.markup)."""
    return render_markdown(text)


@register.filter(name="markdown_text")
def markdown_text_filter(text):
    """{{ entry.text|markdown_text|truncatechars:160 }}: the visible text of Markdown, for a
    page's meta description (no ** or # left over)."""
    return markdown_to_text(text)
