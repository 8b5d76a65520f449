from django import template
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def picture(renditions, alt, sizes="100vw", size="card", css_class="", lazy=True):
    """<picture> with WebP and fallback srcsets, width/height from the chosen rendition.

    {% picture image.renditions image.alt_text sizes="(min-width: 50rem) 20rem, 100vw" %}
    """
    entries = (renditions or {}).get("sizes") or []
    if not entries:
        return ""
    chosen = next((e for e in entries if e["name"] == size), entries[-1])

    def srcset(key):
        return ", ".join(f"{default_storage.url(e[key])} {e['width']}w" for e in entries)

    return format_html(
        '<picture{}><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}></picture>',
        format_html(' class="{}"', css_class) if css_class else "",
        srcset("webp"),
        sizes,
        default_storage.url(chosen["fallback"]),
        srcset("fallback"),
        sizes,
        chosen["width"],
        chosen["height"],
        alt,
        format_html_join("", ' {}="{}"', [("loading", "lazy"), ("decoding", "async")])
        if lazy
        else "",
    )
