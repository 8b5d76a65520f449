"""/sitemap.xml for every public page, in Swedish and English.

/sitemap.xml is a sitemap index: one sitemap per section (/sitemap-testbeds.xml…), each split
into pages of ``PublicSitemap.limit`` addresses (``?p=2``…), so no file grows with the catalogue.

Each project app (sodertorn/hooks.py) may have a `sitemaps` module with a dict
`sitemaps = {"name": SitemapClass}`; they are collected here, so a new app joins the sitemap
without editing this file.
"""

from django.contrib import sitemaps as django_sitemaps
from django.urls import reverse

from . import hooks


class PublicSitemap(django_sitemaps.Sitemap):
    """Both languages, with hreflang alternates; at most ``limit`` addresses per sitemap page
    (each language's address counts)."""

    limit = 1000
    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(PublicSitemap):
    """Named list pages: set `names` to URL names."""

    names: tuple[str, ...] = ()
    changefreq = "weekly"

    def items(self):
        return list(self.names)

    def location(self, item):
        return reverse(item)


def collect() -> dict:
    found = {}
    for module in hooks.project_modules("sitemaps", exclude=(__package__,)):
        found.update(module.sitemaps)
    return found
